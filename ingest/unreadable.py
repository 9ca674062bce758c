"""Cells where a figure was printed but could not be read.

A cell such as `暂无` or `6O` (a letter O for a zero) under a known metric
header loads as NULL, and the bulletin's `warnings` says so; the ingest
summary counts them per file too, so a person sees them without a query.
A dash or an empty cell ("no figure printed") is not counted.
"""

from __future__ import annotations

from parsers.numbers import NotANumber, parse_cell_number

SHOWN_PER_FILE = 3


def unreadable_cells(unit_metrics: list[dict]) -> list[str]:
    """Given a bulletin's unit_metrics rows, return each coded figure that
    loaded as NULL because its printed text is not a number, as
    `unit header = 'text'`."""
    found = []
    for row in unit_metrics:
        raw = row.get("value_raw")
        if row.get("value") is not None or row.get("metric") == "unmapped" or not raw:
            continue
        try:
            parse_cell_number(raw)
        except NotANumber:
            found.append(f"{row.get('unit_raw')} {row.get('header_raw') or row.get('metric')} = {raw!r}")
    return found


def describe(cells: list[str]) -> str:
    """Given a file's unreadable cells, return a short note for its summary row."""
    shown = "; ".join(cells[:SHOWN_PER_FILE]) + (" …" if len(cells) > SHOWN_PER_FILE else "")
    return f"{len(cells)} cell(s) not read as numbers, loaded as NULL: {shown}"
