"""The analyst's report on the multi-city fixtures and the two seeds, against hand-read figures.

Expected values are read off the fixture files (scripts/make_multicity_fixtures.py
and fixtures/seeds/), not from the code under test.
"""

from __future__ import annotations

import re

import duckdb
import pytest

from flows.ingest import ingest_flow
from report import queries
from report.render import build_report, write_pngs, write_report
from report.scope import Scope, ScopeError, parse_period, period_label
from tests.support import FIXTURES


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("report") / "w.duckdb"
    summary = ingest_flow([str(FIXTURES / "multicity"), str(FIXTURES / "seeds"), str(FIXTURES / "bad" / "empty.txt")],
                          warehouse=str(warehouse))
    assert summary["model_error"] is None
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def report(con):
    return build_report(con, Scope(), warehouse_label="w.duckdb")


def test_periods_read_as_analysts_write_them():
    assert parse_period("2021Q3") == 20213
    assert parse_period("2021-3") == 20213
    assert parse_period("2021") == 20211 and parse_period("2021", end=True) == 20214
    assert period_label(20213) == "2021年第三季度"
    with pytest.raises(ScopeError):
        parse_period("第三季度")
    with pytest.raises(ScopeError):
        Scope.from_options([], None, "2021Q4", "2021Q1")


def test_latest_ranking_with_change_since_previous_quarter(con):
    [jilin] = [r for r in queries.rankings(con, Scope(("吉林市",))) if r.kind == "info_submission"]
    # synthetic_jilin_2021q4.md: 市公安局 score 1980, rank 1 of 5 departments; Q3 (synthetic_jilin_2021q3.md) 800
    assert (jilin.metric, jilin.period_key, jilin.previous_key) == ("score", 20214, 20213)
    row = next(r for r in jilin.rows if r["unit_name"] == "公安局")
    assert (row["value"], row["change"], row["rank"], row["rank_percentile"]) == (1980, 1980 - 800, 1, 1.0)
    assert row["unit_group"] == "市政府工作部门"
    # largest first: 昌邑区 6600 > 船营区 6200 > 公安局 1980
    assert [r["unit_name"] for r in jilin.rows[:3]] == ["昌邑区", "船营区", "公安局"]


def test_a_range_limits_every_section(con):
    scope = Scope(("景德镇市",), 20211, 20212)
    kinds = {r.kind: r for r in queries.rankings(con, scope)}
    # synthetic_jingdezhen_2021q2.txt: 市公安局 updated 160 pages, 150 in Q1
    updates = kinds["updates"]
    assert updates.period_key == 20212
    assert next((r["value"], r["change"]) for r in updates.rows if r["unit_name"] == "公安局") == (160, 10)
    assert {c["period_key"] for c in queries.coverage(con, scope)} == {20211, 20212}


def test_coverage_names_the_gap_and_the_bulletin_that_covers_it(con):
    cells = {(c["city"], c["period_key"]): c for c in queries.coverage(con, Scope(("景德镇市",)))}
    # the 景德镇市 seed is titled 2020年第四季度 but its tables are Q3's; no bulletin at all for 2021 Q3
    assert cells[("景德镇市", 20204)]["is_gap"] and cells[("景德镇市", 20204)]["gap_reason"] == "tables_cover_other_period"
    assert cells[("景德镇市", 20204)]["tables_cover"] == "2020Q3"
    assert "004_ecd57e6128c53c86.txt" in cells[("景德镇市", 20203)]["covered_by"]
    assert cells[("景德镇市", 20213)]["gap_reason"] == "no_bulletin"


def test_criticised_units_with_streaks(con):
    found = queries.findings(con, Scope())
    criticised = {(f["city"], f["unit_name"], f["finding"]): f for f in found["criticism"]}
    # seed 004 (景德镇市 2020 Q4): 高新区、市瓷局、市公安局 … 等六家单位未及时完成整改
    assert ("景德镇市", "市瓷局", "rectification_overdue") in criticised
    assert criticised[("景德镇市", "市瓷局", "rectification_overdue")]["streak"] == 1
    assert found["praise"] == []


def test_streak_counts_consecutive_quarters_only():
    assert queries._streak({20213, 20214, 20211}) == 2  # Q3, Q4 running; Q1 is before a break
    assert queries._streak({20204, 20211}) == 2  # across a year end
    assert queries._streak(set()) == 0


def test_zero_report_streaks_in_the_latest_quarter(con):
    # 市人防办 submitted 0 in 2021 Q1-Q3 and 4 in Q4: nobody reports zero in 吉林市's latest quarter
    assert [z for z in queries.zero_reports(con, Scope(("吉林市",)))] == []
    # up to 2021 Q3 it is three quarters running
    assert [(z["unit_name"], z["streak"]) for z in queries.zero_reports(con, Scope(("吉林市",), None, 20213))] == [
        ("人民防空办公室", 3)]


def test_cross_city_comparison_with_percentiles(con):
    comparison = queries.comparison(con, Scope(), "submitted")
    # 2021 Q1 (scripts/make_multicity_fixtures.py): 赣州市 departments submitted 城管执法局 20, 民政局 30, 教育局 40,
    # 公安局 50 -> 教育局 percentile (3 - 1) / (4 - 1)
    rows = {(r["city"], r["unit_function"]): r for r in queries.comparison(con, Scope((), 20211, 20211), "submitted")["rows"]}
    assert rows[("赣州市", "education")]["value"] == 40
    assert rows[("赣州市", "education")]["percentile"] == pytest.approx(2 / 3)
    assert comparison["period_key"] is not None


def test_report_is_self_contained_chinese_html(report, tmp_path):
    html = report.html
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in html
    assert "<script" not in html and "<link" not in html and "<img" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the report must not load anything"
    assert "吉林市、景德镇市、赣州市" in html and "2020年第三季度至2021年第四季度" in html
    assert html.count("<svg") == len(report.charts) >= 6
    for section in ("一、最新一期排名", "二、环比走势", "三、跨城市比较", "四、零报送", "五、数据核对", "六、覆盖情况", "数据来源"):
        assert section in html
    assert "尚未记录通报副本" in html  # no bulletin_copies in this warehouse: said, not failed
    assert "empty.txt" in html  # a rejected document and why
    path = write_report(report, tmp_path / "r.html")
    assert path.read_text(encoding="utf-8") == html


def test_charts_export_as_png_for_slides(report, tmp_path):
    written = write_pngs(report, tmp_path / "png", scale=1)
    assert len(written) == len(report.charts)
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in written)


def test_scope_with_no_data_is_a_clear_error(con):
    from report.render import ReportError

    with pytest.raises(ReportError, match="nothing in the warehouse"):
        build_report(con, Scope(("洛阳市",)), warehouse_label="w")
