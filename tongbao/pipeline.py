"""Plain functions from a parsed bulletin to warehouse rows.

Flows and the CLI call these; tests call them directly.
"""

from __future__ import annotations

from parsers.bulletin import ParsedBulletin

from .units import normalise_unit


def unit_metric_rows(parsed: ParsedBulletin) -> list[dict]:
    """Given a parsed bulletin, return its `unit_metrics` rows (lineage included)."""
    meta = parsed.meta
    rows = []
    for table in parsed.tables:
        period = table.period or meta.period
        for fact in table.metrics:
            identity = normalise_unit(fact.unit_raw, meta.city, fact.unit_group)
            rows.append(
                {
                    "bulletin_id": parsed.bulletin_id,
                    "table_index": fact.table_index,
                    "city": meta.city,
                    "period_year": period.year if period else None,
                    "period_quarter": period.quarter if period else None,
                    "unit_group": fact.unit_group,
                    "unit_raw": fact.unit_raw,
                    "unit_name": identity.unit_name,
                    "unit_function": identity.unit_function,
                    "unit_kind": identity.unit_kind,
                    "metric": fact.metric,
                    "value": fact.value,
                    "value_raw": fact.value_raw,
                    "header_raw": fact.header_raw,
                    "row_index": fact.row_index,
                    "match_rule": identity.rule,
                    "source_line": fact.origin.line,
                    "source_page": fact.origin.page,
                }
            )
    return rows
