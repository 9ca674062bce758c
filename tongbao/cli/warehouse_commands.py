"""`tongbao status`, `tongbao query` and `tongbao models`: look into the
warehouse, and rebuild its SQL models."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from .app import app, console, err
from .common import read_only as _read_only, settings_for as _settings
from .errors import EXIT_MISUSE, errors_exit, fail
from .options import CsvOption, LimitOption, WarehouseOption
from .shown import shown


@app.command()
def status(
    warehouse: Optional[Path] = WarehouseOption,
    city: Optional[str] = typer.Option(None, "--city", help="Only bulletins of this city (exact name, e.g. 吉林市)."),
    since: Optional[datetime] = typer.Option(None, "--since", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"],
                                             help="Only what was loaded or rejected since this date (UTC)."),
    rejected_only: bool = typer.Option(False, "--rejected", help="Only the rejected documents."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many rows per table."),
    as_json: bool = typer.Option(False, "--json", help="Print bulletins, copies and rejections as JSON."),
) -> None:
    """Show what is loaded (and each bulletin's copies in other files or
    formats, with their disagreements) and what was rejected, and why."""
    import json

    from warehouse.status import status_report

    settings = _settings(warehouse)
    with _read_only(settings) as con:
        report = status_report(con, city=city, since=since, rejected_only=rejected_only)
    if as_json:
        selected = {k: v[:limit] for k, v in report.items()}
        console.print_json(json.dumps(selected, ensure_ascii=False, default=str))
        return
    if not rejected_only:
        loaded = report["bulletins"]
        table = Table(title=f"Loaded bulletins ({_shown(loaded, limit)})")
        columns = ("city", "period_year", "period_quarter", "format", "source_file", "parser_version", "unit_rows", "copies")
        for name in ("city", "year", "quarter", "format", "source", "parser", "unit rows", "copies"):
            table.add_column(name, overflow="fold")
        for row in loaded[:limit]:
            table.add_row(*[shown("" if row[c] is None else row[c]) for c in columns])
        console.print(table)
        copies = report["copies"]
        if any(not c["is_canonical"] for c in copies):
            others = [c for c in copies if not c["is_canonical"]]
            cop = Table(title=f"Copies of loaded bulletins ({_shown(others, limit)}; facts counted once, from the canonical copy)")
            for name in ("city", "year", "quarter", "copy", "format", "source", "cells", "disagreements"):
                cop.add_column(name, overflow="fold")
            for c in copies[:limit]:
                cop.add_row(*[shown("" if v is None else v) for v in (
                    c["city"], c["period_year"], c["period_quarter"], "canonical" if c["is_canonical"] else "copy",
                    c["format"], c["source_file"], c["facts"], "" if c["is_canonical"] else c["disagreements"])])
            console.print(cop)
            if any(c["disagreements"] for c in others):
                console.print("Copies disagree: see `tongbao query \"select detail from copy_disagreements\"`.")
    rejected = report["rejections"]
    if rejected:
        rej = Table(title=f"Rejected documents ({_shown(rejected, limit)})")
        for name in ("source", "reason", "what to do", "when"):
            rej.add_column(name, overflow="fold")
        for row in rejected[:limit]:
            rej.add_row(shown(row["source_file"]), shown(row["reason"]), shown(row["message"]), str(row["rejected_at"])[:19])
        console.print(rej)
    else:
        console.print("No rejected documents.")


def _shown(rows: list, limit: int | None) -> str:
    return f"{limit} of {len(rows)}" if limit is not None and len(rows) > limit else str(len(rows))


def _cell(value) -> str:
    """Given a value, return it as printed: NULL, or a float rounded to ten
    decimals (so 0.1 + 0.2 shows as 0.3, the way the bulletin printed it)."""
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return str(round(value, 10))
    return str(value)


@app.command()
def query(
    sql: str = typer.Argument(..., help="A read-only SQL statement, e.g. \"select * from unit_quarter\"."),
    warehouse: Optional[Path] = WarehouseOption,
    csv: bool = CsvOption,
    limit: int = LimitOption,
    layout: str = typer.Option(
        "auto", "--layout",
        help="auto: a table if every column fits the terminal, else one block per row; table: always a table "
             "(long values trimmed with …); records: always one block per row.",
    ),
) -> None:
    """Run a read-only SQL query against the warehouse (no files, no network, no writes)."""
    import duckdb

    from warehouse.sandbox import connect_for_query, is_refused_write

    from .rows_view import LAYOUTS

    if layout not in LAYOUTS:
        fail(f"--layout must be one of {', '.join(LAYOUTS)}, not {layout!r}", EXIT_MISUSE)
    settings = _settings(warehouse)
    with errors_exit("WarehouseError"):
        con, opened, stale = connect_for_query(settings.warehouse, memory_limit=settings.query_memory_limit,
                                               wait_s=settings.lock_wait_s)
    if stale:
        err.print(f"[yellow]note:[/] the warehouse is being written; reading the last snapshot ({opened}).")
    try:
        try:
            if csv:
                result = con.execute(sql)
                if result.description is None:
                    return
                names = [d[0] for d in result.description]
            else:
                relation = con.sql(sql)
                if relation is None:
                    return
                names = list(relation.columns)
                # --limit is part of the query: DuckDB stops after limit+1 rows.
                rows = relation.limit(limit + 1).fetchall()
        except duckdb.Error as exc:
            if is_refused_write(exc):
                err.print("[red]error:[/] `tongbao query` only reads the warehouse: it cannot write, attach, "
                          "read other files, change settings or load extensions; the warehouse changes only "
                          "through `tongbao ingest` (and `tongbao models`).")
                err.print(shown(str(exc).splitlines()[0], style="dim"))
                raise typer.Exit(EXIT_MISUSE)
            err.print(Text.assemble(("SQL error: ", "red"), shown(exc)))
            raise typer.Exit(EXIT_MISUSE)
        if csv:
            import csv as csvlib

            writer = csvlib.writer(sys.stdout, lineterminator="\n")
            writer.writerow(names)
            while batch := result.fetchmany(10_000):
                writer.writerows(batch)
            return
    finally:
        con.close()
    from .rows_view import print_rows, trimmed

    printed = [[_cell(v) for v in row] for row in rows[:limit]]
    used, columns = print_rows(console, names, printed, layout)
    notes = [f"the first {limit}; more exist — use --csv for all, or --limit"] if len(rows) > limit else []
    if used == "records" and layout == "auto":
        notes.append(f"{len(names)} columns do not fit {console.width} characters, so each row is a block")
    if columns < len(names):
        notes.append(f"{columns} of {len(names)} columns shown (--layout records shows all)")
    if used == "table" and trimmed([row[:columns] for row in printed]):
        notes.append("long values trimmed with … (--csv prints them whole)")
    console.print(f"{min(len(rows), limit)} row(s)" + (f" ({'; '.join(notes)})" if notes else ""))


@app.command()
def models(warehouse: Optional[Path] = WarehouseOption) -> None:
    """Rebuild the SQL models in sql/ (done automatically after every ingest)."""
    from warehouse.connection import open_warehouse
    from warehouse.models import build_models
    from warehouse.snapshot import publish_snapshot

    settings = _settings(warehouse)
    with errors_exit("ModelBuildError", "WarehouseError"):
        with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
            built = build_models(con)
            publish_snapshot(con, settings.warehouse)
    console.print(f"built {len(built)} models: {', '.join(built)}")
