"""Serving the flows as Prefect deployments: nightly ingest, on-demand back-fill.

`tongbao serve` calls `serve_deployments`, which blocks: Prefect's runner
polls the server for scheduled or manually triggered runs and executes each
in a subprocess. Deployments name their flows by module path, so runs work
from any working directory where tongbao is installed.
"""

from __future__ import annotations

import os
from pathlib import Path

from ingest.settings import apply_offline_env

apply_offline_env()

from prefect.deployments.runner import EntrypointType  # noqa: E402
from prefect.schedules import Cron  # noqa: E402

from flows.backfill import backfill_flow  # noqa: E402
from flows.ingest import ingest_flow  # noqa: E402

DEFAULT_CRON = "0 2 * * *"  # 02:00 every night
DEFAULT_TIMEZONE = "Asia/Shanghai"


def build_deployments(*, sources: str | None, paths: list[str], warehouse: str, cron: str = DEFAULT_CRON,
                      timezone: str = DEFAULT_TIMEZONE, runner: str = "auto", name: str = "nightly",
                      workers: int | None = None) -> list:
    """Given what to ingest and when, return the runner deployments: the
    scheduled ingest (`tongbao-ingest/<name>`) and an unscheduled back-fill
    (`tongbao-backfill/<name>-backfill`) to start from the UI or API."""
    warehouse = str(Path(warehouse).resolve())
    common = {"warehouse": warehouse, "runner": runner, "workers": workers}
    ingest = ingest_flow.to_deployment(
        name=name,
        schedules=[Cron(cron, timezone=timezone)],
        parameters={**common, "paths": [str(Path(p).resolve()) for p in paths],
                    "sources": str(Path(sources).resolve()) if sources else None},
        description=f"Ingest new or changed bulletins into {warehouse} ({cron}, {timezone}).",
        tags=["tongbao"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    backfill = backfill_flow.to_deployment(
        name=f"{name}-backfill",
        parameters={**common, "years": "2000-2100"},
        description=f"Re-parse stored bulletins of the given years in {warehouse}.",
        tags=["tongbao"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return [ingest, backfill]


def api_url() -> str | None:
    """Return the Prefect API the runner will talk to, or None if none is configured."""
    from prefect.settings import PREFECT_API_URL

    return os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value()


def serve_deployments(deployments: list, limit: int | None = None) -> None:
    """Given deployments, register them and run their flow runs until interrupted."""
    from prefect import serve

    serve(*deployments, limit=limit, print_starting_message=True)
