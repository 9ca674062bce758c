"""From bytes to the facts of one bulletin: read, shape, interpret.

This is the parsers' public entry point. It raises `parsers.errors.ParseError`
subclasses for documents that cannot be read; callers decide what a
rejection looks like.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import import_module
from typing import Callable

from . import PARSER_VERSION
from .annexes import Annex, attach_annexes
from .deadline import check_deadline, deadline
from .detect import detect_format
from .errors import NoFacts, TooLarge
from .limits import Limits, check_size
from .metadata import BulletinMeta, read_metadata
from .model import Document
from .normalise import normalise_document
from .prose import FindingFact, StatisticFact, UnitCountFact, read_prose_facts
from .structure import shape_document
from .table_facts import TableFacts, table_to_facts

# format -> "module:function"; each reader takes (data, source, sha256, limits).
READERS: dict[str, str] = {
    "text": "parsers.text_reader:read_text",
    "pdf": "parsers.pdf:read_pdf",
    "docx": "parsers.docx_reader:read_docx",
    "doc": "parsers.legacy_word:read_legacy_word",
    "image": "parsers.ocr.reader:read_image",
    "html": "parsers.html_reader:read_html",
    "xlsx": "parsers.xlsx_reader:read_xlsx",
    "xls": "parsers.xlsx_reader:read_xlsx",
}


@dataclass
class ParsedBulletin:
    document: Document
    meta: BulletinMeta
    tables: list[TableFacts]
    statistics: list[StatisticFact] = field(default_factory=list)
    findings: list[FindingFact] = field(default_factory=list)
    parser_version: str = PARSER_VERSION
    warnings: list[str] = field(default_factory=list)
    other_statistics: list[StatisticFact] = field(default_factory=list)  # stated figures with no code yet
    unit_counts: list[UnitCountFact] = field(default_factory=list)  # per-unit figures stated in sentences

    @property
    def bulletin_id(self) -> str:
        return self.document.sha256

    @property
    def metrics(self):
        return [m for t in self.tables for m in t.metrics]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reader_for(fmt: str) -> Callable[..., Document]:
    module_name, func = READERS[fmt].split(":")
    return getattr(import_module(module_name), func)


def read_document(data: bytes, source: str, limits: Limits = Limits(), declared_charset: str | None = None) -> Document:
    """Given a file's bytes (and, for a web page, the charset its HTTP header
    declared), return its shaped document model (any format)."""
    check_size(len(data), source, limits)
    fmt = detect_format(data, source)
    if fmt == "html" and declared_charset:
        doc = reader_for(fmt)(data, source, sha256_hex(data), limits, declared_charset=declared_charset)
    else:
        doc = reader_for(fmt)(data, source, sha256_hex(data), limits)
    check_table_sizes(doc, limits)
    check_deadline()
    doc = normalise_document(doc)
    shaped = shape_document(doc)
    shaped.printed = doc.printed  # shaping may return a new document: keep the printed forms
    return shaped


def check_table_sizes(doc: Document, limits: Limits) -> None:
    """Given a read document, raise TooLarge if any table exceeds the cell cap."""
    for table in doc.tables:
        cells = sum(len(row.cells) for row in table.rows)
        if cells > limits.max_cells_per_table:
            raise TooLarge(
                f"{doc.source}: a table at {table.origin.describe()} has {cells:,} cells, over the "
                f"max_cells_per_table limit of {limits.max_cells_per_table:,}."
            )


def parse_bulletin(data: bytes, source: str, limits: Limits = Limits(),
                   declared_charset: str | None = None, annexes: list[Annex] = ()) -> ParsedBulletin:
    """Given a bulletin's bytes (and, for a web page, its downloaded
    annexes), return its metadata and table facts."""
    with deadline(limits.parse_timeout_s, source):
        return _parse_bulletin(data, source, limits, declared_charset, list(annexes))


def _parse_bulletin(data: bytes, source: str, limits: Limits, declared_charset: str | None = None,
                    annexes: list[Annex] | None = None) -> ParsedBulletin:
    doc = read_document(data, source, limits, declared_charset)
    annex_warnings = attach_annexes(doc, annexes, limits) if annexes else []
    meta = read_metadata(doc)
    tables = [table_to_facts(t, i, meta.period, limits.min_ocr_confidence) for i, t in enumerate(doc.tables, start=1)]
    prose = read_prose_facts(doc, meta.period)
    statistics, findings = prose.statistics, prose.findings
    stated = statistics or findings or prose.other_statistics or prose.unit_counts
    if not any(t.metrics for t in tables) and not stated and not any(
        t.body_rows for t in doc.tables
    ):
        raise NoFacts(no_facts_message(source, meta, doc))
    warnings = annex_warnings + [w for t in doc.tables for w in t.warnings] + [w for t in tables for w in t.warnings]
    return ParsedBulletin(
        doc, meta, tables, statistics, findings, warnings=warnings,
        other_statistics=prose.other_statistics, unit_counts=prose.unit_counts,
    )


def no_facts_message(source: str, meta: BulletinMeta, doc: Document) -> str:
    """Given a document that states nothing, say what was found and what was looked for."""
    found = []
    if meta.title:
        found.append(f"title {meta.title!r}")
    if meta.published_date:
        found.append(f"date {meta.published_date}")
    if doc.tables:
        found.append(f"{len(doc.tables)} table(s) with no body rows")
    what = ", ".join(found) if found else "no title, date or table"
    looked_for = (f"{source}: found {what}, but no stated figure and no named unit; tongbao looks for tables of "
                  "units with figures, figures in sentences (共报送…条, 合格率…%) and units named as praised or "
                  "criticised. ")
    return looked_for + _no_facts_advice(doc)


def _no_facts_advice(doc: Document) -> str:
    """What to do about a document that states nothing, for its format."""
    if doc.format == "html":
        annexes = len(doc.attachments)
        if annexes:
            return (f"The page links {annexes} annex(es) (附件): ingest it from its URL (a sources entry or "
                    "`tongbao fetch`) so the annexes are downloaded and read with it.")
        return ("If the bulletin's table is in an annex, ingest the annex file (PDF, DOCX, XLSX) itself or the "
                "page from its URL; if the page is a listing, add it to a sources file as a site listing.")
    if doc.format in ("xlsx", "xls"):
        return ("No sheet has a header row naming a unit column (单位, 部门) and a figure (排名, 报送, 得分 …): "
                "check that the workbook holds the ranking table, not a chart or a form.")
    return "If this is a bulletin, its wording is new: add it to the prose patterns."
