"""A web page's annexes (附件) read into the page's bulletin.

Offices publish the prose as an article page and put the ranking table in a
linked PDF, DOCX or Excel annex. The annex is part of the bulletin: its
tables are appended to the page's document after the page's own (so they are
numbered after them), each remembering the file it came from
(``Table.source``). The bytes arrive from the ingest layer (downloaded with
the same limits as any fetch); this module does no I/O. An annex that was
not downloaded or cannot be read is a warning on the bulletin, never a
rejection of the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ParseError
from .limits import Limits
from .model import Document


@dataclass(frozen=True)
class Annex:
    label: str  # the URL or path it came from
    data: bytes | None = None
    error: str | None = None  # why there are no bytes (a failed download)
    declared_charset: str | None = None


def attach_annexes(doc: Document, annexes: list[Annex], limits: Limits = Limits()) -> list[str]:
    """Given a shaped page document and its annexes, append each readable
    annex's tables to the page (sources named) and return a warning for each
    annex that was not downloaded, could not be read or holds no table."""
    from .bulletin import read_document  # the readers of every format

    warnings: list[str] = []
    for annex in annexes:
        if annex.data is None:
            warnings.append(f"annex {annex.label} was not downloaded: {annex.error or 'no bytes'}")
            continue
        try:
            annex_doc = read_document(annex.data, annex.label, limits, annex.declared_charset)
        except ParseError as exc:
            warnings.append(f"annex {annex.label} could not be read ({exc.reason}): {exc.message}")
            continue
        if not annex_doc.tables:
            warnings.append(f"annex {annex.label} ({annex_doc.format}) holds no table")
        for table in annex_doc.tables:
            table.source = annex.label
            doc.blocks.append(table)
        doc.notes.append(f"annex {annex.label}: {annex_doc.format}, {len(annex_doc.tables)} table(s)")
    return warnings
