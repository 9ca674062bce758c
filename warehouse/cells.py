"""Cell values made safe for spreadsheets.

Unit names and printed values come from documents. A spreadsheet program
runs a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return as a
formula (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`), so, following the OWASP
CSV-injection rule, such a text cell is written with a leading `'`, which
Excel and LibreOffice show as text and do not store. Plain numbers written as
text (`-5`, `+3.5`) and a lone sign are left as they are: they run nothing.
XLSX cannot hold most control characters at all; they are written as visible
`\\xNN` escapes.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise_formula(value: object) -> object:
    """Given a cell value, return it, with a text that a spreadsheet would run
    as a formula prefixed by `'`."""
    if not isinstance(value, str) or len(value) < 2 or not value.startswith(FORMULA_START):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def xlsx_cell(value: object) -> object:
    """Given a cell value, return what an XLSX cell may hold: formulas
    neutralised, control characters written as `\\xNN`."""
    value = neutralise_formula(value)
    if isinstance(value, str) and _XLSX_ILLEGAL.search(value):
        value = _XLSX_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value
