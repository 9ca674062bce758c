"""Turn recognised boxes into the document model, confidences kept.

Boxes inside a ruled grid (`rulings`) become that table's cells. The other
boxes are grouped into text lines of cell-like segments, in points, exactly
the records the PDF reader builds from a text layer, so the PDF reader's
second pass does the rest the same way: page numbers and running heads
dropped, unruled tables found by aligned segments, wrapped prose joined
without spaces between Chinese characters. What this module adds is the
confidence: a cell's is the lowest of the boxes read into it, a paragraph's
the lowest of its lines', stored on its origin so every sentence keeps it.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Any, Callable

from ..pdf.lines import Line, Segment, join_segments, join_wrapped
from ..pdf.page import PageRead, is_real_table
from ..pdf.paragraphs import Body, body_geometry, starts_paragraph
from ..pdf.settings import PdfSettings
from ..pdf.unruled import column_bounds, continues_bracket, distance, overlap, table_regions
from ..model import Origin, Paragraph, Row, Table
from .engine import TextBox
from .rulings import Grid

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
SAME_SEGMENT_GAP = 0.3  # boxes on a line closer than this many text heights are one segment
SIZE_SNAP = 0.25  # a line within this share of the document's body height is body-sized
SHORT_SIZE_SNAP = 0.4  # the same for a line of short boxes, measured by their (padded) height


@dataclass
class OcrSegment(Segment):
    confidence: float = 1.0


@dataclass
class OcrLine(Line):
    confidence: float = 1.0


@dataclass
class OcrTable:
    top: float
    bottom: float
    rows: list[list[str]]
    confidences: list[list[float | None]]


def lowest(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None


# ---------------------------------------------------------------- one page


Reread = Callable[[list[tuple[float, float, float, float]]], list[TextBox | None]]


def page_tables(number: int, boxes: list[TextBox], grids: list[Grid], points_per_pixel: float,
                width_px: int, height_px: int, reread: Reread | None = None) -> tuple[PageRead, list[TextBox]]:
    """Given one page's boxes and grids (pixels), return the PDF reader's page
    record (points) with its ruled tables (OcrTable) and no lines yet, and the
    boxes outside those tables. `reread`, given cell rectangles the detector
    found nothing in, returns a box for each that holds text (read from its crop)."""
    k = points_per_pixel
    tables: list[Any] = []
    used: set[int] = set()
    for grid in grids:
        table, taken = grid_table(grid, boxes, k, reread)
        if table is not None and is_real_table(table.rows):
            tables.append(table)
            used |= taken
    rest = [box for i, box in enumerate(boxes) if i not in used]
    return PageRead(number, width_px * k, height_px * k, [], tables), rest


def glyph_size(box: TextBox) -> float:
    """Given a box, return its font size in pixels. Chinese glyphs are square,
    so a run of four or more characters measures it by its width per
    character (digits and Latin count half); a box's height is swollen by
    anything touching it, a red seal over a signature above all."""
    if measurable(box):
        return min(box.height, (box.x1 - box.x0) / glyph_units(box.text))
    return box.height


def glyph_units(text: str) -> float:
    return sum(1.0 if _CJK.match(ch) else 0.5 for ch in text if not ch.isspace())


def measurable(box: TextBox) -> bool:
    return glyph_units(box.text) >= 4 and bool(_CJK.search(box.text))


def body_height(boxes: list[tuple[TextBox, float]]) -> float | None:
    """Given (box, points per pixel) pairs of a whole document, return the body
    text's height in points: the median height of the Chinese boxes, weighted
    by their characters (prose lines are long, table cells short)."""
    weighted = sorted((glyph_size(box) * k, len(box.text)) for box, k in boxes if _CJK.search(box.text))
    total = sum(n for _, n in weighted)
    running = 0
    for height, n in weighted:
        running += n
        if running * 2 >= total:
            return height
    return None


def grid_table(grid: Grid, boxes: list[TextBox], k: float, reread: Reread | None = None) -> tuple[OcrTable | None, set[int]]:
    """Given a grid and the page's boxes, return its table (each box in the cell
    under its centre, a merged cell's text in its first column) and the boxes used."""
    width = len(grid.columns) - 1
    cells: dict[tuple[int, int], list[TextBox]] = {}
    taken: set[int] = set()

    def column(walls: list[float], j: int) -> int:
        return min(range(width), key=lambda c: abs(grid.columns[c] - walls[j]))

    for i, box in enumerate(boxes):
        x, y = box.centre
        if not grid.contains(x, y):
            continue
        for r, band in enumerate(grid.bands):
            if band.top <= y < band.bottom:
                walls = band.walls
                j = max(0, min(len(walls) - 2, sum(1 for w in walls[1:-1] if w <= x)))
                cells.setdefault((r, column(walls, j)), []).append(box)
                taken.add(i)
                break
    if not cells:
        return None, taken
    if reread is not None:
        empty = [(r, column(band.walls, j), (band.walls[j], band.top, band.walls[j + 1], band.bottom))
                 for r, band in enumerate(grid.bands) for j in range(len(band.walls) - 1)
                 if (r, column(band.walls, j)) not in cells]
        for (r, col, _), box in zip(empty, reread([rect for _, _, rect in empty])):
            if box is not None:
                cells[(r, col)] = [box]
    rows, confidences = [], []
    for r in range(len(grid.bands)):
        texts, confs = [], []
        for col in range(width):
            parts = reading_order(cells.get((r, col), []))
            texts.append(join_wrapped(p.text for p in parts))
            confs.append(lowest([p.confidence for p in parts]))
        rows.append(texts)
        confidences.append(confs)
    return OcrTable(grid.top * k, grid.bottom * k, rows, confidences), taken


def reading_order(boxes: list[TextBox]) -> list[TextBox]:
    """Given the boxes of one cell, return them line by line, left to right."""
    lines: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.top):
        if lines and same_line(lines[-1][0], box):
            lines[-1].append(box)
        else:
            lines.append([box])
    return [box for line in lines for box in sorted(line, key=lambda b: b.x0)]


def boxes_to_lines(boxes: list[TextBox], k: float, number: int, body_points: float | None) -> list[OcrLine]:
    """Given boxes outside ruled tables (pixels) and the document's body text
    height (points), return text lines top to bottom (points)."""
    groups: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: (b.top, b.x0)):
        for group in reversed(groups[-3:]):
            if same_line(group[0], box):
                group.append(box)
                break
        else:
            groups.append([box])
    body = body_points / k if body_points else None
    lines: list[OcrLine] = []
    for group in groups:
        previous = lines[-1].size / k if lines else None
        lines.append(group_to_line(sorted(group, key=lambda b: b.x0), k, number, body, previous))
    return lines


def same_line(first: TextBox, box: TextBox) -> bool:
    overlap = min(first.bottom, box.bottom) - max(first.top, box.top)
    return overlap >= 0.5 * (min(first.height, box.height) or 1.0)


def group_to_line(boxes: list[TextBox], k: float, number: int, body: float | None, previous: float | None = None) -> OcrLine:
    """Given one line's boxes left to right, return it as segments in points.
    Box heights vary with the glyphs, so a line takes the size of the line
    above when that is not body-sized and close (a title's second line), else
    the page's body height unless clearly larger or smaller."""
    height = statistics.median(glyph_size(b) for b in boxes)
    if previous is not None and body is not None and previous != body and max(height, previous) / min(height, previous) - 1 < SIZE_SNAP:
        height = previous
    elif body is not None and abs(height / body - 1) < (SIZE_SNAP if any(map(measurable, boxes)) else SHORT_SIZE_SNAP):
        height = body
    size = height * k
    segments: list[OcrSegment] = []
    for box in boxes:
        if segments and (box.x0 * k - segments[-1].x1) < SAME_SEGMENT_GAP * size:
            last = segments[-1]
            last.text = join_segments([last, Segment(0, 0, box.text)])
            last.x1 = max(last.x1, box.x1 * k)
            last.confidence = min(last.confidence, box.confidence)
        else:
            segments.append(OcrSegment(box.x0 * k, box.x1 * k, box.text, box.confidence))
    return OcrLine(
        number,
        min(b.top for b in boxes) * k,
        max(b.bottom for b in boxes) * k,
        segments[0].x0,
        max(s.x1 for s in segments),
        size,
        list(segments),
        join_segments(segments),
        min(s.confidence for s in segments),
    )


# ---------------------------------------------------------------- all pages


def pages_to_blocks(pages: list[PageRead], settings: PdfSettings = PdfSettings()) -> list[Paragraph | Table]:
    """Given OCR'd pages with margins removed, return paragraphs and tables in
    reading order: the PDF reader's second pass, with confidences carried."""
    laid_out: list[list[tuple[float, Any]]] = []
    for page in pages:
        items: list[tuple[float, Any]] = [(t.top, to_table(t.rows, t.confidences, page.number)) for t in page.tables]
        items += unruled_items(page.lines, page, settings)
        laid_out.append(sorted(items, key=lambda pair: pair[0]))
    body = body_geometry([item for items in laid_out for _, item in items if isinstance(item, Line)])
    blocks: list[Paragraph | Table] = []
    open_paragraph: list[OcrLine] = []

    def flush() -> None:
        if open_paragraph:
            blocks.append(lines_to_paragraph(open_paragraph, body))
            open_paragraph.clear()

    for items in laid_out:
        for _, item in items:
            if isinstance(item, Table):
                flush()
                blocks.append(item)
            else:
                if open_paragraph and starts_paragraph(open_paragraph[-1], item, body):
                    flush()
                open_paragraph.append(item)
    flush()
    return blocks


def to_table(rows: list[list[str]], confidences: list[list[float | None]], page: int) -> Table:
    origin = Origin(page=page)
    return Table([Row(r, origin, confidences=c) for r, c in zip(rows, confidences)], origin)


def lines_to_paragraph(lines: list[OcrLine], body: Body) -> Paragraph:
    heading = 1 if lines[0].size >= body.size * 1.2 else 0
    confidence = round(min(line.confidence for line in lines), 4)
    return Paragraph(join_wrapped(line.text for line in lines), Origin(page=lines[0].page, confidence=confidence), heading)


def unruled_items(lines: list[OcrLine], page: PageRead, settings: PdfSettings) -> list[tuple[float, Any]]:
    """Given a page's lines outside ruled tables, return (top, item) pairs: a
    Table for each region the PDF reader would call an unruled table, and each
    remaining line."""
    items: list[tuple[float, Any]] = []
    used: set[int] = set()
    for start, end in table_regions(lines, settings):
        rows, confidences = region_rows(lines[start:end], settings)
        if rows:
            items.append((lines[start].top, to_table(rows, confidences, page.number)))
            used.update(range(start, end))
    items += [(line.top, line) for i, line in enumerate(lines) if i not in used]
    return items


def region_rows(lines: list[OcrLine], settings: PdfSettings) -> tuple[list[list[str]], list[list[float | None]]]:
    """Given the lines of an unruled table, return its rows and their cell
    confidences: the PDF reader's `region_rows`, each cell's lowest confidence kept."""
    columns = column_bounds([line for line in lines if len(line.segments) >= 2])
    if len(columns) < 2:
        return [], []
    multi_gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if len(a.segments) >= 2 and len(b.segments) >= 2]
    row_gap = statistics.median(multi_gaps) if multi_gaps else lines[0].size
    rows: list[list[list[str]]] = []
    confs: list[list[list[float]]] = []
    previous: OcrLine | None = None
    for line in lines:
        cells, cell_confs = line_cells(line, columns)
        gap = line.top - previous.bottom if previous else 0.0
        close = previous is not None and gap < min(settings.row_join * line.size, 0.5 * row_gap)
        if rows and (close or continues_bracket(rows[-1], cells)):
            for col, text in enumerate(cells):
                if text:
                    rows[-1][col].append(text)
                    confs[-1][col].append(cell_confs[col])
        else:
            rows.append([[text] if text else [] for text in cells])
            confs.append([[c] if text else [] for text, c in zip(cells, cell_confs)])
        previous = line
    return (
        [[join_wrapped(parts) for parts in row] for row in rows],
        [[lowest(list(c)) for c in row] for row in confs],
    )


def line_cells(line: OcrLine, columns: list[tuple[float, float]]) -> tuple[list[str], list[float]]:
    """Given a table line and column extents, return its text and lowest confidence per column."""
    cells = [""] * len(columns)
    confs = [1.0] * len(columns)
    for seg in line.segments:
        col = max(range(len(columns)), key=lambda k: overlap(seg, columns[k]))
        if overlap(seg, columns[col]) <= 0:
            col = min(range(len(columns)), key=lambda k: distance(seg, columns[k]))
        cells[col] = join_wrapped([cells[col], seg.text])
        confs[col] = min(confs[col], getattr(seg, "confidence", 1.0))
    return cells, confs
