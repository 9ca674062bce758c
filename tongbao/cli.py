"""`tongbao` command line: a thin layer over flows, warehouse and pipeline.

Library errors become messages and exit codes here and nowhere else.
Exit codes: 0 success; 1 the run finished but something needs attention
(rejections with --strict, a model that failed); 2 misuse (bad path,
bad SQL, a write statement in `query`); 3 the warehouse is busy or missing.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, List, Optional

from .settings import DEFAULT_WAREHOUSE, Settings, apply_offline_env

apply_offline_env()

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402
from rich.table import Table  # noqa: E402

app = typer.Typer(
    help="Turn government-website bulletins (通报) into a DuckDB warehouse, and query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

WarehouseOption = typer.Option(
    None, "--warehouse", "-w", help=f"DuckDB file (default: $TONGBAO_WAREHOUSE or ./{DEFAULT_WAREHOUSE})."
)

EXIT_ATTENTION, EXIT_MISUSE, EXIT_BUSY = 1, 2, 3


@contextmanager
def errors_exit(*mapping: tuple[type[BaseException] | tuple[type[BaseException], ...], int]) -> Iterator[None]:
    """Turn the named library errors into a one-line message and an exit
    code: the only place (with the commands' own checks) errors meet the user."""
    kinds = tuple(k for kind, _ in mapping for k in (kind if isinstance(kind, tuple) else (kind,)))
    try:
        yield
    except kinds as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(next(code for kind, code in mapping if isinstance(exc, kind)))


class _RichReporter:
    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, int] = {}

    def start(self, phase: str, total: int) -> None:
        self.tasks[phase] = self.progress.add_task(phase, total=total)

    def advance(self, phase: str, label: str) -> None:
        self.progress.update(self.tasks[phase], advance=1, description=f"{phase} {label[:40]}")


@app.command()
def ingest(
    paths: Optional[List[Path]] = typer.Argument(None, help="Bulletin files or folders (searched recursively)."),
    warehouse: Optional[Path] = WarehouseOption,
    force: bool = typer.Option(False, "--force", help="Re-parse files already loaded by this parser version."),
    retry_rejected: bool = typer.Option(
        False, "--retry-rejected", help="Also retry every document listed in `rejections` (from its original path)."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 if any document was rejected."),
    as_json: bool = typer.Option(False, "--json", help="Print the run summary as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show Prefect's own logs."),
    runner: str = typer.Option(
        "auto", "--runner", help="Where parse tasks run: auto (process for 100+ documents on 2+ cores, else thread), "
        "thread, process (all cores), dask (local cluster) or dask://HOST:PORT."
    ),
    workers: Optional[int] = typer.Option(
        None, "--workers", help="Parallel parse workers (default: $TONGBAO_WORKERS or the CPU count)."
    ),
) -> None:
    """Parse bulletins (PDF, DOCX, text) and load them into the warehouse."""
    paths = list(paths or [])
    settings = _settings(warehouse)
    if retry_rejected:
        retry, gone = _rejected_paths(settings)
        if gone:
            err.print(f"[yellow]not retried (no longer at their path):[/] {', '.join(gone)}")
        paths += [p for p in retry if p not in paths]
        if not paths:
            console.print("Nothing to retry: no rejected document is still at its path.")
            return
    if not paths:
        err.print("[red]error:[/] give at least one file or folder (or --retry-rejected).")
        raise typer.Exit(EXIT_MISUSE)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(EXIT_MISUSE)
    from flows.runners import validate_runner

    with errors_exit((ValueError, EXIT_MISUSE)):  # before Prefect starts, so the message stands alone
        runner = validate_runner(runner)
    from flows.ingest import ingest_flow

    summary = run_with_progress(
        lambda: ingest_flow(
            [str(p) for p in paths], warehouse=str(settings.warehouse), force=force, runner=runner, workers=workers
        ),
        as_json,
        verbose,
    )
    if as_json:
        console.print_json(json.dumps(summary, ensure_ascii=False, default=str))
    else:
        _print_summary(summary, settings.warehouse)
    if summary["model_error"]:
        err.print(f"[red]model build failed:[/] {summary['model_error']}")
        raise typer.Exit(EXIT_ATTENTION)
    if strict and summary["counts"].get("rejected"):
        raise typer.Exit(EXIT_ATTENTION)


def run_with_progress(run: Callable[[], dict], as_json: bool, verbose: bool) -> dict:
    """Given a flow call, run it under a progress bar and return its summary;
    a busy warehouse exits 3, bad arguments exit 2, a run that could not
    start (Prefect's temporary server, say) exits 1."""
    from tongbao.progress import REPORTER
    from warehouse.connection import WarehouseError

    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    columns = (TextColumn("{task.description:<48}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=not sys.stderr.isatty(), disable=as_json) as progress:
        token = REPORTER.set(_RichReporter(progress))
        try:
            with errors_exit(
                (WarehouseError, EXIT_BUSY),
                ((ValueError, FileNotFoundError), EXIT_MISUSE),  # a bad --runner/--years; a path gone since the check
                (RuntimeError, EXIT_ATTENTION),
            ):
                return run()
        finally:
            REPORTER.reset(token)


def _rejected_paths(settings: Settings) -> tuple[list[Path], list[str]]:
    """Return (paths still present, paths gone) of the documents in `rejections`."""
    if not settings.warehouse.exists():
        return [], []
    with _read_only(settings) as con:
        sources = [r[0] for r in con.execute("SELECT source_file FROM rejections ORDER BY source_file").fetchall()]
    present = [Path(s) for s in sources if Path(s).exists()]
    return present, [s for s in sources if not Path(s).exists()]


LIST_EVERY_FILE_UP_TO = 50


def _print_summary(summary: dict, warehouse: Path) -> None:
    counts = summary["counts"]
    table = Table(title=f"Ingest into {warehouse}", show_lines=False)
    for name in ("file", "status", "reason / note"):
        table.add_column(name, overflow="fold")
    files = summary["files"]
    if len(files) > LIST_EVERY_FILE_UP_TO:  # a big run: list only what needs a look
        files = [f for f in files if f["status"] not in ("loaded", "replaced")]
    for f in files:
        style = {"rejected": "red", "skipped": "dim"}.get(f["status"], "green")
        table.add_row(f["path"], f"[{style}]{f['status']}[/]", f["message"] or "")
    if files:
        console.print(table)
    if len(files) < len(summary["files"]):
        console.print(f"{len(summary['files']) - len(files)} loaded or replaced files not listed (`--json` lists every file).")
    parts = [f"{counts.get(k, 0)} {k}" for k in ("loaded", "replaced", "skipped", "rejected")]
    console.print(", ".join(parts) + f" in {summary['seconds'].get('total', 0):.1f}s")
    if summary["rejected_by_reason"]:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(summary["rejected_by_reason"].items()))
        console.print(f"rejected by reason: {reasons} (see `tongbao status`)")
    from flows.report import phase_rows, runner_note

    phases = ", ".join(f"{k} {v:.1f}s" for k, v in phase_rows(summary) if k != "total")
    console.print(f"time per phase: {phases}" + (f"; {runner_note(summary)}" if runner_note(summary) else ""))


@app.command()
def status(warehouse: Optional[Path] = WarehouseOption) -> None:
    """Show what is loaded and what was rejected, and why."""
    settings = _settings(warehouse)
    with _read_only(settings) as con:
        loaded = con.execute(
            """
            SELECT b.city, b.period_year, b.period_quarter, b.format, b.source_file, b.parser_version,
                   (SELECT count(*) FROM unit_metrics m WHERE m.bulletin_id = b.bulletin_id) AS unit_rows
            FROM bulletins b ORDER BY b.city, b.period_year, b.period_quarter, b.source_file
            """
        ).fetchall()
        rejected = con.execute(
            "SELECT source_file, reason, message, rejected_at FROM rejections ORDER BY rejected_at, source_file"
        ).fetchall()
    table = Table(title=f"Loaded bulletins ({len(loaded)})")
    for name in ("city", "year", "quarter", "format", "source", "parser", "unit rows"):
        table.add_column(name, overflow="fold")
    for row in loaded:
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)
    if rejected:
        rej = Table(title=f"Rejected documents ({len(rejected)})")
        for name in ("source", "reason", "what to do", "when"):
            rej.add_column(name, overflow="fold")
        for row in rejected:
            rej.add_row(row[0], row[1], row[2], str(row[3])[:19])
        console.print(rej)
    else:
        console.print("No rejected documents.")


@app.command()
def query(
    sql: str = typer.Argument(..., help="A read-only SQL statement, e.g. \"select * from unit_quarter\"."),
    warehouse: Optional[Path] = WarehouseOption,
    csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
    limit: int = typer.Option(200, "--limit", help="Rows shown in table mode (CSV prints all)."),
) -> None:
    """Run a read-only SQL query against the warehouse."""
    import duckdb

    settings = _settings(warehouse)
    with _read_only(settings) as con:
        try:
            result = con.execute(sql)
        except (duckdb.InvalidInputException, duckdb.PermissionException) as exc:
            if "read-only" in str(exc):
                err.print("[red]error:[/] `tongbao query` is read-only; the warehouse changes only through "
                          "`tongbao ingest` (and `tongbao models`).")
                raise typer.Exit(EXIT_MISUSE)
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_MISUSE)
        except duckdb.Error as exc:
            err.print(f"[red]SQL error:[/] {exc}")
            raise typer.Exit(EXIT_MISUSE)
        if result.description is None:
            return
        names = [d[0] for d in result.description]
        rows = result.fetchall()
    if csv:
        import csv as csvlib

        writer = csvlib.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return
    table = Table(show_lines=False)
    for name in names:
        table.add_column(name, overflow="fold")
    for row in rows[:limit]:
        table.add_row(*["NULL" if v is None else str(v) for v in row])
    console.print(table)
    more = f" (showing {limit}; use --csv for all)" if len(rows) > limit else ""
    console.print(f"{len(rows)} row(s){more}")


@app.command()
def models(warehouse: Optional[Path] = WarehouseOption) -> None:
    """Rebuild the SQL models in sql/ (done automatically after every ingest)."""
    from warehouse.connection import WarehouseError, open_warehouse
    from warehouse.models import ModelBuildError, build_models

    settings = _settings(warehouse)
    with errors_exit((ModelBuildError, EXIT_ATTENTION), (WarehouseError, EXIT_BUSY)):
        with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
            built = build_models(con)
    console.print(f"built {len(built)} models: {', '.join(built)}")


def _settings(warehouse: Optional[Path]) -> Settings:
    try:
        return Settings.from_env(warehouse=warehouse)
    except ValueError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_MISUSE)


class _read_only:
    """Open the warehouse read-only, turning busy/missing into CLI messages."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def __enter__(self):
        from warehouse.connection import WarehouseError, connect

        try:
            self.con = connect(self.settings.warehouse, read_only=True, wait_s=self.settings.lock_wait_s)
        except WarehouseError as exc:
            err.print(f"[red]error:[/] {exc}")
            raise typer.Exit(EXIT_BUSY)
        return self.con

    def __exit__(self, *exc):
        self.con.close()
        return False


# Commands that live with their own feature register themselves on `app`.
from . import analyst_commands, schedule_commands, unit_commands  # noqa: E402,F401


def main() -> None:
    app()


if __name__ == "__main__":
    main()
