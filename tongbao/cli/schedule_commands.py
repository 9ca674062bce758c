"""`tongbao serve`, `tongbao fetch` and `tongbao backfill`: the pipeline on a
schedule, from a sources file, and over old years.

They register on the shared `app`; the flows do the work. Like `ingest`,
the one-off commands show a progress bar and end with a summary table
(outcomes, rejections per reason, time per phase).
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table
from rich.text import Text

from .app import app, console
from .common import check_runner as _check_runner, finish as _finish, prefect_logging, run_with_progress, settings_for as _settings
from .common import check_writable, start_prefect
from .errors import EXIT_BUSY, EXIT_MISUSE, errors_exit, fail
from .options import JsonOption, RunnerOption, StrictOption, VerboseOption, WarehouseOption, WorkersOption
from .shown import shown


def print_run_table(summary: dict, title: str) -> None:
    """Given a run summary, print outcomes (rejections per reason) and time per phase."""
    from flows.report import count_rows, phase_rows, runner_note, source_notes

    table = Table(title=title)
    table.add_column("outcome")
    table.add_column("documents", justify="right")
    for name, n in count_rows(summary):
        table.add_row(name, str(n))
    phases = Table(title="time per phase")
    phases.add_column("phase")
    phases.add_column("seconds", justify="right")
    for phase, seconds in phase_rows(summary):
        phases.add_row(phase, f"{seconds:.2f}")
    console.print(table)
    console.print(phases)
    if runner_note(summary):
        console.print(runner_note(summary))
    for line in source_notes(summary):
        console.print(line)
    rejected = [f for f in summary["files"] if f["status"] == "rejected"]
    for f in rejected[:20]:
        console.print(Text.assemble(("rejected ", "red"), shown(f"{f['path']}: {f['message']}")))
    if len(rejected) > 20:
        console.print(f"… and {len(rejected) - 20} more (see `tongbao status`)")


def finish(summary: dict, title: str, as_json: bool, strict: bool) -> None:
    """Given a run summary, print it and exit 1 if it needs attention."""
    _finish(summary, as_json, strict, lambda s: print_run_table(s, title))


def _check_sources(sources: Path, cities: Optional[List[str]]) -> None:
    from ingest.sources import load_sources

    with errors_exit("SourcesError"):
        load_sources(sources).select(cities)


@app.command()
def fetch(
    sources: Path = typer.Argument(..., help="Sources file (TOML or YAML) listing inboxes and URLs per city."),
    warehouse: Optional[Path] = WarehouseOption,
    city: Optional[List[str]] = typer.Option(None, "--city", help="Only this city (repeatable)."),
    runner: str = RunnerOption,
    workers: Optional[int] = WorkersOption,
    strict: bool = StrictOption,
    as_json: bool = JsonOption,
    verbose: bool = VerboseOption,
) -> None:
    """Run the scheduled ingest once, now: download the sources file's URLs, read its inboxes, load what is new."""
    prefect_logging(verbose)
    runner = _check_runner(runner)
    _check_sources(sources, city)
    settings = _settings(warehouse)
    check_writable(settings)
    start_prefect()
    from flows.calls import summary_of
    from flows.ingest import ingest_flow

    summary = run_with_progress(
        lambda: summary_of(ingest_flow, paths=[], warehouse=str(settings.warehouse), sources=str(sources), cities=city or None,
                            runner=runner, workers=workers),
        as_json, verbose,
    )
    finish(summary, f"Fetch and ingest into {settings.warehouse}", as_json, strict)


@app.command()
def backfill(
    years: str = typer.Option(..., "--years", help="A year (2018) or an inclusive range (2016-2019) of bulletin periods."),
    warehouse: Optional[Path] = WarehouseOption,
    city: Optional[List[str]] = typer.Option(None, "--city", help="Only this city (repeatable)."),
    force: bool = typer.Option(False, "--force", help="Re-parse every bulletin in range, not only those from older parsers."),
    runner: str = RunnerOption,
    workers: Optional[int] = WorkersOption,
    as_json: bool = JsonOption,
    verbose: bool = VerboseOption,
) -> None:
    """Re-parse stored bulletins of some years from the raw store (no network), e.g. after a parser improvement."""
    from ingest.backfill import parse_years

    prefect_logging(verbose)
    with errors_exit("ValueError"):
        parse_years(years)
    runner = _check_runner(runner)
    settings = _settings(warehouse)
    if not settings.warehouse.exists():
        fail(f"No warehouse at {settings.warehouse}; run `tongbao ingest PATH…` first (or pass --warehouse).", EXIT_BUSY)
    check_writable(settings)
    start_prefect()
    from flows.backfill import backfill_flow
    from flows.calls import summary_of

    summary = run_with_progress(
        lambda: summary_of(backfill_flow, years=years, warehouse=str(settings.warehouse), cities=city or None, force=force,
                              runner=runner, workers=workers),
        as_json, verbose,
    )
    finish(summary, f"Back-fill {years} in {settings.warehouse}", as_json, strict=False)


@app.command()
def serve(
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (TOML or YAML) the nightly run reads."),
    paths: Optional[List[Path]] = typer.Argument(None, help="Extra inbox folders to ingest on every run."),
    warehouse: Optional[Path] = WarehouseOption,
    cron: str = typer.Option("0 2 * * *", "--cron", help="When to run (cron syntax; default 02:00 nightly)."),
    timezone: str = typer.Option("Asia/Shanghai", "--timezone", help="Time zone of --cron."),
    runner: str = RunnerOption,
    workers: Optional[int] = WorkersOption,
    name: str = typer.Option("nightly", "--name", help="Deployment name (tongbao-ingest/NAME)."),
) -> None:
    """Serve the ingest flow as a Prefect deployment on a cron schedule (needs a Prefect server; see docs/operations.md)."""
    runner = _check_runner(runner)
    if sources is None and not paths:
        fail("nothing to ingest: pass --sources FILE and/or inbox folders.", EXIT_MISUSE)
    if sources is not None:
        _check_sources(sources, None)
    missing = [str(p) for p in paths or [] if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}", EXIT_MISUSE)
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValueError as exc:
        fail(f"--cron {cron!r} / --timezone {timezone!r}: {exc}", EXIT_MISUSE)
    settings = _settings(warehouse)
    from flows.serve import api_url, build_deployments, serve_deployments

    if not api_url():
        fail("no Prefect server configured. Start one with `prefect server start --host 127.0.0.1` "
             "and set PREFECT_API_URL=http://127.0.0.1:4200/api (see docs/operations.md).", EXIT_MISUSE)
    deployments = build_deployments(sources=str(sources) if sources else None, paths=[str(p) for p in paths or []],
                                    warehouse=str(settings.warehouse), cron=cron, timezone=timezone,
                                    runner=runner, name=name, workers=workers)
    console.print(f"serving tongbao-ingest/{name} ({cron}, {timezone}) and tongbao-backfill/{name}-backfill "
                  f"against {api_url()}; Ctrl-C to stop.")
    serve_deployments(deployments)
