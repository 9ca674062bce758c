"""Periods of every grain: month, month range, quarter, half, year, numbered round.

Fixtures: fixtures/mirror/synthetic_period_*.txt (scripts/make_mirror_fixtures.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from parsers.bulletin import parse_bulletin
from parsers.periods import Period, find_period
from tests.support import FIXTURES
from warehouse.rows import prepare

MIRROR = FIXTURES / "mirror"
COLUMNS = ("period_year", "period_quarter", "period_grain", "period_start", "period_end", "period_month")


def _prepared(name):
    path = MIRROR / name
    return prepare(parse_bulletin(path.read_bytes(), str(path)), str(path))


@pytest.mark.parametrize(
    "name,expected",
    [
        ("synthetic_period_month.txt", (2017, 3, "month", date(2017, 9, 1), date(2017, 9, 30), 9)),
        ("synthetic_period_month_range.txt", (2018, 1, "range", date(2018, 1, 1), date(2018, 2, 28), None)),
        # 3-4月 spans Q1 and Q2: no single quarter; the year comes from the signature date.
        ("synthetic_period_cross_quarter.txt", (2018, None, "range", date(2018, 3, 1), date(2018, 4, 30), None)),
        ("synthetic_period_q1_months.txt", (2023, 1, "quarter", date(2023, 1, 1), date(2023, 3, 31), None)),
        ("synthetic_period_half.txt", (2022, None, "half", date(2022, 1, 1), date(2022, 6, 30), None)),
        ("synthetic_period_year.txt", (2023, None, "year", date(2023, 1, 1), date(2023, 12, 31), None)),
        # 第二次 of 2021, published 2021-06-28: the round lies in Q2; its days are not printed.
        ("synthetic_period_round.txt", (2021, 2, "round", None, None, None)),
        # 一季度 without a year: the year of the page header's date (2025-04-08).
        ("synthetic_period_quarter_no_year.txt", (2025, 1, "quarter", date(2025, 1, 1), date(2025, 3, 31), None)),
        # 四季度 without a year and without a published date: the year of a date in the text.
        ("synthetic_period_quarter_year_elsewhere.txt", (2020, 4, "quarter", date(2020, 10, 1), date(2020, 12, 31), None)),
        # No period printed: the month of the check the first sentence dates (2020年7月28日).
        ("synthetic_period_none_printed.txt", (2020, 3, "month", date(2020, 7, 1), date(2020, 7, 31), 7)),
    ],
)
def test_bulletin_period_of_every_grain(name, expected):
    prepared = _prepared(name)
    assert tuple(prepared.bulletin[c] for c in COLUMNS) == expected
    # Every fact table carries the same period columns.
    for table in ("unit_metrics", "bulletin_tables", "bulletin_statistics"):
        rows = getattr(prepared, table)
        assert rows, table
        assert {tuple(r[c] for c in COLUMNS) for r in rows} == {expected}, table


def test_findings_carry_the_period_columns_too():
    prepared = _prepared("synthetic_period_month.txt")
    findings = [(r["unit_raw"], r["finding"]) for r in prepared.unit_findings]
    assert findings == [("区统计局", "rectification_overdue"), ("区民政局", "rectification_overdue")]
    assert {tuple(r[c] for c in COLUMNS) for r in prepared.unit_findings} == {
        (2017, 3, "month", date(2017, 9, 1), date(2017, 9, 30), 9)
    }


def test_a_quarter_printed_without_its_year_published_in_january_is_last_years():
    assert find_period("四季度全市政府网站检查情况", 2021, every_grain=True) == Period(2021, 4)
    from parsers.metadata import _not_after

    assert _not_after(Period(2021, 4), date(2021, 1, 15)) == Period(2020, 4)
    assert _not_after(Period(2021, 1), date(2021, 4, 15)) == Period(2021, 1)


@pytest.mark.parametrize(
    "text,grain,year,quarter,month",
    [
        ("2017年9月份网站信息报送情况", "month", 2017, 3, 9),
        ("2018年1—2月份政务信息", "range", 2018, 1, None),
        ("2023年1-3月检查情况", "quarter", 2023, 1, None),
        ("2023年1至6月", "half", 2023, None, None),
        ("2022年下半年", "half", 2022, None, None),
        ("2023年全县政府网站", "year", 2023, None, None),
        ("2020年度考核", "year", 2020, None, None),
        ("2020年第三季度", "quarter", 2020, 3, None),
        ("二〇二三年九月份政务公开检查情况", "month", 2023, 3, 9),
        ("2023年十二月", "month", 2023, 4, 12),
    ],
)
def test_find_period_reads_every_grain(text, grain, year, quarter, month):
    period = find_period(text, every_grain=True)
    assert (period.grain, period.year, period.quarter, period.month) == (grain, year, quarter, month)


def test_a_date_is_not_a_month_period_and_old_callers_see_no_new_grains():
    assert find_period("2021年1月25日印发", every_grain=True) is None
    assert find_period("二〇二一年一月二十五日", every_grain=True) is None
    assert find_period("2017年9月份网站信息报送情况") is None  # captions and sentences keep today's reading
    assert Period(2020, 3, "month", month=9) == Period(2020, 3)  # equality stays (year, quarter)


def test_a_quarter_without_its_year_on_a_page_without_dates_takes_the_year_of_its_address():
    text = "一季度,市长信箱共收到来信28件,各单位共报送信息28条。\n单位\t报送数\n市公安局\t3\n".encode()
    url = "https://www.example.gov.cn/xxgk/202504/t20250408_1234.txt"
    period = parse_bulletin(text, url).meta.period
    assert (period.year, period.quarter, period.grain) == (2025, 1, "quarter")
    assert parse_bulletin(text, "mailbox_q1.txt").meta.period is None  # nothing says which year
