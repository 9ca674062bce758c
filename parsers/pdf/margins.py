"""Pass 2: page numbers and running heads and footers, found by repetition in the margins.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Origin, Paragraph
from ..textnorm import clean_name
from .settings import PdfSettings, _PAGE_NUMBER
from .lines import Line
from .page import PageRead


def drop_margins(pages: list[PageRead], settings: PdfSettings) -> list[Paragraph]:
    """Given all pages, remove page numbers and running heads/feet (text repeated in
    the top or bottom band of most pages) from their lines, in place, and return
    them as paragraphs marked by their layer (`page_header`, `page_footer`)."""
    keys: Counter[str] = Counter()
    for page in pages:
        keys.update({margin_key(line) for line in edge_lines(page, settings)})
    needed = max(2, int(len(pages) * settings.running_head_share + 0.5))
    repeated = {k for k, n in keys.items() if n >= needed} if len(pages) >= 2 else set()
    dropped: list[Paragraph] = []
    for page in pages:
        kept = []
        for line in page.lines:
            if (in_margin(line, page, settings) and _PAGE_NUMBER.match(line.text)) or (
                any(line is edge for edge in edge_lines(page, settings)) and margin_key(line) in repeated
            ):
                layer = "page_header" if line.bottom <= page.height * settings.margin_band else "page_footer"
                dropped.append(Paragraph(line.text, Origin(page=page.number, layer=layer)))
            else:
                kept.append(line)
        page.lines = kept
    return dropped


def edge_lines(page: PageRead, settings: PdfSettings) -> list[Line]:
    """Given a page, return the lines that could be a running head or foot: the two
    topmost and two bottommost lines inside the margin bands, of at most two segments."""
    lines = sorted(page.lines, key=lambda line: line.top)
    edges = lines[:2] + lines[-2:]
    return [line for line in edges if in_margin(line, page, settings) and len(line.segments) <= 2]


def in_margin(line: Line, page: PageRead, settings: PdfSettings) -> bool:
    band = page.height * settings.margin_band
    return line.bottom <= band or line.top >= page.height - band


def margin_key(line: Line) -> str:
    return re.sub(r"\d+", "#", clean_name(line.text))
