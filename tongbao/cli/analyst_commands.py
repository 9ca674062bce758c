"""Analyst-facing commands over the SQL models (check, export).

`tongbao check` runs the data tests in `sql/tests/` and lists what the
bulletins' own totals disagree with; `tongbao export` hands a model to people
who work in Excel. Both only read the warehouse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from rich.text import Text

from .app import app, console, err
from .common import read_only as _read_only, settings_for as _settings
from .errors import EXIT_ATTENTION, errors_exit
from .options import WarehouseOption
from .shown import shown

RECONCILIATION_SHOWN = 20


@app.command()
def check(
    warehouse: Optional[Path] = WarehouseOption,
    show: int = typer.Option(5, "--show", help="Offending rows printed per failing test."),
    warn_only: bool = typer.Option(
        False, "--warn-only", help="List reconciliation disagreements without failing (exit 1 only for a failed data test)."
    ),
) -> None:
    """Run the data tests in sql/tests/ and the reconciliation checks; exit 1 if a test fails or a check disagrees."""
    from warehouse.data_tests import discover_data_tests, run_data_tests

    settings = _settings(warehouse)
    with _read_only(settings) as con:
        tests = discover_data_tests()
        failures = run_data_tests(con)
        disagreements = _disagreements(con)
    for failure in failures:
        err.print(Text.assemble(("FAIL ", "red"), shown(failure.summary())))
        if failure.sample and show > 0:
            table = Table(show_lines=False)
            for name in failure.columns:
                table.add_column(name, overflow="fold")
            for row in failure.sample[:show]:
                table.add_row(*[shown("NULL" if v is None else v) for v in row])
            console.print(table)
    if disagreements:
        console.print(f"[yellow]{len(disagreements)} reconciliation check(s) disagree[/] "
                      "(the bulletin's own figures; see `select * from reconciliation where not agrees`):")
        for city, year, quarter, name, expected, found, location in disagreements[:RECONCILIATION_SHOWN]:
            console.print(shown(f"  {city} {year}Q{quarter or '-'} {name}: expected {expected}, found {found} ({location})"))
    passed = len(tests) - len(failures)
    console.print(f"{passed} passed, {len(failures)} failed")
    if failures or (disagreements and not warn_only):
        raise typer.Exit(EXIT_ATTENTION)


def _disagreements(con) -> list[tuple]:
    import duckdb

    try:
        return con.execute(
            "SELECT city, period_year, period_quarter, check_name, expected, found, location "
            "FROM reconciliation WHERE NOT agrees ORDER BY city, period_year, period_quarter, check_name"
        ).fetchall()
    except duckdb.CatalogException:
        return []


@app.command()
def export(
    model: str = typer.Argument(..., help="Model to export, e.g. unit_quarter, city_quarter, unit_trend."),
    warehouse: Optional[Path] = WarehouseOption,
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="csv (UTF-8 with BOM, for Excel), parquet or xlsx "
                                      "(default: from the --output suffix, else csv)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: MODEL.FORMAT here)."),
    city: Optional[str] = typer.Option(None, "--city", help="Only this city, e.g. 吉林市."),
    year: Optional[int] = typer.Option(None, "--year", help="Only this period_year."),
) -> None:
    """Write a model to CSV, Parquet or Excel, optionally for one city and year.

    A filter that matches nothing writes nothing (exit 1), so an earlier
    export at the same path is kept."""
    from warehouse.export import export_model, format_for

    fmt = format_for(output, fmt) if output else (fmt or "csv")
    path = output or Path(f"{model}.{fmt}")
    settings = _settings(warehouse)
    with _read_only(settings) as con:
        with errors_exit("NothingToExport", "ExportError"):
            count = export_model(con, model, path, fmt, city=city, year=year)
    console.print(f"wrote {count} row(s) of {model} to {path}")
