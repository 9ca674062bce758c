"""Page images to recognise: PDF pages rendered with pypdfium2, image files
opened with Pillow (every frame of a multi-page TIFF, finer ones brought down
to the PDF rendering's resolution), each straightened.

Every page comes with its resolution, so the layout can work in points as
the PDF reader does. An image file's own dpi is used when plausible, else it
is taken to be an A4 page (210 mm wide), as bulletins are printed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Iterator

import numpy as np

A4_WIDTH_IN = 210 / 25.4
RENDER_DPI = 170  # PDF pages: an A4 page is then just under the 2000 px the engine works at


@dataclass
class PageImage:
    number: int  # 1-based
    pixels: np.ndarray  # H×W×3 BGR uint8, straightened
    dpi: float
    skew: float  # degrees the scan was turned by (undone in pixels)

    @property
    def points_per_pixel(self) -> float:
        return 72.0 / self.dpi


def pdf_page_images(data: bytes, pages: list[int], dpi: float = RENDER_DPI) -> Iterator[PageImage]:
    """Given a PDF's bytes and 1-based page numbers, yield each page rendered and straightened."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        for number in pages:
            page = pdf[number - 1]
            try:
                bitmap = page.render(scale=dpi / 72, grayscale=False)
                rgb = np.asarray(bitmap.to_pil().convert("RGB"))
            finally:
                page.close()
            yield straighten(number, rgb[:, :, ::-1].copy(), dpi)
    finally:
        pdf.close()


def image_frames(data: bytes) -> Iterator[PageImage]:
    """Given the bytes of a PNG, JPEG or TIFF file, yield each frame as a straightened page."""
    from PIL import Image, ImageSequence

    with Image.open(io.BytesIO(data)) as image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            rgb = np.asarray(frame.convert("RGB"))
            pixels, dpi = at_most(rgb[:, :, ::-1], frame_dpi(frame, rgb.shape[1]))
            yield straighten(number, pixels, dpi)


def at_most(pixels: np.ndarray, dpi: float, target: float = RENDER_DPI) -> tuple[np.ndarray, float]:
    """Given a page image and its resolution, return it at `target` dpi when
    finer (area-averaged, as a PDF page is rendered; the engine would shrink
    it anyway, less carefully), with its new resolution."""
    import cv2

    if dpi <= target * 1.15:
        return pixels.copy(), dpi
    scale = target / dpi
    return cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), target


def image_frame_count(data: bytes) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return int(getattr(image, "n_frames", 1))


def frame_dpi(frame, width_px: int) -> float:
    """Given an image frame and its width, return its resolution: the file's own
    dpi when it gives one between 72 and 1200, else the width of an A4 page."""
    stated = frame.info.get("dpi")
    try:
        value = float(stated[0]) if stated else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if 72 < value <= 1200 and abs(width_px / value - A4_WIDTH_IN) < 4:
        return value
    return width_px / A4_WIDTH_IN


def straighten(number: int, pixels: np.ndarray, dpi: float) -> PageImage:
    """Given a page image, return it turned back by its skew (text lines level)."""
    import cv2

    angle = estimate_skew(pixels)
    if abs(angle) >= 0.05:
        h, w = pixels.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
        pixels = cv2.warpAffine(pixels, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return PageImage(number, pixels, dpi, angle)


def estimate_skew(pixels: np.ndarray, max_angle: float = 3.0, step: float = 0.1) -> float:
    """Given a page image, return the angle (degrees, counter-clockwise positive
    as Pillow turns) that best levels its text lines: the one whose row profile
    of ink is sharpest, on a small binarised copy."""
    import cv2

    gray = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY)
    scale = 800 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.sum() == 0:
        return 0.0
    h, w = ink.shape
    best, best_score = 0.0, -1.0
    for angle in np.arange(-max_angle, max_angle + step / 2, step):
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -float(angle), 1.0)
        turned = cv2.warpAffine(ink.astype(np.float32), matrix, (w, h), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best, best_score = float(angle), score
    return round(best, 2)
