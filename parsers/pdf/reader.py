"""Read PDF bulletins into the document model, on pdfplumber.

Two passes. The first walks the pages one at a time (each released after
use, so memory does not grow with page count): it drops overprinted
duplicate glyphs (fake bold), finds ruled tables by their drawn lines, and
groups the remaining characters into text lines of cell-like segments. The
second pass, on those small records only, removes page numbers and running
heads, finds unruled tables by aligned segments, and joins the remaining
lines into paragraphs the way the text formats have them: wrapped lines
joined without spaces between Chinese characters.

Tables are emitted as rows only; ``parsers.structure`` joins a table that
continues on the next page, binds captions, splits headers and unstacks the
side-by-side layout.
"""

from __future__ import annotations

import time

from ..deadline import check_deadline
from ..errors import Corrupt, ParseError, ParseTimeout, TooLarge
from ..limits import Limits
from ..model import Document
from .settings import PdfSettings
from .glyphs import CharStats, check_decodable, check_text_layer
from .inflate import inflation_budget
from .open import check_complete, close_quietly, iter_pages, open_pdf, page_count
from .page import PageRead, read_page
from .margins import drop_margins
from .paragraphs import pages_to_blocks


def read_pdf(data: bytes, source: str, sha256: str, limits: Limits = Limits(),
             settings: PdfSettings = PdfSettings()) -> Document:
    """Given a PDF bulletin's bytes (and the reader's tolerances), return its document
    model (blocks in reading order; page numbers and running heads aside in
    `margin_text`, marked by their layer); every stream is inflated within
    `max_inflated_bytes`. Checks the shared parse deadline after every page."""
    with inflation_budget(limits.max_inflated_bytes, source):
        return _read_pdf(data, source, sha256, limits, settings)


def _read_pdf(data: bytes, source: str, sha256: str, limits: Limits, settings: PdfSettings) -> Document:
    started = time.monotonic()
    check_complete(data, source)
    pages: list[PageRead] = []
    stats = CharStats()
    pdf = open_pdf(data, source)
    try:
        count = page_count(pdf, source)
        if count > limits.max_pdf_pages:
            raise TooLarge(
                f"{source} has {count} pages, over the max_pdf_pages limit of {limits.max_pdf_pages}; "
                "split the file or raise the limit if the bulletin is genuine."
            )
        for page in iter_pages(pdf, source):
            if len(pages) >= limits.max_pdf_pages:  # the page tree's count may lie
                raise TooLarge(
                    f"{source} has more than {limits.max_pdf_pages} pages (its page tree says {count}), over the "
                    "max_pdf_pages limit; split the file or raise the limit if the bulletin is genuine."
                )
            pages.append(read_page(page, stats, source, limits, settings))
            check_deadline()
            if time.monotonic() - started > limits.parse_timeout_s:
                raise ParseTimeout(
                    f"{source}: reading stopped at page {page.page_number} of {count} after "
                    f"{limits.parse_timeout_s:g} s (parse_timeout_s); raise the limit for very long bulletins."
                )
            if stats.total >= settings.check_after_chars:
                check_decodable(stats, source, settings)
    except ParseError:
        raise
    except Exception as exc:  # pdfminer/pdfplumber raise many types for damaged files
        limit = _limit_inside(exc)
        if limit is not None:  # a budget hit deep inside pdfminer, wrapped by pdfplumber
            raise limit from exc
        raise Corrupt(f"{source} could not be read as a PDF ({type(exc).__name__}: {exc}); re-download or re-export it.") from exc
    finally:
        close_quietly(pdf)
    if not stats.total and stats.images:  # a scan: pages of images, no text layer
        from ..ocr.reader import read_scanned_pdf

        return read_scanned_pdf(data, source, sha256, limits, len(pages), settings)
    check_text_layer(stats, source, len(pages))
    check_decodable(stats, source, settings)
    margins = drop_margins(pages, settings)
    doc = Document(source=source, format="pdf", sha256=sha256, blocks=pages_to_blocks(pages, settings), margin_text=margins)
    doc.notes.append(f"pages={len(pages)}; ruled tables={sum(len(p.tables) for p in pages)}")
    return doc


def _limit_inside(exc: BaseException) -> ParseError | None:
    """Given an error from pdfplumber, return the ParseError it wraps (in its
    args or its chain), if any."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ParseError):
            return exc
        inner = next((a for a in exc.args if isinstance(a, BaseException)), None)
        exc = inner or exc.__cause__ or exc.__context__
        seen += 1
    return None
