"""Pass 2: text lines joined into paragraphs, in reading order with the tables.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..model import Origin, Paragraph, Row, Table
from .lines import Line, join_wrapped
from .page import PageRead
from .settings import PdfSettings
from .unruled import unruled_tables


@dataclass
class Body:
    """The document's body text geometry: font size, left edge, right edge, line gap."""

    size: float
    left: float
    right: float
    gap: float


def body_geometry(lines: list[Line]) -> Body:
    """Given the prose lines of a document, return the body text's size, margins and usual line gap."""
    if not lines:
        return Body(12.0, 0.0, 600.0, 6.0)
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    size = weights.most_common(1)[0][0]
    body = [line for line in lines if abs(line.size - size) <= 0.1 * size]
    left = Counter(round(line.x0) for line in body).most_common(1)[0][0]
    rights = sorted(line.x1 for line in body)
    right = rights[int(len(rights) * 0.9)]
    gaps = [
        b.top - a.bottom
        for a, b in zip(body, body[1:])
        if a.page == b.page and 0 <= b.top - a.bottom < 2 * size
    ]
    gap = statistics.median(gaps) if gaps else size * 0.5
    return Body(size, float(left), float(right), float(gap))


def pages_to_blocks(pages: list[PageRead], settings: PdfSettings) -> list[Paragraph | Table]:
    """Given pages with margins removed, return paragraphs and tables in reading order."""
    laid_out: list[list[tuple[float, Any]]] = []
    for page in pages:
        items: list[tuple[float, Any]] = [
            (top, Table([Row(r, Origin(page=page.number)) for r in rows], Origin(page=page.number)))
            for top, _, rows in page.tables
        ]
        items += unruled_tables(page.lines, page, settings)
        laid_out.append(sorted(items, key=lambda pair: pair[0]))
    body = body_geometry([item for items in laid_out for _, item in items if isinstance(item, Line)])
    blocks: list[Paragraph | Table] = []
    open_paragraph: list[Line] = []

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


def lines_to_paragraph(lines: list[Line], body: Body) -> Paragraph:
    heading = 1 if lines[0].size >= body.size * 1.2 else 0
    return Paragraph(join_wrapped(line.text for line in lines), Origin(page=lines[0].page), heading)


def starts_paragraph(previous: Line, line: Line, body: Body) -> bool:
    """Given the last line of the open paragraph and the next line, return True if
    the next line begins a new paragraph."""
    size = line.size
    if abs(previous.size - size) > 0.1 * max(size, previous.size):
        return True
    same_page = previous.page == line.page
    gap = line.top - previous.bottom if same_page else 0.0
    if size >= body.size * 1.2:  # headings wrap onto centred lines of the same size
        return same_page and gap > size
    if same_page and gap > body.gap + 0.5 * size:
        return True
    if line.x0 > body.left + 0.8 * size:
        return True
    if previous.x0 > body.left + 4 * size:  # a centred or right-aligned line stands alone
        return True
    return previous.x1 < body.right - 1.5 * size
