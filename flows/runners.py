"""Choosing where parse tasks run: threads, processes, or a Dask cluster.

Parsing is CPU-bound Python, so threads share one core (the GIL); the
process pool (the standard library's, see `flows.ingest.parse_in_processes_task`)
uses every core of this machine; Dask spreads tasks over a
local cluster or an existing scheduler on other machines. Loading is never
distributed: the flow itself is the warehouse's single writer.
"""

from __future__ import annotations

import os

RUNNERS = ("auto", "thread", "process", "dask", "dask://HOST:PORT")

# Below this many documents to parse, starting worker processes (each imports
# the parsers) costs more than it saves: measured break-even on 2 cores was
# about 60 (BENCHMARKS.md, "Ingest at scale").
AUTO_PROCESS_MIN_DOCUMENTS = 100


def worker_count(requested: int | None = None) -> int:
    """Given an explicit worker count (or None), return how many workers to use:
    $TONGBAO_WORKERS, else the number of CPUs."""
    if requested:
        return requested
    env = os.environ.get("TONGBAO_WORKERS")
    return int(env) if env and env.isdigit() and int(env) > 0 else (os.cpu_count() or 1)


def validate_runner(spec: str) -> str:
    """Given a --runner value, return it normalised; raise ValueError if unknown."""
    spec = (spec or "auto").strip()
    if spec in ("auto", "thread", "process", "dask") or (spec.startswith(("dask://", "tcp://")) and len(spec.split("://", 1)[1]) > 0):
        return spec
    raise ValueError(f"--runner {spec!r}: expected one of {', '.join(RUNNERS)}")


def resolve_runner(spec: str, to_parse: int, workers: int | None = None) -> str:
    """Given a validated runner spec and how many documents need parsing,
    return the runner to use: `auto` means the process pool for a big run on
    more than one core, threads otherwise."""
    if spec != "auto":
        return spec
    return "process" if to_parse >= AUTO_PROCESS_MIN_DOCUMENTS and worker_count(workers) > 1 else "thread"


def make_task_runner(spec: str, workers: int | None = None):
    """Given a runner spec, return a fresh (not yet started) Prefect task runner."""
    spec = validate_runner(spec)
    n = worker_count(workers)
    if spec == "thread":
        from prefect.task_runners import ThreadPoolTaskRunner

        # Parsing is pure Python: a second thread only takes turns on the GIL,
        # which measured 8-15 % slower than one (BENCHMARKS.md). --workers N still wins.
        return ThreadPoolTaskRunner(max_workers=workers or 1)
    if spec == "process":
        raise ValueError("--runner process parses on flows.ingest.parse_in_processes_task, not a Prefect task runner")
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:  # pragma: no cover - prefect-dask is in requirements.lock
        raise ValueError("--runner dask needs prefect-dask: pip install -r requirements.lock") from exc
    if spec == "dask":
        url = ephemeral_api_url()
        return DaskTaskRunner(cluster_kwargs={"n_workers": n, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None,
                                              **({"env": {"PREFECT_API_URL": url}} if url else {})})
    address = "tcp://" + spec.split("://", 1)[1]
    return DaskTaskRunner(address=address)


def ephemeral_api_url() -> str | None:
    """Return the URL of the temporary Prefect server this process started
    (when no PREFECT_API_URL is configured), or None."""
    from prefect.settings import PREFECT_API_URL

    if os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value():
        return None
    try:
        from prefect.server.api.server import SubprocessASGIServer
    except ImportError:  # pragma: no cover
        return None
    for server in list(SubprocessASGIServer._instances.values()):
        if getattr(server, "running", False):
            return server.api_url
    return None


def parallelism(spec: str, workers: int | None = None) -> int:
    """Given a runner spec, return how many parse tasks can usefully run at once."""
    return 1 if spec == "thread" else worker_count(workers)
