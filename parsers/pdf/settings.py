"""Tolerances of the PDF reader and the character classes it matches.

`read_pdf` takes a `PdfSettings` (validated when made) and passes it down to
every step that needs a tolerance; there is no module-level instance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"


_CJK_CHAR = re.compile(rf"[{_CJK}]")


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


_PAGE_NUMBER = re.compile(
    r"^[\s—–\-－一~～·.]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s—–\-－一~～·.]*$"
)


_CAPTION_LIKE = re.compile(r"^(附件|附表|表\s*\d|[(（]|注[:：])|表$")


_OPEN_BRACKETS = "(（[【〔"


_CLOSE_BRACKETS = ")）]】〕"


_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass(frozen=True)
class PdfSettings:
    """Tolerances, mostly in multiples of the font size of the text at hand."""

    dedupe_tolerance: float = 1.0  # points: overprinted glyphs closer than this are one glyph
    line_overlap: float = 0.5  # share of the smaller glyph height two chars must share to be one line
    segment_gap: float = 0.75  # a horizontal gap this wide separates two cells on a line
    space_gap: float = 0.2  # a horizontal gap this wide is a space in prose
    margin_band: float = 0.15  # share of the page height at top and bottom where heads and footers live
    running_head_share: float = 0.5  # share of pages a margin line repeats on to be a running head
    row_join: float = 0.5  # lines closer than this (and than half the row gap) are one table row
    region_gap: float = 1.6  # a gap over this many typical row pitches ends an unruled table
    single_line_width: float = 0.45  # a one-segment line wider than this share of the table is prose
    min_cells: int = 3  # an unruled one-line table fragment at a page edge needs this many cells
    undecodable_share: float = 0.1  # share of glyphs without Unicode above which the text layer is mojibake
    check_after_chars: int = 200  # glyphs read before the first decodability check

    def __post_init__(self) -> None:
        shares = ("line_overlap", "margin_band", "running_head_share", "single_line_width", "undecodable_share")
        for name in shares:
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"PdfSettings.{name} must be a share in (0, 1], not {getattr(self, name)!r}")
        for name in ("dedupe_tolerance", "segment_gap", "space_gap", "row_join", "region_gap"):
            if not getattr(self, name) > 0:
                raise ValueError(f"PdfSettings.{name} must be positive, not {getattr(self, name)!r}")
        if self.space_gap >= self.segment_gap:
            raise ValueError("PdfSettings.space_gap must be narrower than segment_gap (a space inside a cell)")
        for name in ("min_cells", "check_after_chars"):
            if not getattr(self, name) >= 1:
                raise ValueError(f"PdfSettings.{name} must be at least 1, not {getattr(self, name)!r}")
