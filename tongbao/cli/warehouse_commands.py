"""`tongbao status`, `tongbao query` and `tongbao models`: look into the
warehouse, and rebuild its SQL models."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from .app import app, console, err
from .common import read_only as _read_only, settings_for as _settings
from .errors import EXIT_MISUSE, errors_exit
from .options import CsvOption, LimitOption, WarehouseOption


@app.command()
def status(
    warehouse: Optional[Path] = WarehouseOption,
    city: Optional[str] = typer.Option(None, "--city", help="Only bulletins of this city (exact name, e.g. 吉林市)."),
    since: Optional[datetime] = typer.Option(None, "--since", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"],
                                             help="Only what was loaded or rejected since this date (UTC)."),
    rejected_only: bool = typer.Option(False, "--rejected", help="Only the rejected documents."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most this many rows per table."),
) -> None:
    """Show what is loaded and what was rejected, and why."""
    settings = _settings(warehouse)
    where, params = ["(? IS NULL OR b.city = ?)", "(? IS NULL OR b.ingested_at >= ?)"], [city, city, since, since]
    with _read_only(settings) as con:
        loaded = [] if rejected_only else con.execute(
            f"""
            SELECT b.city, b.period_year, b.period_quarter, b.format, b.source_file, b.parser_version,
                   (SELECT count(*) FROM unit_metrics m WHERE m.bulletin_id = b.bulletin_id) AS unit_rows
            FROM bulletins b WHERE {" AND ".join(where)}
            ORDER BY b.city, b.period_year, b.period_quarter, b.source_file
            """, params
        ).fetchall()
        rejected = con.execute(
            "SELECT source_file, reason, message, rejected_at FROM rejections "
            "WHERE (? IS NULL OR rejected_at >= ?) ORDER BY rejected_at, source_file", [since, since]
        ).fetchall()
    if not rejected_only:
        table = Table(title=f"Loaded bulletins ({_shown(loaded, limit)})")
        for name in ("city", "year", "quarter", "format", "source", "parser", "unit rows"):
            table.add_column(name, overflow="fold")
        for row in loaded[:limit]:
            table.add_row(*["" if v is None else str(v) for v in row])
        console.print(table)
    if rejected:
        rej = Table(title=f"Rejected documents ({_shown(rejected, limit)})")
        for name in ("source", "reason", "what to do", "when"):
            rej.add_column(name, overflow="fold")
        for row in rejected[:limit]:
            rej.add_row(row[0], row[1], row[2], str(row[3])[:19])
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
        table.add_row(*[_cell(v) for v in row])
    console.print(table)
    more = f" (showing {limit}; use --csv for all)" if len(rows) > limit else ""
    console.print(f"{len(rows)} row(s){more}")


@app.command()
def models(warehouse: Optional[Path] = WarehouseOption) -> None:
    """Rebuild the SQL models in sql/ (done automatically after every ingest)."""
    from warehouse.connection import open_warehouse
    from warehouse.models import build_models

    settings = _settings(warehouse)
    with errors_exit("ModelBuildError", "WarehouseError"):
        with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
            built = build_models(con)
    console.print(f"built {len(built)} models: {', '.join(built)}")
