"""Import now what Prefect imports lazily at a process's first flow call (its
flow and task engines, FastAPI's JSON encoder, the artifact client, the flow
visualiser), so a command that waits for a starting server does this work
while it waits instead of after (issue 18: the first command on a fresh home)."""

from __future__ import annotations


def preload() -> None:
    import fastapi.encoders  # noqa: F401  (Prefect serialises flow parameters with it)
    import prefect.artifacts  # noqa: F401
    import prefect.flow_engine  # noqa: F401
    import prefect.task_engine  # noqa: F401
