"""Opening a PDF with pdfplumber, page by page, and telling a damaged or encrypted file.
"""

from __future__ import annotations

import logging
import io
from typing import Any, Iterator

from ..errors import Corrupt, Encrypted

# pdfminer logs every odd object at WARNING; the reader reports what matters itself.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def check_complete(data: bytes, source: str) -> None:
    """Given a PDF's bytes, raise Corrupt if the file was cut short (no `%%EOF` near the end)."""
    if b"%%EOF" not in data[-2048:]:
        raise Corrupt(
            f"{source} is truncated: the PDF has no end-of-file marker (%%EOF), so part of it is missing; "
            "download it again."
        )


def open_pdf(data: bytes, source: str) -> Any:
    """Given a PDF's bytes, return an open pdfplumber PDF; raise Encrypted or Corrupt."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "encrypt" in str(cause).lower():
            raise Encrypted(
                f"{source} is password-protected (encrypted PDF); ask the publisher for an unprotected copy "
                "or remove the password before ingesting."
            ) from exc
        raise Corrupt(
            f"{source} is not a readable PDF ({type(cause).__name__}: {cause}); re-download or re-export it."
        ) from exc


def page_count(pdf: Any, source: str) -> int:
    """Given an open PDF, return its page count from the page tree, without reading pages."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        if isinstance(count, int) and count >= 0:
            return count
    except Exception:
        pass
    return len(pdf.pages)


def iter_pages(pdf: Any, source: str) -> Iterator[Any]:
    """Given an open PDF, yield its pages one at a time, releasing each after use."""
    for page in pdf.pages:
        try:
            yield page
        finally:
            page.close()


def close_quietly(pdf: Any) -> None:
    try:
        pdf.close()
    except Exception:
        pass
