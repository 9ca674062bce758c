"""Decide a document's format from its bytes, not its file name.

A `.txt` that is really a PDF is read as a PDF; a binary file named `.txt`
is rejected instead of being read as text.
"""

from __future__ import annotations

import io
import zipfile

from .errors import EmptyDocument, UnknownFormat

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Scanned pages, read by OCR: PNG, JPEG, TIFF (little- and big-endian).
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def detect_format(data: bytes, name: str = "") -> str:
    """Given a document's bytes (and its name, for legacy Word only), return
    `pdf`, `docx`, `doc`, `image` or `text`; raise for empty or binary input."""
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
        # Legacy .doc/.wps, or an encrypted OOXML package (also an OLE file).
        return "doc"
    return "text"


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
    raise UnknownFormat(
        f"{name or 'the document'} is a ZIP archive but not a Word document "
        "(no word/document.xml); unpack it and ingest the bulletins inside."
    )
