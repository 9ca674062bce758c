"""Turn a shaped table into its cells and unit facts.

Every cell of every non-blank row is kept as a `CellFact` (its column's
joined header path, the row's role, the number it reads as). The unit facts
are the cells' interpretation: one per (unit row, figure column) — a
vocabulary code with its scope and outlet when the header is known, else
`unmapped`. Group rows set the group of the rows below them; totals go aside
for reconciliation. Nothing here knows which format the table came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Origin, Row, Table
from .numbers import NotANumber, looks_numeric, parse_cell_number
from .periods import Period, find_period
from .textnorm import clean_name, clean_prose
from .vocab import METRIC_CODES, UNMAPPED, HeaderMeaning, interpret_header, row_label_kind


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
    scope: str | None = "period"
    outlet: str | None = None
    col_index: int | None = None  # 1-based column of the cell

    # OCR only: the lower of the unit-name and figure cells' recognition confidences.
    confidence: float | None = None

    @property
    def headline(self) -> bool:
        """The unit's plain figure: a code, the table's own period, no outlet."""
        return self.metric != UNMAPPED and self.scope in (None, "period") and self.outlet is None


@dataclass
class TotalFact:
    table_index: int
    label_raw: str
    metric: str
    value: float | None
    value_raw: str
    origin: Origin
    confidence: float | None = None  # OCR only: the figure cell's


@dataclass
class CellFact:
    """One printed cell: where it sits, what its column and row are, what it reads as."""

    table_index: int
    row_index: int  # 1-based among all the table's rows (header rows first), in reading order
    col_index: int  # 1-based
    header_raw: str
    row_role: str  # header, group, unit, total, note
    text: str
    number: float | None
    origin: Origin
    unit_raw: str | None = None  # unit rows
    unit_group: str | None = None  # unit rows
    unit_row: int | None = None  # unit rows: unit_metrics.row_index
    col_role: str | None = None  # unit, group or ignore when the column is one; None for a figure column
    confidence: float | None = None  # OCR only: the cell's recognition confidence


@dataclass
class TableFacts:
    table_index: int
    caption: str
    period: Period | None
    columns: dict[str, str]  # printed header -> role
    metrics: list[MetricFact] = field(default_factory=list)
    totals: list[TotalFact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cells: list[CellFact] = field(default_factory=list)


def table_to_facts(table: Table, table_index: int, default_period: Period | None, min_confidence: float = 0.0) -> TableFacts:
    """Given a shaped table and its 1-based index, return its cells and facts.
    A figure recognised (OCR) with a confidence below `min_confidence` loads
    as NULL, its text kept in value_raw, with a warning."""
    caption = " / ".join(clean_prose(line) for line in table.caption)
    header_rows, body_rows, lead_notes = _header_and_body(table)
    labels = _header_labels(header_rows)
    width = max([len(labels)] + [len(r.cells) for r in body_rows])
    labels += [""] * (width - len(labels))
    meanings = [interpret_header(label) for label in labels]
    roles = [m.role for m in meanings]
    facts = TableFacts(
        table_index=table_index,
        caption=caption,
        period=_table_period(table.caption, default_period),
        columns={h: r for h, r in zip(labels, roles) if r},
    )
    row_number = 0
    for row in lead_notes:
        row_number += 1
        facts.cells.extend(_cells(row, row_number, labels, "note", table_index))
    for row in header_rows:
        row_number += 1
        facts.cells.extend(_cells(row, row_number, labels, "header", table_index))
    unrecognised = None
    if "unit" not in roles or not any(m.is_metric for m in meanings):
        unrecognised = f"table {table_index} ({table.origin.describe()}): no unit and metric columns recognised"
        facts.warnings.append(unrecognised)
    unit_col = roles.index("unit") if "unit" in roles else guess_unit_column(body_rows, roles)
    if unit_col is None:
        for row in body_rows:
            if not row.is_blank():
                row_number += 1
                facts.cells.extend(_cells(row, row_number, labels, "note", table_index))
        return facts
    roles[unit_col] = "unit"
    group_col = roles.index("group") if "group" in roles else None
    header_keys = {tuple(clean_name(c) for c in r.cells if c.strip()) for r in header_rows}
    figure_cols = _figure_columns(meanings, roles)
    group: str | None = None
    unit_rows: list[tuple[Row, int, str | None]] = []
    for row in body_rows:
        kind = classify_row(row, unit_col, header_keys)
        if kind == "blank":
            continue
        row_number += 1
        if kind == "group":
            group = clean_name(next(c for c in row.cells if c.strip()))
        elif kind == "total":
            facts.totals.extend(_totals(row, meanings, table_index))
        if kind != "unit":
            facts.cells.extend(_cells(row, row_number, labels, kind, table_index))
            continue
        if group_col is not None and group_col < len(row.cells) and row.cells[group_col].strip():
            group = clean_name(row.cells[group_col])
        unit_rows.append((row, row_number, group))
    numeric = {col for col in range(width) if any(_number_or_none(_cell(r, col)) is not None for r, _, _ in unit_rows)}
    meanings = metric_meanings(meanings, roles, numeric)
    for unit_row, (row, number, row_group) in enumerate(unit_rows, start=1):
        unit_raw = row.cells[unit_col].strip()
        cells = _cells(row, number, labels, "unit", table_index, min_confidence)
        for cell in cells:
            cell.unit_raw, cell.unit_group, cell.unit_row = unit_raw, row_group, unit_row
            cell.col_role = roles[cell.col_index - 1] if roles[cell.col_index - 1] in ("unit", "group", "ignore") else None
        facts.cells.extend(cells)
        for col in figure_cols:
            meaning = meanings[col]
            if meaning is None:
                continue
            raw = _cell(row, col)
            value = _number_or_none(raw)
            if meaning.role != UNMAPPED:
                try:
                    value = parse_cell_number(raw)
                except NotANumber:
                    facts.warnings.append(
                        f"table {table_index} {row.origin.describe()}: {unit_raw} {meaning.role} = {raw!r} is not a number; loaded as NULL"
                    )
            figure_confidence = row.confidence(col)
            if value is not None and figure_confidence is not None and figure_confidence < min_confidence:
                facts.warnings.append(
                    f"table {table_index} {row.origin.describe()}: {unit_raw} {meaning.role} = {raw!r} was read by OCR with "
                    f"confidence {figure_confidence:.2f}, under min_ocr_confidence {min_confidence:g}; loaded as NULL"
                )
                value = None
            facts.metrics.append(
                MetricFact(table_index, unit_row, row_group, unit_raw, meaning.role, value, raw, labels[col], row.origin,
                           meaning.scope, meaning.outlet, col + 1, lowest_confidence(row.confidence(unit_col), figure_confidence))
            )
    if unrecognised is not None and facts.metrics:  # figures did load: say where to map them
        facts.warnings[facts.warnings.index(unrecognised)] = (
            f"table {table_index} ({table.origin.describe()}): no header in the vocabulary; "
            "its figures load as `unmapped` (see the unmapped_headers model)"
        )
    return facts


def metric_meanings(meanings: list[HeaderMeaning], roles: list[str | None], numeric: set[int]) -> list[HeaderMeaning | None]:
    """Given each column's header meaning, the columns' roles (the unit column
    set) and which columns hold a number in a unit row, return what each
    column's unit cells load as: a code with scope and outlet, `unmapped`
    (a numeric column without a code, or a second column claiming a code,
    scope and outlet already taken: two figures never collapse into one),
    or None (not a figure column)."""
    out: list[HeaderMeaning | None] = []
    taken: set[tuple] = set()
    for col, meaning in enumerate(meanings):
        if roles[col] in ("unit", "group", "ignore"):
            out.append(None)
        elif meaning.is_metric and (meaning.role, meaning.scope, meaning.outlet) not in taken:
            taken.add((meaning.role, meaning.scope, meaning.outlet))
            out.append(meaning)
        elif col in numeric:
            out.append(HeaderMeaning(UNMAPPED, meaning.scope or "period", meaning.outlet if meaning.is_metric else None))
        else:
            out.append(None)
    return out


def guess_unit_column(body_rows: list[Row], roles: list[str | None]) -> int | None:
    """Given a table whose headers name no unit column, return the column that
    holds unit names: the first whose body cells are mostly text (not
    numbers, not one repeated label) beside a column of numbers; or None."""
    rows = [r for r in body_rows if not r.is_blank()]
    width = max((len(r.cells) for r in rows), default=0)
    numeric_cols = {c for c in range(width) if sum(looks_numeric(_cell(r, c)) for r in rows) * 2 >= len(rows) > 0}
    for col in range(width):
        if col < len(roles) and roles[col] in ("ignore", "group"):
            continue
        texts = [_cell(r, col) for r in rows if _cell(r, col)]
        words = [t for t in texts if not looks_numeric(t)]
        if len(words) * 2 > len(texts) > 0 and len(set(words)) > 1 and numeric_cols - {col}:
            return col
    return None


def _header_and_body(table: Table) -> tuple[list[Row], list[Row], list[Row]]:
    """Given a shaped table, return its header rows, body rows and leading
    caption-like rows. A table whose header no vocabulary recognised takes
    its leading rows without numbers as header (one-cell rows as notes)."""
    if table.header_rows:
        return list(table.header_rows), list(table.body_rows), []
    rows = list(table.body_rows or table.rows)
    header: list[Row] = []
    notes: list[Row] = []
    while rows and len(header) < 3:
        filled = [c for c in rows[0].cells if c.strip()]
        if filled and any(looks_numeric(c) for c in filled):
            break
        if len(filled) <= 1 and not header:
            if filled:
                notes.append(rows[0])
            rows.pop(0)
            continue
        if len(filled) <= 1:
            break
        header.append(rows.pop(0))
    if not rows:  # nothing under it: those rows were the table's body
        return [], header + rows, notes
    return header, rows, notes


def _figure_columns(meanings: list[HeaderMeaning], roles: list[str | None]) -> list[int]:
    return [col for col in range(len(meanings)) if roles[col] not in ("unit", "group", "ignore")]


def _cells(row: Row, row_index: int, labels: list[str], role: str, table_index: int, min_confidence: float = 0.0) -> list[CellFact]:
    """Given a row, return its cells; a figure recognised (OCR) below `min_confidence` reads as no number."""
    cells = []
    for col, text in enumerate(row.cells):
        confidence = row.confidence(col)
        trusted = confidence is None or confidence >= min_confidence
        cells.append(CellFact(table_index, row_index, col + 1, labels[col] if col < len(labels) else "", role, text.strip(),
                              _number_or_none(text) if trusted else None, row.origin, confidence=confidence))
    return cells


def _cell(row: Row, col: int) -> str:
    return row.cells[col].strip() if col < len(row.cells) else ""


def _number_or_none(text: str) -> float | None:
    try:
        return parse_cell_number(text)
    except NotANumber:
        return None


def column_roles(header_rows: list[Row]) -> list[str | None]:
    """Given a table's header rows, return the role of each column."""
    return [interpret_header(label).role for label in _header_labels(header_rows)]


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


def _totals(row: Row, meanings: list[HeaderMeaning], table_index: int) -> list[TotalFact]:
    """Given a printed total row, return its figures under the table's plain
    (headline) columns; qualified columns stay in `table_cells` only."""
    label = next(c.strip() for c in row.cells if c.strip())
    out = []
    taken: set[str] = set()
    for col, meaning in enumerate(meanings):
        role = meaning.role
        if meaning.outlet is not None or meaning.scope not in (None, "period") or role in taken:
            continue
        if role in METRIC_CODES:
            taken.add(role)
        if role in METRIC_CODES and role != "rank" and col < len(row.cells) and row.cells[col].strip():
            try:
                value = parse_cell_number(row.cells[col])
            except NotANumber:
                value = None
            out.append(TotalFact(table_index, label, role, value, row.cells[col].strip(), row.origin, row.confidence(col)))
    return out


def lowest_confidence(*values: float | None) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _table_period(caption: list[str], default: Period | None) -> Period | None:
    default_year = default.year if default else None
    for line in caption:
        period = find_period(line, default_year)
        if period and period.year:
            return period
    return default
