"""Format-free interpretation: numbers, periods, rows that are not units, layouts."""

from __future__ import annotations

import pytest

from parsers.bulletin import parse_bulletin
from parsers.numbers import NotANumber, chinese_to_int, parse_cell_number
from parsers.periods import Period, find_dates, find_period


@pytest.mark.parametrize(
    "cell,value",
    [
        ("4650", 4650.0),
        ("1,234", 1234.0),
        ("12,345,678", 12345678.0),
        ("１２３", 123.0),  # full-width digits
        ("100.00%", 1.0),
        ("45%", 0.45),
        ("８５％", 0.85),  # full-width percent
        (" 7 ", 7.0),
        ("十五", 15.0),
        ("—", None),
        ("-", None),
        ("/", None),
        ("--", None),
        ("", None),
    ],
)
def test_cell_numbers_read_as_printed(cell, value):
    assert parse_cell_number(cell) == pytest.approx(value) if value is not None else parse_cell_number(cell) is None


def test_text_in_a_number_cell_is_not_a_number():
    with pytest.raises(NotANumber):
        parse_cell_number("暂无")


@pytest.mark.parametrize(
    "text,value", [("六", 6), ("十", 10), ("十五", 15), ("二十一", 21), ("一百零三", 103), ("二〇二〇", 2020), ("两千", 2000)]
)
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(
    "text,period",
    [
        ("2020年第三季度市政府网站信息采用情况排名表", Period(2020, 3)),
        ("2020 年第三季度景德镇市级信息公开平台信息更新情况表", Period(2020, 3)),
        ("二〇二〇年第四季度政府网站检查情况通报", Period(2020, 4)),
        ("2021年第1季度信息报送情况", Period(2021, 1)),
        ("2020年市政府网站第三季度信息零报送单位告知书", Period(2020, 3)),
        ("2019年度政府网站工作年度报表", Period(2019, None)),
        ("2021年1月25日印发", None),
    ],
)
def test_periods_from_captions_and_titles(text, period):
    assert find_period(text) == period


def test_statistics_time_line_gives_the_quarter_with_a_default_year():
    assert find_period("(统计时间:7 月 1 日—9 月 30 日)", default_year=2020) == Period(2020, 3)
    assert find_period("(统计时间:7月1日—10月9日)", default_year=2020) is None  # spans two quarters


def test_dates_including_chinese_numerals():
    assert [d.isoformat() for d in find_dates("二〇二一年一月二十五日")] == ["2021-01-25"]
    assert [d.isoformat() for d in find_dates("2020年13月40日")] == []


BULLETIN = """某某市人民政府办公室关于2021年第一季度政府网站信息报送情况的通报
各县区人民政府:
现将情况通报如下。
附件1
2021年第一季度信息报送情况表
| 序号 | 单位 | 报送数 | 采用数 | 得分 |
|---|---|---|---|---|
| 1 | 市公安局 | 1,200 | 1,000 | ９０ |
| 2 | 市教育局 | — | 0 | 10 |
|  |  |  |  |  |
| 序号 | 单位 | 报送数 | 采用数 | 得分 |
| 3 | 市财政局 | 5 | 5 | 20 |
| 合计 |  | 1,205 | 1,005 | 120 |
| 注:得分按采用数计算。 |  |  |  |  |
某某市人民政府办公室
2021年4月10日
"""


def _rows(text: str):
    from warehouse.rows import unit_metric_rows

    parsed = parse_bulletin(text.encode("utf-8"), "synthetic.txt")
    return parsed, unit_metric_rows(parsed)


def test_totals_notes_blank_and_repeated_header_rows_never_become_units():
    parsed, rows = _rows(BULLETIN)
    assert sorted({r["unit_raw"] for r in rows}) == ["市公安局", "市教育局", "市财政局"]
    assert [(t.label_raw, t.metric, t.value) for t in parsed.tables[0].totals] == [
        ("合计", "submitted", 1205.0),
        ("合计", "adopted", 1005.0),
        ("合计", "score", 120.0),
    ]


def test_serial_number_column_is_not_loaded_and_dash_is_null_not_zero():
    _, rows = _rows(BULLETIN)
    assert {r["metric"] for r in rows} == {"submitted", "adopted", "score"}
    education = {r["metric"]: r for r in rows if r["unit_raw"] == "市教育局"}
    assert education["submitted"]["value"] is None and education["submitted"]["value_raw"] == "—"
    assert education["adopted"]["value"] == 0.0
    police = {r["metric"]: r["value"] for r in rows if r["unit_raw"] == "市公安局"}
    assert police == {"submitted": 1200.0, "adopted": 1000.0, "score": 90.0}


def test_bulletin_period_falls_back_to_the_title_and_city_to_the_issuer():
    parsed, rows = _rows(BULLETIN)
    assert {(r["period_year"], r["period_quarter"]) for r in rows} == {(2021, 1)}
    assert parsed.meta.city == "某某市"


def test_a_table_interrupted_by_a_blank_line_continues():
    text = (
        "2020年第三季度信息更新情况表\n部门\t信息更新量\n市公安局\t5\n市民政局\t4\n\n"
        "市财政局\t3\n\n附件2\n2020年第三季度留言回复情况\n部门\t收到留言数\t回复留言数\t回复率\n市人社局\t3\t3\t100%\n"
    )
    parsed, rows = _rows(text)
    assert len(parsed.tables) == 2
    assert [r["unit_raw"] for r in rows if r["metric"] == "updates"] == ["市公安局", "市民政局", "市财政局"]
    assert [r["value"] for r in rows if r["metric"] == "reply_rate"] == [1.0]
