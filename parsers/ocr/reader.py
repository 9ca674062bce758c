"""Read a scanned bulletin (a PDF of page images, or a JPG/PNG/TIFF page) by OCR.

Cost is bounded per document: at most `max_ocr_pages` pages are recognised
and OCR stops after `ocr_timeout_s` seconds, each with a rejection naming the
cap. Pages are recognised one at a time and only their boxes kept, so memory
stays flat as pages grow. A scan on which OCR finds no text at all is
rejected as `no_text_layer`, saying so.
"""

from __future__ import annotations

import statistics
import time
from functools import partial
from typing import Iterable, Iterator

import numpy as np

from ..pdf.margins import drop_margins
from ..pdf.page import PageRead
from ..pdf.settings import PdfSettings
from ..deadline import extend_deadline
from ..deadline import announce_stage, extend_deadline
from ..errors import Corrupt, NoTextLayer, ParseTimeout, TooLarge, UnknownFormat
from ..limits import Limits
from ..model import Document
from .engine import TextBox, recognise, recognise_lines
from .layout import body_height, boxes_to_lines, page_tables, pages_to_blocks
from .pages import PageImage, image_frame_count, image_frames, pdf_page_images
from .rulings import find_grids


def read_scanned_pdf(data: bytes, source: str, sha256: str, limits: Limits, page_count: int,
                     settings: PdfSettings = PdfSettings()) -> Document:
    """Given a PDF whose pages are images without a text layer, return its document model by OCR."""
    check_page_cap(page_count, source, limits)
    return ocr_document(pdf_page_images(data, list(range(1, page_count + 1))), page_count, source, sha256, "pdf", limits,
                        settings)


def read_image(data: bytes, source: str, sha256: str, limits: Limits = Limits()) -> Document:
    """Given a JPG, PNG or TIFF bulletin page (a multi-page TIFF: pages), return its document model by OCR."""
    try:
        count = image_frame_count(data)
    except Exception as exc:  # Pillow raises many types for what is not an image
        raise UnknownFormat(
            f"{source} starts like a PNG/JPEG/TIFF image but is not one that can be opened "
            f"({type(exc).__name__}: {exc}); it is a binary file, not a bulletin page. Re-download or re-scan it."
        ) from exc
    check_page_cap(count, source, limits)
    return ocr_document(image_frames(data), count, source, sha256, "image", limits)


def check_page_cap(count: int, source: str, limits: Limits) -> None:
    if count > limits.max_ocr_pages:
        raise TooLarge(
            f"{source} is a scan of {count} pages, over the max_ocr_pages limit of {limits.max_ocr_pages}; "
            "split it, or raise TONGBAO_MAX_OCR_PAGES if the bulletin is genuine."
        )


def ocr_document(images: Iterable[PageImage], count: int, source: str, sha256: str, fmt: str, limits: Limits,
                 settings: PdfSettings = PdfSettings()) -> Document:
    """Given a scan's page images (read lazily, one at a time), return its document model."""
    started = time.monotonic()
    announce_stage(limits.ocr_timeout_s)  # OCR has its own cap: a killing parent waits that much longer
    pages: list[tuple[PageRead, list[TextBox], float]] = []
    all_boxes: list[TextBox] = []
    skews: list[float] = []
    try:
        for image in timed(guarded(images, source), started, count, source, limits):
            boxes = recognise(image.pixels)
            text_height = statistics.median(b.height for b in boxes) if boxes else 0.0
            grids = find_grids(image.pixels, text_height) if boxes else []
            h, w = image.pixels.shape[:2]
            reread = partial(reread_cells, image.pixels, text_height)
            page, rest = page_tables(image.number, boxes, grids, image.points_per_pixel, w, h, reread)
            pages.append((page, rest, image.points_per_pixel))
            all_boxes += boxes
            skews.append(image.skew)
            del image  # only the boxes are kept: memory stays flat as pages grow
    finally:
        extend_deadline(time.monotonic() - started)
    if not all_boxes:
        raise NoTextLayer(
            f"{source} has {count} page(s) of images and no text layer, and OCR found no text on them "
            "(blank pages, or a scan too faint or too small to read); check the file, or scan it again at 300 dpi."
        )
    body = body_height([(box, k) for _, rest, k in pages for box in rest])
    for page, rest, k in pages:
        page.lines = boxes_to_lines(rest, k, page.number, body)
    reads = [page for page, _, _ in pages]
    margins = drop_margins(reads, settings)
    doc = Document(source=source, format=fmt, sha256=sha256, blocks=pages_to_blocks(reads, settings), margin_text=margins)
    doc.ocr = True
    doc.ocr_confidence = mean_confidence(all_boxes)
    doc.notes.append(
        f"ocr pages={len(reads)}; boxes={len(all_boxes)}; ruled tables={sum(len(p.tables) for p in reads)}; "
        f"skew={','.join(f'{s:g}' for s in skews)}; seconds={time.monotonic() - started:.1f}"
    )
    return doc


INK_LEVEL = 150  # grey level under which a pixel is ink
MIN_REREAD_SCORE = 0.5  # as the engine's own text_score


def reread_cells(pixels: np.ndarray, text_height: float, rects: list[tuple[float, float, float, float]]) -> list[TextBox | None]:
    """Given a page image, its text height and the rectangles of ruled cells the
    detector found nothing in, return a box for each cell that holds a glyph's
    worth of ink (a lone digit is easy to pass over), recognised from its crop."""
    gray = pixels.min(axis=2)
    inset = max(3, int(text_height * 0.15))  # stay clear of the rulings
    found: list[tuple[int, tuple[int, int, int, int]]] = []
    crops = []
    for index, (x0, top, x1, bottom) in enumerate(rects):
        a, b, c, d = int(top) + inset, int(bottom) - inset, int(x0) + inset, int(x1) - inset
        if b - a < 4 or d - c < 4:
            continue
        ink = gray[a:b, c:d] < INK_LEVEL
        rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        if not len(rows) or rows[-1] - rows[0] + 1 < 0.4 * text_height:
            continue  # empty, or dust
        pad = inset
        box = (max(0, c + cols[0] - pad), max(0, a + rows[0] - pad), c + cols[-1] + 1 + pad, a + rows[-1] + 1 + pad)
        found.append((index, box))
        crops.append(pixels[box[1] : box[3], box[0] : box[2]])
    out: list[TextBox | None] = [None] * len(rects)
    for (index, (x0, top, x1, bottom)), (text, score) in zip(found, recognise_lines(crops)):
        if text and score >= MIN_REREAD_SCORE:
            out[index] = TextBox(float(x0), float(top), float(x1), float(bottom), text, score)
    return out


def timed(images: Iterable[PageImage], started: float, count: int, source: str, limits: Limits) -> Iterator[PageImage]:
    """Given page images, yield them until the document's OCR time cap is spent."""
    for done, image in enumerate(images):
        if time.monotonic() - started > limits.ocr_timeout_s:
            raise ParseTimeout(
                f"{source}: OCR stopped after {done} of {count} pages, over the ocr_timeout_s limit of "
                f"{limits.ocr_timeout_s:g} s; raise TONGBAO_OCR_TIMEOUT_S for long scans."
            )
        yield image


def guarded(images: Iterable[PageImage], source: str) -> Iterator[PageImage]:
    """Given page images read lazily, yield them; a page that cannot be decoded
    (a truncated download) raises Corrupt naming the file."""
    iterator = iter(images)
    while True:
        try:
            image = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # pypdfium2 and Pillow raise many types for damaged data
            raise Corrupt(f"{source}: a page image cannot be decoded ({type(exc).__name__}: {exc}); re-download it.") from exc
        yield image


def mean_confidence(boxes: list[TextBox]) -> float:
    """Given recognised boxes, return their mean confidence weighted by characters."""
    chars = sum(len(b.text) for b in boxes)
    return round(sum(b.confidence * len(b.text) for b in boxes) / chars, 4) if chars else 0.0
