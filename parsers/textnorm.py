"""Text cleaning shared by every stage, so names compare equal across formats.

The warehouse contract stores NFKC text with whitespace removed from names;
prose keeps spaces only where both sides are not Chinese.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def clean_name(text: str) -> str:
    """Given a printed name or header cell, return it NFKC'd with all whitespace removed."""
    return _WS.sub("", nfkc(text))


def clean_prose(text: str) -> str:
    """Given printed prose, return it NFKC'd with spaces next to Chinese removed."""
    text = nfkc(text).strip()
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    return _WS.sub(" ", text)
