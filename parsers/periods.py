"""Find the period a caption, title or sentence speaks of.

`2020年第三季度`, `二〇二〇年第三季度`, `2020 年第 3 季度`, `(统计时间:7月1日—9月30日)`
and `2020年度` are understood; a date such as `2021年1月25日` is a date, not a period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Period:
    year: int | None
    quarter: int | None  # None for a whole year



def find_period(text: str, default_year: int | None = None) -> Period | None:
    """Given a caption or title, return the first period it names, or None."""
    s = clean_name(text)
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

