"""Join the lines of a wrapped cell or paragraph back into one string.

A line break inside Chinese text is layout, not a space; between Latin words
or numbers it is one. The readers differ only in which characters count as
"no space beside me", so each passes its own pattern.
"""

from __future__ import annotations

import re
from typing import Iterable


def join_wrapped(parts: Iterable[str], tight: re.Pattern) -> str:
    """Given the lines of a wrapped cell or paragraph and the pattern of
    characters that need no space beside them, return the lines joined: no
    space where either side matches, one space otherwise; blank lines dropped."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (tight.match(out[-1]) or tight.match(part[0])):
            out += " "
        out += part
    return out
