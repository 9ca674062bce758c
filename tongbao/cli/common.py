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
from .errors import EXIT_ATTENTION, EXIT_INTERRUPTED, errors_exit


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


class _LineReporter:
    """Progress as one plain line per document, for --verbose when stderr is
    not a terminal (a log file, cron, CI), where a live bar cannot redraw."""

    def __init__(self):
        self.done: dict[str, int] = {}
        self.totals: dict[str, int] = {}

    def start(self, phase: str, total: int) -> None:
        self.done[phase], self.totals[phase] = 0, total

    def advance(self, phase: str, label: str) -> None:
        self.done[phase] += 1
        from .shown import escape_controls

        # not print(): a flow with log_prints would route it through Prefect's logger
        sys.stderr.write(f"{phase} {self.done[phase]}/{self.totals[phase]} {escape_controls(label)}\n")
        sys.stderr.flush()


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
    start (Prefect's temporary server, say) exits 1. The first Ctrl-C stops
    the run politely (its summary says what was not done; `finish` exits
    130); a second one aborts at once (exit 130)."""
    from ingest.progress import REPORTER
    from ingest.stopping import stop_on_interrupt

    prefect_logging(verbose)  # in case no command set it earlier
    columns = (TextColumn("{task.description:<48}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    lines = verbose and not sys.stderr.isatty() and not as_json
    with Progress(*columns, console=err, transient=not sys.stderr.isatty(), disable=as_json or lines) as progress:
        token = REPORTER.set(_LineReporter() if lines else _RichReporter(progress))
        try:
            with errors_exit("WarehouseError", "ValueError", "FileNotFoundError", "RuntimeError"), \
                    stop_on_interrupt(_stopping_notice):
                _prefect_ready(progress)
                return run()
        except KeyboardInterrupt:
            err.print("[red]aborted[/]: the bulletin being written was rolled back; "
                      "run the same command again to finish.")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        finally:
            REPORTER.reset(token)


def _stopping_notice() -> None:
    err.print("[yellow]stopping[/] after the bulletin being written (Ctrl-C again to abort now)…")


def start_prefect() -> None:
    """Point this command at the shared local Prefect server, starting it if
    no keeper runs (flows/local_server.py), before anything imports Prefect.
    It does not wait: the command's imports overlap the server's start, and
    `run_with_progress` waits for it before the flow's first API call."""
    from flows.local_server import use_shared_server

    with errors_exit("ValueError", "RuntimeError"):
        use_shared_server(wait=False)


def _prefect_ready(progress: Progress) -> None:
    """Wait for the shared server started by `start_prefect` (no-op otherwise)."""
    from flows.engine import preload
    from flows.local_server import healthy, wait_until_ready

    preload()

    url = os.environ.get("PREFECT_API_URL")
    if url and not healthy(url, timeout_s=1.0):
        task = progress.add_task("starting the local Prefect server", total=None)
        wait_until_ready(url)
        progress.remove_task(task)


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
    if summary.get("interrupted"):
        left = sum(1 for f in summary["files"] if f["reason"] == "interrupted")
        err.print(f"[yellow]stopped[/]: {left} file(s) not done (nothing was rejected for it); "
                  "run the same command again to finish.")
        raise typer.Exit(EXIT_INTERRUPTED)
    if strict and summary["counts"].get("rejected"):
        raise typer.Exit(EXIT_ATTENTION)
