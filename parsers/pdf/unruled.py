"""Pass 2: unruled tables, found by segments aligned in columns over several lines.
"""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from ..model import Origin, Row, Table
from ..textnorm import clean_name
from .settings import PdfSettings, _CAPTION_LIKE, _CLOSE_BRACKETS, _OPEN_BRACKETS
from .lines import Line, Segment, join_wrapped
from .page import PageRead


def unruled_tables(lines: list[Line], page: PageRead, settings: PdfSettings) -> list[tuple[float, Any]]:
    """Given a page's lines outside ruled tables, return (top, item) pairs: a Table
    for each run of aligned multi-segment lines, and each remaining line."""
    items: list[tuple[float, Any]] = []
    used: set[int] = set()
    for start, end in table_regions(lines, settings):
        rows = region_rows(lines[start:end], settings)
        if rows:
            items.append((lines[start].top, Table([Row(r, Origin(page=page.number)) for r in rows], Origin(page=page.number))))
            used.update(range(start, end))
    items += [(line.top, line) for i, line in enumerate(lines) if i not in used]
    return items


def table_regions(lines: list[Line], settings: PdfSettings) -> list[tuple[int, int]]:
    """Given a page's lines, return [start, end) index ranges that form unruled tables."""
    regions = []
    i = 0
    while i < len(lines):
        if len(lines[i].segments) < 2:
            i += 1
            continue
        start, end = i, i + 1
        multi = [i]
        while end < len(lines):
            nxt = lines[end]
            pitch = typical_pitch(lines, multi)
            if nxt.top - lines[end - 1].top > settings.region_gap * pitch + 0.5 * nxt.size:
                break
            if len(nxt.segments) >= 2:
                multi.append(end)
            elif not fits_in_table(nxt, lines, multi, settings):
                break
            end += 1
        # Trailing one-segment lines stay only at the page foot (a group row before
        # a page break) or when they wrap the cell above.
        while end - 1 > multi[-1] and end < len(lines) and not wraps_above(lines, end - 1, settings):
            end -= 1
        start = extend_upward(lines, start, multi, settings)
        if len(multi) >= 2 or (at_page_edge(lines, start, end) and len(lines[multi[0]].segments) >= settings.min_cells):
            regions.append((start, end))
        i = end
    return regions


def wraps_above(lines: list[Line], index: int, settings: PdfSettings) -> bool:
    return lines[index].top - lines[index - 1].bottom < settings.row_join * lines[index].size


def typical_pitch(lines: list[Line], multi: list[int]) -> float:
    tops = [lines[k].top for k in multi]
    steps = [b - a for a, b in zip(tops, tops[1:])]
    return statistics.median(steps) if steps else lines[multi[0]].size * 2.0


def fits_in_table(line: Line, lines: list[Line], multi: list[int], settings: PdfSettings) -> bool:
    """Given a one-segment line near table rows, return True if it reads as a group
    row or a wrapped cell (narrow, within the table's width) rather than prose."""
    x0 = min(lines[k].x0 for k in multi)
    x1 = max(lines[k].x1 for k in multi)
    narrow = line.x1 - line.x0 <= settings.single_line_width * (x1 - x0)
    return narrow and line.x0 >= x0 - 3 * line.size and line.x1 <= x1 + line.size


def aligned_with_column(line: Line, lines: list[Line], multi: list[int]) -> bool:
    """Given a one-segment line, return True if it starts where the table or one of its cells starts."""
    starts = [min(lines[k].x0 for k in multi) - 3 * line.size] + [s.x0 - line.size for k in multi for s in lines[k].segments]
    return any(s <= line.x0 <= s + 2 * line.size for s in starts)


def extend_upward(lines: list[Line], start: int, multi: list[int], settings: PdfSettings) -> int:
    """Given a table region's first line, return the index of the earliest group row
    directly above it (aligned with a column, not a caption)."""
    while start > 0:
        above = lines[start - 1]
        pitch = typical_pitch(lines, multi)
        if lines[start].top - above.top > 1.3 * pitch or len(above.segments) != 1:
            break
        if _CAPTION_LIKE.search(clean_name(above.text)) or not (
            fits_in_table(above, lines, multi, settings) and aligned_with_column(above, lines, multi)
        ):
            break
        start -= 1
    return start


def at_page_edge(lines: list[Line], start: int, end: int) -> bool:
    return start == 0 or end == len(lines)


def region_rows(lines: list[Line], settings: PdfSettings) -> list[list[str]]:
    """Given the lines of an unruled table, return its rows of cells: columns from
    the segments' horizontal extents, rows from vertical gaps (wrapped cells join)."""
    columns = column_bounds([line for line in lines if len(line.segments) >= 2])
    if len(columns) < 2:
        return []
    multi_gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if len(a.segments) >= 2 and len(b.segments) >= 2]
    row_gap = statistics.median(multi_gaps) if multi_gaps else lines[0].size
    rows: list[list[list[str]]] = []
    previous: Line | None = None
    for line in lines:
        cells = line_cells(line, columns)
        gap = line.top - previous.bottom if previous else 0.0
        close = previous is not None and gap < min(settings.row_join * line.size, 0.5 * row_gap)
        if rows and (close or continues_bracket(rows[-1], cells)):
            for col, text in enumerate(cells):
                if text:
                    rows[-1][col].append(text)
        else:
            rows.append([[text] if text else [] for text in cells])
        previous = line
    return [[join_wrapped(parts) for parts in row] for row in rows]


def continues_bracket(row: list[list[str]], cells: list[str]) -> bool:
    """A line whose only text closes a bracket left open in the row above continues that cell."""
    filled = [i for i, c in enumerate(cells) if c]
    if len(filled) != 1:
        return False
    col = filled[0]
    text = "".join(row[col])
    opened = sum(text.count(b) for b in _OPEN_BRACKETS) > sum(text.count(b) for b in _CLOSE_BRACKETS)
    return opened and any(b in cells[col] for b in _CLOSE_BRACKETS)


def column_bounds(lines: list[Line]) -> list[tuple[float, float]]:
    """Given a table's multi-segment lines, return column extents. The lines with the
    most common segment count have every cell filled: their k-th segments make
    column k (a centred header and right-aligned numbers need not overlap)."""
    counts = Counter(len(line.segments) for line in lines)
    width = max(counts, key=lambda n: (counts[n], n))
    full = [line for line in lines if len(line.segments) == width]
    columns = [
        (min(line.segments[k].x0 for line in full), max(line.segments[k].x1 for line in full))
        for k in range(width)
    ]
    if any(a[1] >= b[0] for a, b in zip(columns, columns[1:])):
        return merged_spans(lines)  # ragged rows: fall back to overlapping extents
    return columns


def merged_spans(lines: list[Line]) -> list[tuple[float, float]]:
    """Given lines, return the horizontal extents covered by their segments, overlaps merged."""
    spans = sorted((s.x0, s.x1) for line in lines for s in line.segments)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def line_cells(line: Line, columns: list[tuple[float, float]]) -> list[str]:
    """Given a table line and column extents, return its text per column."""
    cells = [""] * len(columns)
    for seg in line.segments:
        col = max(range(len(columns)), key=lambda k: overlap(seg, columns[k]))
        if overlap(seg, columns[col]) <= 0:
            col = min(range(len(columns)), key=lambda k: distance(seg, columns[k]))
        cells[col] = join_wrapped([cells[col], seg.text])
    return cells


def distance(seg: Segment, column: tuple[float, float]) -> float:
    return max(column[0] - seg.x1, seg.x0 - column[1], 0.0)


def overlap(seg: Segment, column: tuple[float, float]) -> float:
    return min(seg.x1, column[1]) - max(seg.x0, column[0])
