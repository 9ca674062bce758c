"""Helpers every command uses: settings, a read-only connection, a run under
a progress bar, and the end of a run (summary, exit code)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ingest.settings import Settings

from .app import console, err
from .errors import EXIT_ATTENTION, errors_exit


def settings_for(warehouse: Optional[Path]) -> Settings:
    """Given the --warehouse option, return the run's settings (bad settings exit 2)."""
    with errors_exit("ValueError"):
        return Settings.from_env(warehouse=warehouse)


class read_only:
    """Open the warehouse's snapshot (or the warehouse) read-only, turning busy/missing into CLI messages."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def __enter__(self):
        from warehouse.snapshot import open_for_reading

        with errors_exit("WarehouseError"):  # the current snapshot, so a running ingest never blocks a reader
            self.con, self.path, stale = open_for_reading(self.settings.warehouse, wait_s=self.settings.lock_wait_s)
        if stale:
            err.print(f"[yellow]note:[/] the warehouse is being written; reading the last snapshot ({self.path}).")
        return self.con

    def __exit__(self, *exc):
        self.con.close()
        return False


class _RichReporter:
    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def start(self, phase: str, total: int) -> None:
        self.tasks[phase] = self.progress.add_task(phase, total=total)

    def advance(self, phase: str, label: str) -> None:
        self.progress.update(self.tasks[phase], advance=1, description=f"{phase} {label[:40]}")


def prefect_logging(verbose: bool) -> None:
    """Before Prefect is imported, set how much it (and Dask) logs: its INFO
    lines (server start, flow and task states) only with --verbose, so they
    never break the progress bar. A PREFECT_LOGGING_LEVEL the user set is
    kept without --verbose."""
    if verbose:
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
        os.environ["DASK_DISTRIBUTED__LOGGING__DISTRIBUTED"] = "info"
    else:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("DASK_DISTRIBUTED__LOGGING__DISTRIBUTED", "warning")


def run_with_progress(run: Callable[[], dict], as_json: bool, verbose: bool) -> dict:
    """Given a flow call, run it under a progress bar and return its summary;
    a busy warehouse exits 3, bad arguments exit 2, a run that could not
    start (Prefect's temporary server, say) exits 1."""
    from ingest.progress import REPORTER

    prefect_logging(verbose)  # in case no command set it earlier
    columns = (TextColumn("{task.description:<48}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=not sys.stderr.isatty(), disable=as_json) as progress:
        token = REPORTER.set(_RichReporter(progress))
        try:
            with errors_exit("WarehouseError", "ValueError", "FileNotFoundError", "RuntimeError"):
                return run()
        finally:
            REPORTER.reset(token)


def start_prefect() -> None:
    """Point this command at the shared local Prefect server, starting it if
    none answers (flows/local_server.py), before anything imports Prefect."""
    from flows.local_server import use_shared_server

    with errors_exit("ValueError", "RuntimeError"):
        use_shared_server()


def check_writable(settings: Settings) -> None:
    """Fail now, before Prefect starts, when another process holds the
    warehouse (exit 3 after the lock wait), rather than after the start-up."""
    from warehouse.connection import connect

    with errors_exit("WarehouseError"):
        connect(settings.warehouse, wait_s=settings.lock_wait_s).close()


def wall_seconds() -> float:
    """Return the seconds since the command started, start-up included."""
    from .app import STARTED

    return time.perf_counter() - STARTED


def check_runner(runner: str) -> str:
    """Given --runner, return it checked (before Prefect starts, so the message stands alone)."""
    from flows.runners import validate_runner

    with errors_exit("ValueError"):
        return validate_runner(runner)


def finish(summary: dict, as_json: bool, strict: bool, print_table: Callable[[dict], None]) -> None:
    """Given a run summary, print it (JSON or `print_table`) and exit 1 if it needs attention."""
    if as_json:
        console.print_json(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        print_table(summary)
    if summary["model_error"]:
        from rich.text import Text

        from .shown import shown

        err.print(Text.assemble(("model build failed: ", "red"), shown(summary["model_error"])))
        raise typer.Exit(EXIT_ATTENTION)
    if strict and summary["counts"].get("rejected"):
        raise typer.Exit(EXIT_ATTENTION)
