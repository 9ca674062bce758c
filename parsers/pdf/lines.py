"""Characters grouped into text lines of cell-like segments.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Iterable

from ..wrapped_text import join_wrapped as join_wrapped_text
from .settings import PdfSettings, _CJK_CHAR
from .glyphs import T_char, is_cjk


@dataclass
class Segment:
    x0: float
    x1: float
    text: str


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[Segment]
    text: str  # segments joined as prose


def chars_to_lines(chars: list[T_char], page_number: int, settings: PdfSettings) -> list[Line]:
    """Given chars outside tables, return text lines top to bottom, each split
    into segments at gaps wide enough to separate table cells."""
    lines: list[list[T_char]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        for line in reversed(lines[-3:]):
            if same_line(line[0], char, settings):
                line.append(char)
                break
        else:
            lines.append([char])
    return [chars_to_line(sorted(line, key=lambda c: c["x0"]), page_number, settings) for line in lines]


def same_line(first: T_char, char: T_char, settings: PdfSettings) -> bool:
    overlap = min(first["bottom"], char["bottom"]) - max(first["top"], char["top"])
    height = min(first["bottom"] - first["top"], char["bottom"] - char["top"]) or 1.0
    return overlap >= height * settings.line_overlap


def chars_to_line(chars: list[T_char], page_number: int, settings: PdfSettings) -> Line:
    size = statistics.median(c["size"] for c in chars)
    segments: list[Segment] = []
    pieces: list[str] = []
    previous: T_char | None = None
    for char in chars:
        gap = char["x0"] - previous["x1"] if previous else 0.0
        if previous is None or gap >= settings.segment_gap * size:
            if previous is not None:
                segments[-1].text = "".join(pieces)
            segments.append(Segment(char["x0"], char["x1"], ""))
            pieces = []
        elif gap >= settings.space_gap * size and not (is_cjk(previous["text"]) or is_cjk(char["text"])):
            pieces.append(" ")
        pieces.append(char["text"])
        segments[-1].x1 = max(segments[-1].x1, char["x1"])
        previous = char
    segments[-1].text = "".join(pieces)
    text = join_segments(segments)
    return Line(
        page_number,
        min(c["top"] for c in chars),
        max(c["bottom"] for c in chars),
        chars[0]["x0"],
        max(c["x1"] for c in chars),
        float(size),
        segments,
        text,
    )


def join_wrapped(parts: Iterable[str]) -> str:
    """Given the lines of a wrapped cell or paragraph, return them joined: no space
    where either side is Chinese, one space between Latin words."""
    return join_wrapped_text(parts, _CJK_CHAR)


def join_segments(segments: list[Segment]) -> str:
    out = ""
    for seg in segments:
        if out and not (_CJK_CHAR.match(out[-1]) and _CJK_CHAR.match(seg.text[0])):
            out += " "
        out += seg.text
    return out
