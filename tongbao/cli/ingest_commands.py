"""`tongbao ingest`: parse bulletin files and folders into the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table
from rich.text import Text

from ingest.settings import Settings

from .app import app, console, err
from .common import check_runner, check_writable, finish, prefect_logging, read_only, run_with_progress, settings_for, start_prefect, wall_seconds
from .errors import EXIT_MISUSE, fail
from .shown import escape_controls, shown
from .options import JsonOption, RunnerOption, StrictOption, VerboseOption, WarehouseOption, WorkersOption

LIST_EVERY_FILE_UP_TO = 50


@app.command()
def ingest(
    paths: Optional[List[Path]] = typer.Argument(None, help="Bulletin files or folders (searched recursively)."),
    warehouse: Optional[Path] = WarehouseOption,
    force: bool = typer.Option(False, "--force", help="Re-parse files already loaded by this parser version."),
    retry_rejected: bool = typer.Option(
        False, "--retry-rejected",
        help="Also retry every document listed in `rejections` (from its path, else from the copy in the raw store).",
    ),
    strict: bool = StrictOption,
    as_json: bool = JsonOption,
    verbose: bool = VerboseOption,
    runner: str = RunnerOption,
    workers: Optional[int] = WorkersOption,
    follow_links: bool = typer.Option(
        False, "--follow-links", help="Follow symbolic links that point outside the folders given (off: rejected)."
    ),
) -> None:
    """Parse bulletins (PDF, DOCX, text) and load them into the warehouse."""
    prefect_logging(verbose)
    paths = list(paths or [])
    settings = settings_for(warehouse)
    stored: list[tuple[str, str]] = []
    if retry_rejected:
        retry, stored, gone = _rejected_paths(settings)
        if gone:
            err.print(Text.assemble(("not retried (neither at their path nor in the raw store): ", "yellow"),
                                    shown(", ".join(gone))))
        paths += [p for p in retry if p not in paths]
        if not paths and not stored:
            console.print("Nothing to retry: no rejected document is at its path or in the raw store.")
            return
    if not paths and not stored:
        fail("give at least one file or folder (or --retry-rejected).", EXIT_MISUSE)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"no such file or folder: {', '.join(escape_controls(m) for m in missing)}", EXIT_MISUSE)
    runner = check_runner(runner)
    check_writable(settings)
    start_prefect()  # does not wait: what follows overlaps the server's start
    if runner in ("auto", "thread"):
        from ingest.guard import warm_up

        warm_up(always=True)  # parse children fork from it; its import overlaps Prefect's start-up
    from flows.calls import summary_of
    from flows.ingest import ingest_flow

    summary = run_with_progress(
        lambda: summary_of(
            ingest_flow, paths=[str(p) for p in paths], warehouse=str(settings.warehouse), force=force, runner=runner, workers=workers,
            stored=stored or None,
            follow_links=follow_links,
        ),
        as_json,
        verbose,
    )
    finish(summary, as_json, strict, lambda s: _print_summary(s, settings.warehouse))


def _rejected_paths(settings: Settings) -> tuple[list[Path], list[tuple[str, str]], list[str]]:
    """Return the documents in `rejections`: paths that exist from here,
    (source, sha256) of the others whose bytes the raw store holds (so a retry
    works from any folder), and the sources found in neither."""
    if not settings.warehouse.exists():
        return [], [], []
    from ingest.rawstore import RawStore

    with read_only(settings) as con:
        rows = con.execute("SELECT DISTINCT source_file, content_sha256 FROM rejections ORDER BY source_file").fetchall()
    store = RawStore.for_warehouse(settings.warehouse)
    present, stored, gone = [], [], []
    for source, sha in rows:
        if Path(source).exists():
            present.append(Path(source))
        elif sha and store.find(sha) is not None:
            stored.append((source, sha))
        else:
            gone.append(source)
    return present, stored, gone


def _print_summary(summary: dict, warehouse: Path) -> None:
    counts = summary["counts"]
    table = Table(title=shown(f"Ingest into {warehouse}"), show_lines=False)
    for name in ("file", "status", "reason / note"):
        table.add_column(name, overflow="fold")
    files = summary["files"]
    if len(files) > LIST_EVERY_FILE_UP_TO:  # a big run: list only what needs a look
        files = [f for f in files if f["status"] not in ("loaded", "replaced")]
    from ingest.unreadable import describe

    if len(files) < len(summary["files"]):  # and those with cells that could not be read
        files = [f for f in summary["files"] if f in files or f.get("unreadable")]
    for f in files:
        style = {"rejected": "red", "skipped": "dim"}.get(f["status"], "green")
        note = f["message"] or ""
        if f.get("unreadable"):
            note = (note + "; " if note else "") + describe(f["unreadable"])
        table.add_row(shown(f["path"]), shown(f["status"], style=style), shown(note))
    if files:
        console.print(table)
    if len(files) < len(summary["files"]):
        console.print(f"{len(summary['files']) - len(files)} loaded or replaced files not listed (`--json` lists every file).")
    parts = [f"{counts.get(k, 0)} {k}" for k in ("loaded", "replaced", "skipped", "rejected")]
    console.print(", ".join(parts) + f" in {summary['seconds'].get('total', 0):.1f}s"
                  f" ({wall_seconds():.1f}s wall, start-up included)")
    if summary.get("unreadable_cells"):
        with_cells = sum(1 for f in summary["files"] if f.get("unreadable"))
        console.print(f"{summary['unreadable_cells']} cell(s) in {with_cells} file(s) could not be read as numbers "
                      "(loaded as NULL; listed above and in bulletins.warnings)")
    if summary["rejected_by_reason"]:
        reasons = ", ".join(f"{k}: {v}" for k, v in sorted(summary["rejected_by_reason"].items()))
        console.print(f"rejected by reason: {reasons} (see `tongbao status`)")
    from flows.report import phase_rows, runner_note

    phases = ", ".join(f"{k} {v:.1f}s" for k, v in phase_rows(summary) if k != "total")
    console.print(f"time per phase: {phases}" + (f"; {runner_note(summary)}" if runner_note(summary) else ""))
