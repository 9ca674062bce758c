"""Turn a text file's bytes into str: UTF-8 (with or without BOM) or GB18030.

GB18030 decodes almost any byte string, so a GB18030 decode is also checked
to look like Chinese or ASCII text before it is believed. A strict UTF-8 decode
is believed as it is (mirror pages carry pinyin tone marks, bopomofo and other
mojibake that no share of "plausible" characters predicts), unless it is
mostly control characters.
"""

from __future__ import annotations

import re

from .errors import UndecodableText, UnknownFormat

_PLAUSIBLE = re.compile(
    r"[\u0020-\u007e\t\r\n\u00a0-\u00ff\u2000-\u206f\u2190-\u21ff\u2460-\u24ff\u2500-\u257f"
    r"\u25a0-\u25ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)
MIN_PLAUSIBLE_SHARE = 0.97
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
MAX_CONTROL_SHARE = 0.01


def decode_text(data: bytes, name: str = "") -> tuple[str, str]:
    """Given a text document's bytes, return (text, encoding name)."""
    label = name or "the document"
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        if b"\x00" in data:
            raise UnknownFormat(
                f"{label} contains NUL bytes: it is a binary file, not a PDF, DOCX or text bulletin."
            )
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding.startswith("utf") and _control_share(text) <= MAX_CONTROL_SHARE:
            return text, encoding
        if _plausible_share(text) >= MIN_PLAUSIBLE_SHARE:
            return text, encoding
    raise UndecodableText(
        f"{label} is not UTF-8 or GB18030/GBK text that reads as Chinese; "
        "save it as UTF-8 (or GB18030) and ingest it again."
    )


def _plausible_share(text: str) -> float:
    if not text:
        return 1.0
    sample = text[:200_000]
    return len(_PLAUSIBLE.findall(sample)) / len(sample)


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:200_000]
    return len(_CONTROL.findall(sample)) / len(sample)
