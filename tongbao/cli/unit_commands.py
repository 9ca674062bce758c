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

from .app import app, console, err
from .common import read_only as _read_only, settings_for as _settings
from .errors import EXIT_ATTENTION, EXIT_MISUSE, errors_exit, fail
from .options import CsvOption, LimitOption, WarehouseOption
from .shown import shown

UNRESOLVED_COLUMNS = ("city", "unit_raw", "unit_name", "unit_kind", "match_rule", "candidates", "bulletins", "periods", "seen_as")


@app.command()
def units(
    warehouse: Optional[Path] = WarehouseOption,
    apply: bool = typer.Option(False, "--apply", help="Re-apply normalisation (and the alias file) to every loaded row, without re-parsing."),
    aliases: Optional[Path] = typer.Option(None, "--aliases", help="Analyst's alias file (default: aliases.csv next to the warehouse)."),
    city: Optional[str] = typer.Option(None, "--city", help="Only list this city's names."),
    csv: bool = CsvOption,
    limit: int = LimitOption,
) -> None:
    """List unit names that need review (unmatched, fuzzy, unknown places); --apply re-normalises with the alias file."""
    from units import AliasTable, default_aliases_path

    settings = _settings(warehouse)
    alias_path = aliases or default_aliases_path(settings.warehouse)
    if aliases is not None and not aliases.exists():
        fail(f"no alias file at {aliases}", EXIT_MISUSE)
    with errors_exit("AliasFileError"):
        table = AliasTable.from_csv(alias_path)
    if apply:
        _apply(settings, table, alias_path)
    _list(settings, city, csv, limit)


def _apply(settings, table, alias_path: Path) -> None:
    from warehouse.connection import open_warehouse
    from warehouse.decisions import UNIT_ALIASES, aliases_in_force, read_decision_text, store_decisions
    from warehouse.models import build_models
    from warehouse.unit_identities import reapply_units
    from warehouse.snapshot import publish_snapshot

    with errors_exit("ModelBuildError", "WarehouseError"):
        with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
            # kept in the warehouse: every later ingest re-applies it (warehouse/decisions.py)
            store_decisions(con, UNIT_ALIASES, alias_path, read_decision_text(alias_path))
            counts = reapply_units(con, aliases=aliases_in_force(con, settings.warehouse))
            build_models(con)
            publish_snapshot(con, settings.warehouse)
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
            fail("the warehouse has no `unresolved_units` view yet; run `tongbao units --apply`.", EXIT_ATTENTION)
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
        view.add_row(*[shown("" if v is None else v) for v in row])
    console.print(view)
    if rows:
        console.print("Confirm or correct a name with a line `city,unit_raw,unit_name,unit_function,unit_kind` "
                      "in the alias file, then run `tongbao units --apply` (see docs/units.md).")
