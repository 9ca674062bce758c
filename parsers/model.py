"""The one document model every format reader produces.

Interpretation reads only these types, so a bulletin gives the same facts
whether it arrived as PDF, DOCX or text. Readers fill ``blocks`` in document
order with raw tables (``Table.rows`` exactly as read, ``header_count`` 0);
``parsers.structure.shape_document`` then returns a NEW document whose
tables are joined, captioned, headed and unstacked, all without knowing the
format. A shaped table holds one truth: its ``rows`` (header rows first, then
body rows), each row carrying its ``role``; ``header_rows``, ``body_rows`` and
``header_paths`` are views of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from .script import PrintedForms

# Where on the page something was read. Only "body" text is in the reading flow;
# the others are kept aside in `Document.margin_text` for metadata.
LAYERS = ("body", "page_header", "page_footer", "text_box")

# What a shaped row is. Readers leave `role` None; shaping sets one of these.
ROW_ROLES = ("header", "group", "unit", "total", "note", "blank")


@dataclass(frozen=True)
class Origin:
    """Where something was read: a 1-based line (text), page (PDF) or block
    (DOCX), and the layer of the page it sits in; for text read by OCR, also
    how sure the recogniser was (0..1, its lowest box)."""

    line: int | None = None
    page: int | None = None
    block: int | None = None
    layer: str = "body"
    confidence: float | None = None

    def describe(self) -> str:
        parts = []
        if self.layer != "body":
            parts.append(self.layer.replace("_", " "))
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.block is not None:
            parts.append(f"block {self.block}")
        return ", ".join(parts) or "unknown position"


@dataclass
class Paragraph:
    """One paragraph of text as printed; ``heading_level`` is 0 for body text
    and n for a level-n heading."""

    text: str
    origin: Origin = field(default_factory=Origin)
    heading_level: int = 0


@dataclass
class Row:
    """One table row: its printed cells left to right (a merged header cell is
    repeated over every column it spans once shaped) and, once shaped, its
    role (see ``ROW_ROLES``)."""

    cells: list[str]
    origin: Origin = field(default_factory=Origin)
    role: str | None = None
    # OCR only: each cell's recognition confidence (None for an empty cell).
    confidences: list[float | None] | None = None

    def confidence(self, col: int) -> float | None:
        if self.confidences is None or col >= len(self.confidences):
            return None
        return self.confidences[col]

    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


@dataclass
class Table:
    """A table: its rows, where it starts, and its caption.

    As a reader emits it, ``rows`` are the rows as read and ``header_count``
    is 0; ``header_at`` is the index of the header row when the layout itself
    shows it (a cell stream reflowed by its header's width). As shaping
    returns it, the first ``header_count`` rows are the
    header (a header merged over several rows is expanded to one cell per
    column on every header row) and the rest the body; ``sources`` are the
    raw tables it was made from. ``caption_paragraphs`` keep each caption
    line with its own origin: a paragraph above the table, or a caption row
    printed inside it. ``warnings`` say what a reader or shaping noticed,
    e.g. that the table was cut off at the end of a truncated page (its
    incomplete last row is then ``cut_row``, outside ``rows``).
    """

    rows: list[Row]
    origin: Origin = field(default_factory=Origin)
    caption_paragraphs: list[Paragraph] = field(default_factory=list)
    header_count: int = 0
    header_at: int | None = None
    # How many side-by-side copies of the header were unstacked (1 = none).
    unstacked_from: int = 1
    warnings: list[str] = field(default_factory=list)
    cut_row: Row | None = None
    sources: list["Table"] = field(default_factory=list, repr=False)
    # The file the table was read from when it is not the document itself
    # (an annex of a web page); None for the document's own tables.
    source: str | None = None

    @property
    def caption(self) -> list[str]:
        """The caption lines' text, top to bottom."""
        return [p.text for p in self.caption_paragraphs]

    @property
    def header_rows(self) -> list[Row]:
        return self.rows[: self.header_count]

    @property
    def body_rows(self) -> list[Row]:
        return self.rows[self.header_count :]

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)

    @property
    def header_paths(self) -> list[tuple[str, ...]]:
        """Per column, the header texts from the top header row down, blanks
        and a merged cell's repeats dropped: ``("本季度", "报送")``."""
        paths = []
        for col in range(max((len(r.cells) for r in self.header_rows), default=0)):
            parts: list[str] = []
            for row in self.header_rows:
                text = row.cells[col].strip() if col < len(row.cells) else ""
                if text and (not parts or parts[-1] != text):
                    parts.append(text)
            paths.append(tuple(parts))
        return paths


Block = Union[Paragraph, Table]


@dataclass(frozen=True)
class Attachment:
    """A link a page calls an annex (附件): its text and href as printed
    (relative or absolute; resolving and fetching is the ingest layer's job)."""

    text: str
    href: str


@dataclass
class Document:
    """A read bulletin: body blocks in reading order, text from outside the
    body flow (DOCX page headers, footers, text boxes: each paragraph's
    ``origin.layer`` says which) that metadata may still need, and reader
    remarks (``notes``, e.g. the encoding and table dialects)."""

    source: str
    format: str  # "pdf", "docx", "doc", "text", "html", "xlsx", "xls"
    sha256: str
    blocks: list[Block] = field(default_factory=list)
    margin_text: list[Paragraph] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ocr: bool = False  # the text was recognised from page images
    ocr_confidence: float | None = None  # mean confidence of the recognised text, per character
    # Printed form of text the normalisation step converted to simplified
    # script (parsers.normalise); empty when the document is printed in simplified.
    printed: PrintedForms = field(default_factory=PrintedForms)
    notes: list[str] = field(default_factory=list)  # reader remarks, e.g. dialect
    # Labelled facts a web page states outside its body: the info-disclosure
    # block (索引号, 发布机构, 成文日期, 文号, 发布日期) and <meta> tags
    # (`meta:ArticleTitle` …), label -> value, for the metadata reader.
    page_info: dict[str, str] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)  # 附件 links of a web page

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
