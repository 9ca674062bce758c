"""Reflow a stream of table cells into rows, by the header's width.

Copying a web table as text often loses its row breaks: every cell lands on
its own line (`办理单位 |`) or in its own paragraph, and nothing marks where
a row ends. Given the cells in reading order, this module finds the width
that makes the stream a table: the first `width` cells are the header (no
number or date among them), and cut into rows of that width, every column
holds one kind of value (numbers, dates or text) all the way down. A stream
that stops inside a row (a page stored only up to a length) gives its
complete rows and says the last one was cut.

The reflow is format-free and knows no document: it reads only the kinds of
the cells and the header vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .deadline import check_deadline
from .numbers import NotANumber, parse_cell_number
from .vocab import header_role

MAX_WIDTH = 30  # wider "tables" are not web-copied bulletin tables
MAX_LEAD = 2  # caption or group cells allowed before the header
MIN_CONSISTENCY = 0.85  # share of body cells of their column's usual kind
_DATE = re.compile(r"^(\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$|^\d{4}\s*年\s*\d{1,2}\s*月$")


@dataclass
class Reflowed:
    """A stream cut into rows: ``lead`` cells before the header (each a
    one-cell row), then rows of ``width`` cells (or of one cell: a group line
    between rows); ``cut`` holds the cells of an incomplete last row (empty
    when the stream ended on a row boundary)."""

    lead: list[int]
    rows: list[list[int]]  # indices into the stream, header row first; a group row has one
    width: int
    cut: list[int]
    consistency: float


def cell_kind(cell: str) -> str:
    """Given a cell, return `empty`, `none` (a printed dash), `number`, `date` or `text`."""
    text = cell.strip()
    if not text:
        return "empty"
    if _DATE.match(text):
        return "date"
    try:
        return "number" if parse_cell_number(text) is not None else "none"
    except NotANumber:
        return "text"


def reflow(cells: list[str]) -> Reflowed | None:
    """Given a stream of cells, return it cut into rows by the header's width,
    or None when no width makes it a table (at least one complete body row,
    every column of one kind)."""
    kinds = [cell_kind(c) for c in cells]
    best: tuple | None = None
    for lead in range(0, min(MAX_LEAD, len(cells)) + 1):
        for width in range(2, MAX_WIDTH + 1):
            check_deadline()
            candidate = _try(cells, kinds, lead, width)
            if candidate is None:
                continue
            consistency, vocab_hits = candidate
            if consistency < MIN_CONSISTENCY:
                continue
            # Most consistent first; then the header naming most known columns;
            # then more body rows to show it (up to 3); then no cells before
            # the header; then the widest.
            rows = min((len(cells) - lead) // width - 1, 3)
            key = (round(consistency, 3), vocab_hits, rows, -lead, width)
            if best is None or key > best[0]:
                best = (key, lead, width, consistency)
    if best is None:
        return reflow_with_groups(cells, kinds)
    _, lead, width, consistency = best
    start = lead
    full = (len(cells) - start) // width
    rows = [list(range(start + r * width, start + (r + 1) * width)) for r in range(full)]
    cut = list(range(start + full * width, len(cells)))
    return Reflowed(list(range(lead)), rows, width, cut, consistency)


MIN_GROUPED_ROWS = 2  # body rows a grouped reflow must find
MIN_GROUPED_COVER = 0.9  # share of the stream its rows and group cells must take


def reflow_with_groups(cells: list[str], kinds: list[str] | None = None) -> Reflowed | None:
    """Given a stream that does not cut into equal rows, return it cut into rows
    of the header's width with one-cell group lines between them (`县(市)政府`,
    `市直部门`), or None. Every body row must show one signature of kinds (say
    number, text, number, number) and a group line is a lone text cell where
    that signature does not start; the width and signature kept are those
    whose rows take the most of the stream."""
    kinds = kinds or [cell_kind(c) for c in cells]
    best: tuple | None = None
    for lead in range(0, min(MAX_LEAD, len(cells)) + 1):
        for width in range(2, MAX_WIDTH + 1):
            check_deadline()
            start = lead + width
            if len(cells) - start < width * MIN_GROUPED_ROWS or any(k != "text" for k in kinds[:start]):
                continue
            for signature in _signatures(kinds, start, width):
                rows, end = _walk(kinds, start, width, signature)
                body = [r for r in rows if len(r) == width]
                cover = (end - start) / (len(cells) - start)
                if len(body) < MIN_GROUPED_ROWS or cover < MIN_GROUPED_COVER or len(body) == len(rows):
                    continue
                hits = sum(1 for i in range(lead, start) if header_role(cells[i]))
                key = (round(cover, 3), hits, -lead, width)
                if best is None or key > best[0]:
                    best = (key, lead, width, rows, end)
    if best is None:
        return None
    _, lead, width, rows, end = best
    header = list(range(lead, lead + width))
    return Reflowed(list(range(lead)), [header] + rows, width, list(range(end, len(cells))), 1.0)


def _signatures(kinds: list[str], start: int, width: int) -> list[tuple[str, ...]]:
    """The kind signatures of the windows that could be the first body row
    (a row or two of group cells may come first), each with a figure in it."""
    out = []
    for p in range(start, min(start + 3, len(kinds) - width + 1)):
        signature = tuple("*" if k in ("empty", "none") else k for k in kinds[p : p + width])
        if any(k not in ("text", "*") for k in signature) and signature not in out:
            out.append(signature)
    return out


def _matches(kinds: list[str], p: int, signature: tuple[str, ...]) -> bool:
    window = kinds[p : p + len(signature)]
    return len(window) == len(signature) and all(
        k in ("empty", "none") or s == "*" or k == s for k, s in zip(window, signature)
    )


def _walk(kinds: list[str], p: int, width: int, signature: tuple[str, ...]) -> tuple[list[list[int]], int]:
    """Given a body start and a row signature, return the rows read from there
    (group cells as one-cell rows) and where reading stopped."""
    rows: list[list[int]] = []
    while p < len(kinds):
        if _matches(kinds, p, signature):
            rows.append(list(range(p, p + width)))
            p += width
        elif kinds[p] == "text" and _matches(kinds, p + 1, signature):
            rows.append([p])
            p += 1
        else:
            break
    return rows, p


def _try(cells: list[str], kinds: list[str], lead: int, width: int) -> tuple[float, int] | None:
    header = range(lead, lead + width)
    body_cells = len(cells) - lead - width
    if body_cells < width:
        return None  # no complete body row
    if any(kinds[i] not in ("text", "empty") for i in header if i < len(cells)):
        return None
    if any(kinds[i] == "empty" for i in range(lead)):
        return None
    columns: list[dict[str, int]] = [{} for _ in range(width)]
    for i in range(lead + width, len(cells)):
        kind = kinds[i]
        if kind in ("empty", "none"):
            continue
        col = (i - lead) % width
        columns[col][kind] = columns[col].get(kind, 0) + 1
    counted = sum(sum(c.values()) for c in columns)
    usual = sum(max(c.values()) for c in columns if c)
    consistency = usual / counted if counted else 0.0
    # An empty header cell is only a row break printed as a cell: its column
    # must be empty all the way down.
    for col, i in enumerate(header):
        if kinds[i] == "empty" and columns[col]:
            return None
    incomplete = (len(cells) - lead) % width != 0
    vocab_hits = sum(1 for i in header if header_role(cells[i]))
    if all(kinds[i] == "text" for i in range(lead + width, len(cells))) and not (
        vocab_hits and _repeats(cells, lead, width)
    ):
        return None  # all text: only a known header over a value repeated down a column shows the width
    return consistency - (0.01 if incomplete else 0.0), vocab_hits


def _repeats(cells: list[str], lead: int, width: int) -> bool:
    """Given an all-text stream and a width, tell whether some column repeats
    one value on every body row (`微信`, `微信`, …) while another varies."""
    rows = (len(cells) - lead) // width
    if rows < 3:
        return False
    distinct = [len({cells[lead + r * width + col].strip() for r in range(1, rows)}) for col in range(width)]
    return 1 in distinct and any(n > 1 for n in distinct)


def column_kinds(cells: list[str], shaped: Reflowed) -> list[str | None]:
    """Given a stream and its reflow, return each column's usual kind over the
    body rows (None for a column with no figure or text in it)."""
    usual: list[str | None] = []
    for col in range(shaped.width):
        counts: dict[str, int] = {}
        for row in shaped.rows[1:]:
            if len(row) != shaped.width:
                continue
            kind = cell_kind(cells[row[col]])
            if kind not in ("empty", "none"):
                counts[kind] = counts.get(kind, 0) + 1
        usual.append(max(counts, key=counts.get) if counts else None)
    return usual


def fits(cells: list[str], indices: list[int], usual: list[str | None]) -> bool:
    """Given cells laid out from a row's first column, tell whether each is
    of its column's usual kind (a dash or an empty cell fits anywhere)."""
    kinds = [cell_kind(cells[k]) for k in indices]
    return all(k in ("empty", "none") or u is None or k == u for k, u in zip(kinds, usual))


def fitting_rows(cells: list[str], shaped: Reflowed) -> int:
    """Given a stream and its reflow, return how many of its rows (header
    included) remain once trailing rows that break their columns' kinds are
    dropped: what follows a table in the same run of short paragraphs (a
    signature, a date) is not part of it."""
    usual = column_kinds(cells, shaped)
    keep = len(shaped.rows)
    while keep > 1 and (len(shaped.rows[keep - 1]) != shaped.width or not fits(cells, shaped.rows[keep - 1], usual)):
        keep -= 1
    return keep
