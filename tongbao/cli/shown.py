"""Document text on the console: never markup, never terminal control.

Unit names, paths and messages come from documents and folders we do not
control. Rich reads `[...]` as markup (`[/]` crashes it) and passes ESC
sequences to the terminal, so every such value goes through `shown()`: a
rich `Text` (no markup) whose control characters are printed as visible
escapes (`\\x1b`), and undecodable file-name bytes as `\\xNN`.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 controls except tab and newline, DEL, C1 controls, and the bidi overrides
# that can make a name display as another.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\udc80-\udcff]")


def escape_controls(value: object) -> str:
    """Given any value, return its text with control characters and
    surrogate-escaped file-name bytes written as visible `\\xNN`/`\\uNNNN` escapes."""
    text = "" if value is None else str(value)
    text = _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def shown(value: object, style: str = "") -> Text:
    """Given a value from a document, path or database, return it as rich
    Text that prints literally (no markup, no control sequences)."""
    return Text(escape_controls(value), style=style)
