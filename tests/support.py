"""Shared test helpers: read a fixture into comparable unit_metrics rows."""

from __future__ import annotations

from pathlib import Path

from warehouse.rows import unit_metric_rows
from parsers.bulletin import parse_bulletin

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"

# unit_metrics columns that describe the data, not where it was read from.
CONTENT_COLUMNS = (
    "table_index", "city", "period_year", "period_quarter", "unit_group",
    "unit_raw", "unit_name", "unit_function", "unit_kind", "metric", "value",
)


def rows_of(path: Path) -> list[tuple]:
    """Given a bulletin file in any format, return its unit_metrics rows
    (content columns only), sorted, as the warehouse would load them."""
    parsed = parse_bulletin(path.read_bytes(), str(path))
    rows = unit_metric_rows(parsed)
    return sorted(tuple(r[c] for c in CONTENT_COLUMNS) for r in rows)
