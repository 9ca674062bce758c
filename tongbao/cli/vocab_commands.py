"""Commands to review and map printed headers and prose labels without re-parsing.

`tongbao vocab` lists the column headers whose figures are loaded as
`unmapped` (the `unmapped_headers` model; `--statistics` lists
`unmapped_statistics`); `tongbao vocab --apply` re-interprets the stored
table cells with the analyst's vocabulary file, keeps that file in the
warehouse so every later ingest re-applies it, and rebuilds the models.
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

HEADER_COLUMNS = ("header_raw", "bulletins", "cells", "example_values", "cities", "suggested_code", "suggestion_score")
STATISTIC_COLUMNS = ("label", "bulletins", "figures", "example_values", "cities", "suggested_code", "suggestion_score")


@app.command()
def vocab(
    warehouse: Optional[Path] = WarehouseOption,
    apply: bool = typer.Option(False, "--apply", help="Re-interpret the stored table cells with the vocabulary file, without re-parsing."),
    file: Optional[Path] = typer.Option(None, "--file", help="Analyst's vocabulary file (default: vocabulary.csv next to the warehouse)."),
    statistics: bool = typer.Option(False, "--statistics", help="List prose figures without a code (unmapped_statistics) instead."),
    csv: bool = CsvOption,
    limit: int = LimitOption,
) -> None:
    """List printed headers loaded as `unmapped`; --apply maps them with the vocabulary file (header_raw,metric,scope,outlet)."""
    from parsers.vocab import read_overrides
    from warehouse.decisions import VOCABULARY, decision_file, read_decision_text

    settings = _settings(warehouse)
    path = file or decision_file(settings.warehouse, VOCABULARY)
    if file is not None and not file.exists():
        fail(f"no vocabulary file at {file}", EXIT_MISUSE)
    text = read_decision_text(path)
    with errors_exit("VocabularyFileError"):
        overrides = read_overrides(text or "", str(path))
    if apply:
        _apply(settings, path, text, len(overrides))
    _list(settings, statistics, csv, limit)


def _apply(settings, path: Path, text: str | None, lines: int) -> None:
    from warehouse.connection import open_warehouse
    from warehouse.decisions import VOCABULARY, reapply_decisions, store_decisions
    from warehouse.models import build_models
    from warehouse.snapshot import publish_snapshot

    with errors_exit("ModelBuildError", "WarehouseError", "AliasFileError"):
        with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
            store_decisions(con, VOCABULARY, path, text)  # kept: every later ingest re-applies it
            counts = reapply_decisions(con, settings.warehouse)
            build_models(con)
            publish_snapshot(con, settings.warehouse)
    v = counts["vocabulary"]
    source = f"{lines} mapping(s) from {path}" if lines else f"no mappings ({path} absent or empty)"
    err.print(f"re-interpreted the stored table cells with {source}: {v['changed']} unit_metrics rows changed code, "
              f"{v['added']} added, {v['removed']} removed")


def _list(settings, statistics: bool, as_csv: bool, limit: int) -> None:
    import duckdb

    model, columns = ("unmapped_statistics", STATISTIC_COLUMNS) if statistics else ("unmapped_headers", HEADER_COLUMNS)
    with _read_only(settings) as con:
        try:
            rows = con.execute(f"SELECT {', '.join(columns)} FROM {model}").fetchall()
        except duckdb.CatalogException:
            fail(f"the warehouse has no `{model}` model yet; run `tongbao models`.", EXIT_ATTENTION)
    if as_csv:
        import csv as csvlib

        writer = csvlib.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return
    from rich.table import Table

    title = "Prose figures without a code" if statistics else "Printed headers loaded as unmapped"
    view = Table(title=f"{title} ({len(rows)})")
    for name in columns:
        view.add_column(name, overflow="fold")
    for row in rows[:limit]:
        view.add_row(*["" if v is None else str(v) for v in row])
    console.print(view)
    if rows and not statistics:
        console.print("Map a header with a line `header_raw,metric,scope,outlet` in vocabulary.csv next to the "
                      "warehouse, then run `tongbao vocab --apply` (README: the review loop).")
