"""Find the period a caption, title or sentence speaks of.

`2020年第三季度`, `二〇二〇年第三季度`, `2020 年第 3 季度`, `(统计时间:7月1日—9月30日)`
and `2020年度` are understood; a date such as `2021年1月25日` is a date, not a period.
With ``every_grain=True`` (the bulletin's own period) also a month (`2017年9月份`),
a month range (`1—2月份`, `3-4月`; `1-3月` is Q1), a half year (`上半年`), a whole
year (`2023年全县`) and a numbered round (`2020年第四次`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from .numbers import CHINESE_NUMERAL, chinese_to_int
from .textnorm import clean_name

_YEAR = rf"(?P<year>\d{{4}}|[{CHINESE_NUMERAL}]{{4}})年"
_QUARTER = re.compile(_YEAR + r"(?:度)?(?:[^0-9年季]{0,12}?)第?(?P<q>[1-4一二三四])季度")
_BARE_QUARTER = re.compile(r"第?(?P<q>[1-4一二三四])季度")
_WHOLE_YEAR = re.compile(_YEAR + r"度?(?:全年|年度)?")
_RANGE = re.compile(
    r"(?:(?P<y1>\d{4})年)?(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日?[—\-~至到](?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日?"
)
_DATE = re.compile(rf"(?P<year>\d{{4}}|[{CHINESE_NUMERAL}]{{4}})年(?P<month>\d{{1,2}}|[{CHINESE_NUMERAL}]{{1,2}})月(?P<day>\d{{1,2}}|[{CHINESE_NUMERAL}]{{1,3}})日")

_DASH = r"[—\-~至到－–―]"
_MONTH_RANGE = re.compile(rf"(?:(?P<year>\d{{4}})年)?(?P<m1>\d{{1,2}})(?:月份?)?{_DASH}(?P<m2>\d{{1,2}})月(?!\d{{1,2}}日)")
_MONTH = re.compile(rf"(?:(?P<year>\d{{4}}|[{CHINESE_NUMERAL}]{{4}})年)?(?<![\d{_DASH[1:-1]}])(?P<m>\d{{1,2}})月份?(?!\d{{1,2}}[日号])(?![\d{_DASH[1:-1]}])")
_CN_MONTH = re.compile(_YEAR + r"(?P<m>十[一二]?|[一二三四五六七八九])月份?(?![一二三四五六七八九十\d]{1,3}[日号])")
_HALF = re.compile(_YEAR.replace("(?P<year>", "(?:(?P<year>") + r")?(?:度)?(?P<h>上|下)半年")
_ROUND = re.compile(_YEAR + r"(?:度)?第(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})(?:次|轮|期)")
_YEAR_SCOPE = re.compile(_YEAR + r"(?:度)?(?:全年|全县|全市|全区|全州|全盟|全旗|全省|全自治区)")

GRAINS = ("month", "quarter", "half", "year", "range", "round")

@dataclass(frozen=True)
class Period:
    """A reporting period. Equality is (year, quarter), as before grains were read;
    `grain`, `start`, `end` and `month` say exactly what was printed."""

    year: int | None
    quarter: int | None  # None for a whole year, or a span over several quarters
    grain: str | None = field(default=None, compare=False)
    start: date | None = field(default=None, compare=False)
    end: date | None = field(default=None, compare=False)
    month: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.grain is None and self.year:
            grain = "quarter" if self.quarter else "year"
            object.__setattr__(self, "grain", grain)
        if self.start is None and self.year and self.grain in ("quarter", "year"):
            first, last = ((self.quarter - 1) * 3 + 1, self.quarter * 3) if self.quarter else (1, 12)
            object.__setattr__(self, "start", date(self.year, first, 1))
            object.__setattr__(self, "end", _month_end(self.year, last))

def months_period(year: int | None, first: int, last: int) -> Period | None:
    """Given a year and a month span, return its period (`1-3月` is Q1, `3-4月` a range)."""
    if not year or not (1 <= first <= last <= 12):
        return None
    start, end = date(year, first, 1), _month_end(year, last)
    if first == last:
        return Period(year, (first - 1) // 3 + 1, "month", start, end, first)
    if (first, last) == (1, 12):
        return Period(year, None, "year", start, end)
    if (first, last) in ((1, 6), (7, 12)):
        return Period(year, None, "half", start, end)
    quarter = _quarter_of_months(first, last)
    if quarter and first % 3 == 1 and last == first + 2:
        return Period(year, quarter, "quarter", start, end)
    return Period(year, quarter, "range", start, end)

def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])

def find_period(
    text: str, default_year: int | None = None, every_grain: bool = False, reference: date | None = None
) -> Period | None:
    """Given a caption or title, return the first period it names, or None.
    `default_year` completes a period printed without its year; `reference` (the
    published date) places a numbered round in its quarter."""
    s = clean_name(text)
    if every_grain:
        found = _find_any_grain(s, default_year, reference)
        if found is not None:
            return found
    match = _QUARTER.search(s)
    if match:
        return Period(chinese_to_int(match.group("year")), chinese_to_int(match.group("q")))
    stats = _RANGE.search(s)
    if stats and "统计" in s or (stats and not _DATE.search(s)):
        quarter = _quarter_of_months(int(stats.group("m1")), int(stats.group("m2")))
        year = int(stats.group("y1") or stats.group("y2") or 0) or default_year
        if quarter is not None:
            return Period(year, quarter)
    bare = _BARE_QUARTER.search(s)
    if bare and default_year is not None:
        return Period(default_year, chinese_to_int(bare.group("q")))
    year_only = _WHOLE_YEAR.search(_DATE.sub("", s))
    if year_only and ("年度" in s or "全年" in s):
        return Period(chinese_to_int(year_only.group("year")), None)
    return None

def _find_any_grain(s: str, default_year: int | None, reference: date | None) -> Period | None:
    """The grains a bulletin's own period comes in, most specific wording first."""
    match = _QUARTER.search(s)
    if match:
        return Period(chinese_to_int(match.group("year")), chinese_to_int(match.group("q")))
    match = _HALF.search(s)
    if match and (match.group("year") or default_year):
        year = chinese_to_int(match.group("year")) if match.group("year") else default_year
        return months_period(year, 1, 6) if match.group("h") == "上" else months_period(year, 7, 12)
    match = _MONTH_RANGE.search(_DATE.sub("", s))
    if match and (match.group("year") or default_year):
        year = int(match.group("year")) if match.group("year") else default_year
        period = months_period(year, int(match.group("m1")), int(match.group("m2")))
        if period:
            return period
    match = _MONTH.search(_DATE.sub("", s))
    if match and (match.group("year") or default_year):
        year = chinese_to_int(match.group("year")) if match.group("year") else default_year
        period = months_period(year, chinese_to_int(match.group("m")), chinese_to_int(match.group("m")))
        if period:
            return period
    match = _CN_MONTH.search(s)
    if match:
        period = months_period(chinese_to_int(match.group("year")), chinese_to_int(match.group("m")), chinese_to_int(match.group("m")))
        if period:
            return period
    match = _ROUND.search(s)
    if match:
        year = chinese_to_int(match.group("year"))
        quarter = (reference.month - 1) // 3 + 1 if reference and reference.year == year else None
        return Period(year, quarter, "round")
    match = _YEAR_SCOPE.search(_DATE.sub("", s))
    if match:
        return Period(chinese_to_int(match.group("year")), None)
    return None

def _quarter_of_months(first: int, last: int) -> int | None:
    if not (1 <= first <= last <= 12):
        return None
    q_first, q_last = (first - 1) // 3 + 1, (last - 1) // 3 + 1
    return q_first if q_first == q_last else None

def find_dates(text: str) -> list[date]:
    """Given text, return every valid calendar date it prints, in order."""
    found = []
    for m in _DATE.finditer(clean_name(text)):
        try:
            found.append(date(chinese_to_int(m.group("year")), chinese_to_int(m.group("month")), chinese_to_int(m.group("day"))))
        except ValueError:
            continue
    return found

def period_fields(period: Period | None) -> dict:
    """Given a period (or None), return the warehouse's period columns for a row."""
    if period is None:
        return {k: None for k in ("period_year", "period_quarter", "period_grain", "period_start", "period_end", "period_month")}
    return {
        "period_year": period.year,
        "period_quarter": period.quarter,
        "period_grain": period.grain,
        "period_start": period.start,
        "period_end": period.end,
        "period_month": period.month,
    }
