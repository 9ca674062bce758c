"""Glyph-level checks: overprinted duplicates, and whether a PDF has a decodable text layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import NoTextLayer, UndecodableText
from .settings import PdfSettings, _CJK_CHAR, _HAN


T_char = dict[str, Any]


@dataclass
class CharStats:
    total: int = 0
    undecodable: int = 0
    han: int = 0
    images: int = 0
    samples: list[str] = field(default_factory=list)


def check_text_layer(stats: CharStats, source: str, pages: int) -> None:
    """Given the character counts of a whole PDF, raise NoTextLayer if it has no
    text (a PDF of page images has been read by OCR before this check)."""
    if stats.total:
        return
    raise NoTextLayer(f"{source} has {pages} page(s) but no text at all; check that the right file was exported.")


def check_decodable(stats: CharStats, source: str, settings: PdfSettings) -> None:
    """Given the character counts so far, raise UndecodableText if the text layer is not Chinese."""
    if not stats.total:
        return
    sample = "".join(stats.samples[:20])
    if stats.undecodable > stats.total * settings.undecodable_share:
        raise UndecodableText(
            f"{source}: {stats.undecodable} of {stats.total} characters have no Unicode mapping "
            f"(e.g. {sample[:60]!r}); the PDF's fonts lack a ToUnicode map, so its text would load as "
            "mojibake. Re-export the PDF with embedded Unicode fonts, or OCR it."
        )
    letters = stats.total - stats.undecodable
    if letters >= 20 and stats.han == 0:
        raise UndecodableText(
            f"{source}: the text layer holds {letters} characters but no Chinese ones (e.g. {sample[:60]!r}); "
            "its fonts most likely lack a ToUnicode map. Re-export the PDF with embedded Unicode fonts, or OCR it."
        )


def is_undecodable(text: str) -> bool:
    """Given a char's text, return True if it carries no real Unicode (cid codes, private use, U+FFFD)."""
    if text.startswith("(cid:") or not text:
        return True
    code = ord(text[0])
    return 0xE000 <= code <= 0xF8FF or code == 0xFFFD or code < 0x20 and text not in "\t\n\r"


def dedupe_chars(chars: list[T_char], tolerance: float) -> list[T_char]:
    """Given a page's chars, return them without glyphs overprinted at (nearly) the
    same place (fake bold), keeping reading order. Linear, unlike a pairwise scan."""
    seen: dict[tuple, list[tuple[float, float]]] = {}
    kept = []
    for char in chars:
        key = (char["text"], char.get("fontname"), round(char["size"], 1))
        gx, gy = int(char["x0"] // tolerance), int(char["top"] // tolerance)
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for x0, top in seen.get((key, gx + dx, gy + dy), ()):
                    if abs(x0 - char["x0"]) <= tolerance and abs(top - char["top"]) <= tolerance:
                        duplicate = True
        if not duplicate:
            seen.setdefault((key, gx, gy), []).append((char["x0"], char["top"]))
            kept.append(char)
    return kept


def count_chars(chars: list[T_char], stats: CharStats) -> None:
    for char in chars:
        text = char["text"]
        stats.total += 1
        if is_undecodable(text):
            stats.undecodable += 1
            if len(stats.samples) < 20:
                stats.samples.append(text)
        elif _HAN.match(text):
            stats.han += 1
        elif len(stats.samples) < 20 and not text.isdigit():
            stats.samples.append(text)


def is_cjk(text: str) -> bool:
    return bool(text) and bool(_CJK_CHAR.match(text[-1]))
