"""What a report covers: which cities, which periods.

Periods are written the way analysts say them (`2021Q3`, `2021年第三季度`'s
key `20213`) and kept as `period_key` (year × 10 + quarter), as in the marts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[Qq-]?\s*([1-4]))?\s*$")
QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


class ScopeError(ValueError):
    """A city or period the user gave cannot be read; the message says how to write it."""


def parse_period(text: str, *, end: bool = False) -> int:
    """Given `2021Q3`, `2021-3`, `20213` or `2021` (a whole year: Q1, or Q4 when
    `end`), return its period_key."""
    text = text.strip()
    if re.fullmatch(r"\d{4}[1-4]", text):
        return int(text)
    match = _PERIOD.match(text)
    if not match:
        raise ScopeError(f"cannot read the period {text!r}: write it like 2021Q3 (or 2021 for a whole year)")
    year, quarter = int(match.group(1)), match.group(2)
    return year * 10 + (int(quarter) if quarter else (4 if end else 1))


def period_label(period_key: int | None, year: int | None = None, quarter: int | None = None) -> str:
    """Given a period_key (or year and quarter), return it in Chinese: 2021年第三季度, or 2021年."""
    if period_key is not None:
        year, quarter = divmod(int(period_key), 10)
    if year is None:
        return "未知期间"
    if not quarter:
        return f"{year}年"
    return f"{year}年第{QUARTER_ZH.get(quarter, quarter)}季度"


def short_label(period_key: int) -> str:
    """Given a period_key, return the axis label `2021Q3`."""
    year, quarter = divmod(int(period_key), 10)
    return f"{year}Q{quarter}"


@dataclass(frozen=True)
class Scope:
    """Cities (empty = all) and an inclusive range of period_keys (None = open)."""

    cities: tuple[str, ...] = ()
    first: int | None = None
    last: int | None = None

    @classmethod
    def from_options(cls, cities: list[str] | None, period: str | None, first: str | None, last: str | None) -> "Scope":
        """Given the CLI's --city (repeatable), --period, --from and --to, return the scope."""
        if period and (first or last):
            raise ScopeError("give either --period or --from/--to, not both")
        if period:
            lo, hi = parse_period(period), parse_period(period, end=True)
        else:
            lo = parse_period(first) if first else None
            hi = parse_period(last, end=True) if last else None
        if lo is not None and hi is not None and lo > hi:
            raise ScopeError(f"--from {short_label(lo)} is after --to {short_label(hi)}")
        return cls(tuple(dict.fromkeys(c.strip() for c in cities or () if c.strip())), lo, hi)

    def where(self, city_column: str = "city", period_column: str = "period_key") -> tuple[str, list]:
        """Return a SQL condition on the given (trusted, code-chosen) columns and its parameters."""
        parts, params = ["true"], []
        if self.cities:
            parts.append(f"{city_column} IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(self.cities))
        if self.first is not None:
            parts.append(f"{period_column} >= ?")
            params.append(self.first)
        if self.last is not None:
            parts.append(f"{period_column} <= ?")
            params.append(self.last)
        return " AND ".join(parts), params

    def describe(self, cities_found: list[str], periods_found: list[int]) -> tuple[str, str]:
        """Return (cities, period range) in Chinese for the report's heading."""
        cities = "、".join(self.cities or tuple(cities_found)) or "(无)"
        lo = self.first if self.first is not None else (min(periods_found) if periods_found else None)
        hi = self.last if self.last is not None else (max(periods_found) if periods_found else None)
        if lo is None:
            return cities, "(无数据)"
        return cities, period_label(lo) if lo == hi else f"{period_label(lo)}至{period_label(hi)}"
