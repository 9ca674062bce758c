"""Turn a shaped table into unit facts: one per (unit row, metric column).

Group header rows set the group of the rows below them; totals go aside for
reconciliation; notes, blank rows and repeated headers are dropped. Nothing
here knows which format the table came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Origin, Row, Table
from .numbers import NotANumber, looks_numeric, parse_cell_number
from .periods import Period, find_period
from .textnorm import clean_name, clean_prose
from .vocab import METRIC_CODES, header_role, row_label_kind


@dataclass
class MetricFact:
    table_index: int
    row_index: int  # 1-based among the table's unit rows, in reading order
    unit_group: str | None
    unit_raw: str
    metric: str
    value: float | None
    value_raw: str
    header_raw: str
    origin: Origin


@dataclass
class TotalFact:
    table_index: int
    label_raw: str
    metric: str
    value: float | None
    value_raw: str
    origin: Origin


@dataclass
class TableFacts:
    table_index: int
    caption: str
    period: Period | None
    columns: dict[str, str]  # printed header -> role
    metrics: list[MetricFact] = field(default_factory=list)
    totals: list[TotalFact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def table_to_facts(table: Table, table_index: int, default_period: Period | None) -> TableFacts:
    """Given a shaped table and its 1-based index, return its facts."""
    caption = " / ".join(clean_prose(line) for line in table.caption)
    roles = column_roles(table.header_rows)
    facts = TableFacts(
        table_index=table_index,
        caption=caption,
        period=_table_period(table.caption, default_period),
        columns={h: r for h, r in zip(_header_labels(table.header_rows), roles) if r},
    )
    if "unit" not in roles or not any(r in METRIC_CODES for r in roles):
        facts.warnings.append(f"table {table_index} ({table.origin.describe()}): no unit and metric columns recognised")
        return facts
    unit_col = roles.index("unit")
    group_col = roles.index("group") if "group" in roles else None
    header_keys = {tuple(clean_name(c) for c in r.cells if c.strip()) for r in table.header_rows}
    group: str | None = None
    row_index = 0
    for row in table.body_rows:
        kind = classify_row(row, unit_col, header_keys)
        if kind == "group":
            group = clean_name(next(c for c in row.cells if c.strip()))
            continue
        if kind == "total":
            facts.totals.extend(_totals(row, roles, table_index))
            continue
        if kind != "unit":
            continue
        if group_col is not None and group_col < len(row.cells) and row.cells[group_col].strip():
            group = clean_name(row.cells[group_col])
        row_index += 1
        unit_raw = row.cells[unit_col].strip()
        for col, role in enumerate(roles):
            if role not in METRIC_CODES:
                continue
            raw = row.cells[col].strip() if col < len(row.cells) else ""
            try:
                value = parse_cell_number(raw)
            except NotANumber:
                facts.warnings.append(
                    f"table {table_index} {row.origin.describe()}: {unit_raw} {role} = {raw!r} is not a number; loaded as NULL"
                )
                value = None
            facts.metrics.append(
                MetricFact(table_index, row_index, group, unit_raw, role, value, raw, _header_labels(table.header_rows)[col], row.origin)
            )
    return facts


def column_roles(header_rows: list[Row]) -> list[str | None]:
    """Given a table's header rows, return the role of each column."""
    return [header_role(label) or _role_of_parts(label) for label in _header_labels(header_rows)]


def _header_labels(header_rows: list[Row]) -> list[str]:
    if not header_rows:
        return []
    width = max(len(r.cells) for r in header_rows)
    labels = []
    for col in range(width):
        parts = [r.cells[col].strip() for r in header_rows if col < len(r.cells) and r.cells[col].strip()]
        deduped = [p for i, p in enumerate(parts) if i == 0 or p != parts[i - 1]]
        labels.append("".join(deduped))
    return labels


MAX_HEADER_CHARS = 40  # a longer "header" is prose or garbage, never a column name


def _role_of_parts(label: str) -> str | None:
    # A two-line header (`本季度` over `报送`) joins to a known phrase; if not,
    # the lower line alone may be known.
    if len(label) > MAX_HEADER_CHARS:
        return None
    for cut in range(1, len(label)):
        role = header_role(label[cut:])
        if role:
            return role
    return None


def classify_row(row: Row, unit_col: int, header_keys: set[tuple]) -> str:
    """Given a body row, return `blank`, `header`, `group`, `total`, `note` or `unit`."""
    filled = [c.strip() for c in row.cells if c.strip()]
    if not filled:
        return "blank"
    if tuple(clean_name(c) for c in filled) in header_keys:
        return "header"
    label = row.cells[unit_col].strip() if unit_col < len(row.cells) else ""
    label_kind = row_label_kind(label or filled[0])
    if label_kind:
        return label_kind
    if len(filled) == 1 and not looks_numeric(filled[0]):
        return "group"
    if not label or looks_numeric(label):
        # No label, or a number (a rank: the columns shifted) where the unit
        # name should be: a note, never a number loaded as a unit name.
        return "note"
    return "unit"


def _totals(row: Row, roles: list[str | None], table_index: int) -> list[TotalFact]:
    label = next(c.strip() for c in row.cells if c.strip())
    out = []
    for col, role in enumerate(roles):
        if role in METRIC_CODES and role != "rank" and col < len(row.cells) and row.cells[col].strip():
            try:
                value = parse_cell_number(row.cells[col])
            except NotANumber:
                value = None
            out.append(TotalFact(table_index, label, role, value, row.cells[col].strip(), row.origin))
    return out


def _table_period(caption: list[str], default: Period | None) -> Period | None:
    default_year = default.year if default else None
    for line in caption:
        period = find_period(line, default_year)
        if period and period.year:
            return period
    return default
