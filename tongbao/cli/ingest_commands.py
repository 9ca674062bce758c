"""`tongbao ingest`: parse bulletin files and folders into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from ingest.settings import Settings

from .app import app, console, err
from .common import check_runner, check_writable, finish, read_only, run_with_progress, settings_for, start_prefect, wall_seconds
from .errors import EXIT_MISUSE, fail
from .options import JsonOption, RunnerOption, StrictOption, VerboseOption, WarehouseOption, WorkersOption

LIST_EVERY_FILE_UP_TO = 50


@app.command()
def ingest(
    paths: Optional[List[Path]] = typer.Argument(None, help="Bulletin files or folders (searched recursively)."),
    warehouse: Optional[Path] = WarehouseOption,
    force: bool = typer.Option(False, "--force", help="Re-parse files already loaded by this parser version."),
    retry_rejected: bool = typer.Option(
        False, "--retry-rejected", help="Also retry every document listed in `rejections` (from its original path)."
    ),
    strict: bool = StrictOption,
    as_json: bool = JsonOption,
    verbose: bool = VerboseOption,
    runner: str = RunnerOption,
    workers: Optional[int] = WorkersOption,
) -> None:
    """Parse bulletins (PDF, DOCX, text) and load them into the warehouse."""
    paths = list(paths or [])
    settings = settings_for(warehouse)
    if retry_rejected:
        retry, gone = _rejected_paths(settings)
        if gone:
            err.print(f"[yellow]not retried (no longer at their path):[/] {', '.join(gone)}")
        paths += [p for p in retry if p not in paths]
        if not paths:
            console.print("Nothing to retry: no rejected document is still at its path.")
            return
    if not paths:
        fail("give at least one file or folder (or --retry-rejected).", EXIT_MISUSE)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(missing)}", EXIT_MISUSE)
    runner = check_runner(runner)
    check_writable(settings)
    start_prefect()
    from flows.ingest import ingest_flow

    summary = run_with_progress(
        lambda: ingest_flow(
            [str(p) for p in paths], warehouse=str(settings.warehouse), force=force, runner=runner, workers=workers
        ),
        as_json,
        verbose,
    )
    finish(summary, as_json, strict, lambda s: _print_summary(s, settings.warehouse))


def _rejected_paths(settings: Settings) -> tuple[list[Path], list[str]]:
    """Return (paths still present, paths gone) of the documents in `rejections`."""
    if not settings.warehouse.exists():
        return [], []
    with read_only(settings) as con:
        sources = [r[0] for r in con.execute("SELECT source_file FROM rejections ORDER BY source_file").fetchall()]
    present = [Path(s) for s in sources if Path(s).exists()]
    return present, [s for s in sources if not Path(s).exists()]


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
    console.print(", ".join(parts) + f" in {summary['seconds'].get('total', 0):.1f}s"
                  f" ({wall_seconds():.1f}s wall, start-up included)")
    if summary["rejected_by_reason"]:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(summary["rejected_by_reason"].items()))
        console.print(f"rejected by reason: {reasons} (see `tongbao status`)")
    from flows.report import phase_rows, runner_note

    phases = ", ".join(f"{k} {v:.1f}s" for k, v in phase_rows(summary) if k != "total")
    console.print(f"time per phase: {phases}" + (f"; {runner_note(summary)}" if runner_note(summary) else ""))
