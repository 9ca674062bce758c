"""The one document model every format reader produces.

Interpretation reads only these types, so a bulletin gives the same facts
whether it arrived as PDF, DOCX or text. Readers fill ``blocks`` in document
order; ``parsers.structure`` then merges continued tables, binds captions and
splits header rows, all without knowing the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Origin:
    """Where something was read: a 1-based line (text), page (PDF) or block (DOCX)."""

    line: int | None = None
    page: int | None = None
    block: int | None = None

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.block is not None:
            parts.append(f"block {self.block}")
        return ", ".join(parts) or "unknown position"


@dataclass
class Paragraph:
    text: str
    origin: Origin = field(default_factory=Origin)
    heading_level: int = 0  # 0 for body text, n for a level-n heading


@dataclass
class Row:
    cells: list[str]
    origin: Origin = field(default_factory=Origin)

    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass
class Table:
    rows: list[Row]
    origin: Origin = field(default_factory=Origin)
    caption: list[str] = field(default_factory=list)
    header_rows: list[Row] = field(default_factory=list)
    body_rows: list[Row] = field(default_factory=list)
    # How many side-by-side copies of the header were unstacked (1 = none).
    unstacked_from: int = 1


Block = Union[Paragraph, Table]


@dataclass
class Document:
    source: str
    format: str  # "pdf", "docx", "text"
    sha256: str
    blocks: list[Block] = field(default_factory=list)
    # Text outside the body flow (DOCX headers, footers, text boxes) that the
    # metadata reader may still need: titles and signatures often live there.
    margin_text: list[Paragraph] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # reader remarks, e.g. dialect

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
