"""Decide a document's format from its bytes, not its file name.

A `.txt` that is really a PDF is read as a PDF; a binary file named `.txt`
is rejected instead of being read as text.
"""

from __future__ import annotations

import io
import zipfile

from .errors import EmptyDocument, ParseError, UnknownFormat
from .html_reader import looks_like_html

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Scanned pages, read by OCR: PNG, JPEG, TIFF (little- and big-endian).
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def detect_format(data: bytes, name: str = "") -> str:
    """Given a document's bytes (and its name, for legacy Word only), return
    `pdf`, `docx`, `xlsx`, `xls`, `doc`, `html`, `image` or `text`; raise for empty
    or binary input."""
    if not data.strip():
        raise EmptyDocument(f"{name or 'the document'} is empty (0 bytes or only whitespace).")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, name)
    if data.startswith(IMAGE_MAGIC):
        return "image"
    if data.startswith(OLE_MAGIC):
        # Legacy .doc/.wps, a legacy Excel .xls, or an encrypted OOXML package.
        return "xls" if _ole_workbook(data, name) else "doc"
    if looks_like_html(data):
        return "html"
    return "text"


def _ole_workbook(data: bytes, name: str) -> bool:
    """Given OLE bytes, return whether they hold an Excel 97-2003 workbook."""
    from .legacy_word import ole_streams

    try:
        streams = ole_streams(data, name)
    except ParseError:
        return False
    return ("Workbook" in streams or "Book" in streams) and "WordDocument" not in streams


def _zip_kind(data: bytes, name: str) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        raise UnknownFormat(
            f"{name or 'the document'} starts like a ZIP/Office file but is not a readable ZIP ({exc}); "
            "re-download it or export it again as DOCX or PDF.",
            reason="corrupt",
        ) from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if any(n.startswith(("ppt/", "visio/")) for n in names) or "[Content_Types].xml" in names:
        raise UnknownFormat(
            f"{name or 'the document'} is an Office file but neither a Word document nor an Excel workbook; "
            "export the bulletin as PDF, DOCX or XLSX and ingest that."
        )
    raise UnknownFormat(
        f"{name or 'the document'} is a ZIP archive, not a Word document or Excel workbook; "
        "unpack it and ingest the bulletins inside."
    )
