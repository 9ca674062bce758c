"""Read numbers as bulletins print them.

Thousands separators, full-width digits (via NFKC), percentages (returned
as fractions), Chinese numerals (`六`, `十五`, `二〇二〇`) and tie ranks
(`并列6`, `6(并列)`: the rank shared, 6) are read. A
dash or slash (`—`, `-`, `/`) means the bulletin printed no figure: it reads
as None, never as 0.
"""

from __future__ import annotations

import re

from .textnorm import clean_name

NO_FIGURE = {"", "-", "--", "—", "——", "–", "/", "\\", "无", "—-", "-—", "─", "━", "ー", "－"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_CHINESE_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                   "六": 6, "七": 7, "八": 8, "九": 9}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CHINESE_NUMERAL = "零〇○一二两三四五六七八九十百千万"
_TIE = re.compile(r"^并列(第)?(?P<a>\d+)(名)?$|^(第)?(?P<b>\d+)(名)?\(并列\)$")


class NotANumber(ValueError):
    """A cell that should hold a number holds text."""


def parse_cell_number(cell: str) -> float | None:
    """Given a table cell, return its value (percent as a fraction), None for a
    printed dash; raise NotANumber for other text."""
    text = clean_name(cell)
    if text in NO_FIGURE or set(text) <= set("-—–/"):
        return None
    tie = _TIE.match(text)
    if tie:
        return float(tie.group("a") or tie.group("b"))
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    if _NUMBER.match(text):
        value = float(text.replace(",", ""))
    elif text and all(ch in CHINESE_NUMERAL for ch in text):
        value = float(chinese_to_int(text))
    else:
        raise NotANumber(cell)
    return value / 100.0 if percent else value


def chinese_to_int(text: str) -> int:
    """Given a Chinese numeral (`十五`, `一百零三`, `二〇二〇`) or digits, return its integer."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CHINESE_NUMERAL for ch in text):
        raise NotANumber(text)
    if not any(ch in _CHINESE_UNITS for ch in text):
        # Digit-by-digit, as years are written: 二〇二〇.
        return int("".join(str(_CHINESE_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[ch]
        elif ch == "万":
            section = (section + digit) * 10000
            total += section
            section, digit = 0, 0
        else:
            unit = _CHINESE_UNITS[ch]
            section += (digit or 1) * unit
            digit = 0
    return total + section + digit


def looks_numeric(cell: str) -> bool:
    try:
        return parse_cell_number(cell) is not None
    except NotANumber:
        return False
