"""Recognise the text of one page image: boxes with positions and confidences.

RapidOCR (PP-OCRv4 Chinese detection and recognition, models inside the
wheel) runs on onnxruntime on the CPU, so nothing is downloaded at run time.
The engine is loaded once per process, on first use: parse workers pay the
~1 s model load once, documents with a text layer never.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

_ENGINE: Any = None
_LOCK = threading.Lock()
# The recogniser cannot tell a full-width bracket from a half-width one (they
# differ only in the spacing around them); brackets are read as half-width.
_AMBIGUOUS = str.maketrans({"（": "(", "）": ")"})
# A speck of dust beside a lone figure reads as a point or comma ("5.", ".12"):
# no bulletin prints a figure so, so it is dropped.
_DUSTY_FIGURE = re.compile(r"^[.·,，、']*(\d+(?:\.\d+)?%?)[.·,，、']*$")


def clean_text(text: str) -> str:
    """Given recognised text, return it with brackets half-width and dust beside a lone figure dropped."""
    text = text.strip().translate(_AMBIGUOUS)
    match = _DUSTY_FIGURE.match(text)
    return match.group(1) if match else text


@dataclass(frozen=True)
class TextBox:
    """One recognised run of text, in image pixels (axis-aligned bounds)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    confidence: float

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2)


def engine() -> Any:
    """Return this process's RapidOCR engine, loading it on first use."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            from rapidocr_onnxruntime import RapidOCR

            _ENGINE = RapidOCR()
    return _ENGINE


def recognise(image: np.ndarray) -> list[TextBox]:
    """Given a page image (H×W×3 BGR uint8, upright), return its text boxes in
    reading order. The angle classifier is skipped: bulletin pages are upright."""
    result, _ = engine()(image, use_cls=False)
    boxes = []
    for quad, text, score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        text = clean_text(text)
        if text:
            boxes.append(TextBox(min(xs), min(ys), max(xs), max(ys), text, float(score)))
    return boxes


def recognise_lines(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Given images each holding one line of text (BGR), return (text, confidence)
    per image, recognition only: for cells the detector passed over."""
    if not crops:
        return []
    results, _ = engine().text_rec(crops)
    return [(clean_text(str(r[0])), float(r[1])) for r in results]
