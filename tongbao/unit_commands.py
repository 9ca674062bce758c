"""Commands to review and correct unit-name normalisation.

`tongbao units` lists the names an analyst should look at (the
`unresolved_units` view); `tongbao units --apply` re-applies normalisation,
with the analyst's alias file, to everything loaded — no document is parsed
again, so a correction takes seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .cli import EXIT_ATTENTION, EXIT_BUSY, EXIT_MISUSE, WarehouseOption, _read_only, _settings, app, console, err, errors_exit

UNRESOLVED_COLUMNS = ("city", "unit_raw", "unit_name", "unit_kind", "match_rule", "candidates", "bulletins", "periods", "seen_as")


@app.command()
def units(
    warehouse: Optional[Path] = WarehouseOption,
    apply: bool = typer.Option(False, "--apply", help="Re-apply normalisation (and the alias file) to every loaded row, without re-parsing."),
    aliases: Optional[Path] = typer.Option(None, "--aliases", help="Analyst's alias file (default: aliases.csv next to the warehouse)."),
    city: Optional[str] = typer.Option(None, "--city", help="Only list this city's names."),
    csv: bool = typer.Option(False, "--csv", help="Print CSV instead of a table."),
    limit: int = typer.Option(200, "--limit", help="Rows shown in table mode (CSV prints all)."),
) -> None:
    """List unit names that need review (unmatched, fuzzy, unknown places); --apply re-normalises with the alias file."""
    from tongbao.units import AliasFileError, AliasTable, default_aliases_path

    settings = _settings(warehouse)
    alias_path = aliases or default_aliases_path(settings.warehouse)
    if aliases is not None and not aliases.exists():
        err.print(f"[red]error:[/] no alias file at {aliases}")
        raise typer.Exit(EXIT_MISUSE)
    try:
        table = AliasTable.from_csv(alias_path)
    except AliasFileError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_MISUSE)
    if apply:
        _apply(settings, table, alias_path)
    _list(settings, city, csv, limit)


def _apply(settings, table, alias_path: Path) -> None:
    from tongbao.renormalise import reapply_units
    from warehouse.connection import WarehouseError, open_warehouse
    from warehouse.models import ModelBuildError, build_models

    with errors_exit((ModelBuildError, EXIT_ATTENTION), (WarehouseError, EXIT_BUSY)):
        with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
            counts = reapply_units(con, aliases=table)
            build_models(con)
    source = f"{len(table)} alias(es) from {alias_path}" if len(table) else f"no aliases ({alias_path} absent or empty)"
    rules = ", ".join(f"{k} {v}" for k, v in counts["by_rule"].items())
    err.print(
        f"re-applied unit normalisation with {source}: {counts['distinct_names']} distinct names, "
        f"{counts['unit_metrics_changed']} unit_metrics and {counts['unit_findings_changed']} unit_findings rows changed; "
        f"rules: {rules}"
    )


def _list(settings, city: Optional[str], as_csv: bool, limit: int) -> None:
    import duckdb

    with _read_only(settings) as con:
        try:
            sql = f"SELECT {', '.join(UNRESOLVED_COLUMNS)} FROM unresolved_units"
            params = []
            if city:
                sql += " WHERE city = ?"
                params.append(city)
            rows = con.execute(sql, params).fetchall()
        except duckdb.CatalogException:
            err.print("[red]error:[/] the warehouse has no `unresolved_units` view yet; run `tongbao units --apply`.")
            raise typer.Exit(EXIT_ATTENTION)
    if as_csv:
        import csv as csvlib

        writer = csvlib.writer(sys.stdout, lineterminator="\n")
        writer.writerow(UNRESOLVED_COLUMNS)
        writer.writerows(rows)
        return
    from rich.table import Table

    view = Table(title=f"Unit names to review ({len(rows)})")
    for name in UNRESOLVED_COLUMNS:
        view.add_column(name, overflow="fold")
    for row in rows[:limit]:
        view.add_row(*["" if v is None else str(v) for v in row])
    console.print(view)
    if rows:
        console.print("Confirm or correct a name with a line `city,unit_raw,unit_name,unit_function,unit_kind` "
                      "in the alias file, then run `tongbao units --apply` (see docs/units.md).")
