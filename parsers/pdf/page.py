"""Pass 1, one page at a time: ruled tables by their drawn lines, the rest as text lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import TooLarge
from ..limits import Limits
from .settings import PdfSettings, _RULED
from .glyphs import CharStats, T_char, count_chars, dedupe_chars
from .lines import Line, chars_to_lines, join_wrapped


@dataclass
class PageRead:
    number: int
    width: float
    height: float
    lines: list[Line]
    tables: list[tuple[float, float, list[list[str]]]]  # (top, bottom, rows) of ruled tables


def read_page(page: Any, stats: CharStats, source: str, limits: Limits, settings: PdfSettings) -> PageRead:
    """Given a pdfplumber page, return its ruled tables and the text lines outside them."""
    stats.images += len(page.images)
    chars = [c for c in page.chars if c.get("upright", True) and c["text"].strip()]
    kept = dedupe_chars(chars, settings.dedupe_tolerance)
    count_chars(kept, stats)
    keep_ids = {id(c) for c in kept}
    clean_page = page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep_ids)
    tables = []
    boxes = []
    if page.lines or page.rects or page.curves:
        for found in clean_page.find_tables(_RULED):
            rows = table_rows(found.extract())
            if not is_real_table(rows):
                continue
            if sum(len(r) for r in rows) > limits.max_cells_per_table:
                raise TooLarge(
                    f"{source}: a table on page {page.page_number} has over {limits.max_cells_per_table:,} cells "
                    "(max_cells_per_table)."
                )
            boxes.append(found.bbox)
            tables.append((found.bbox[1], found.bbox[3], rows))
    outside = [c for c in kept if not any(inside(c, box) for box in boxes)]
    return PageRead(page.page_number, float(page.width), float(page.height), chars_to_lines(outside, page.page_number, settings), tables)


def table_rows(extracted: list[list[str | None]]) -> list[list[str]]:
    """Given pdfplumber's extracted cells (None for merged ones), return rows of
    cell strings with each cell's wrapped lines joined."""
    return [[join_wrapped((cell or "").split("\n")) for cell in row] for row in extracted]


def is_real_table(rows: list[list[str]]) -> bool:
    """Given a ruled table's rows, return True if it is a grid of data, not a framed paragraph."""
    filled = [r for r in rows if any(c.strip() for c in r)]
    return len(filled) >= 2 and max((len(r) for r in filled), default=0) >= 2


def inside(char: T_char, bbox: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]
