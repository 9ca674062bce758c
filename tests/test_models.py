"""The SQL marts on the synthetic multi-city fixtures, against hand-computed values.

Every expected number below is worked out from the figures written in
`scripts/make_multicity_fixtures.py` (the arithmetic is in the comments), not
from the models under test.
"""

from __future__ import annotations

import duckdb
import pytest

from flows.ingest import ingest_flow
from tests.support import FIXTURES

MULTICITY = FIXTURES / "multicity"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    """Ingest the multi-city fixtures with the real flow; yield a read-only connection."""
    warehouse = tmp_path_factory.mktemp("multicity") / "w.duckdb"
    summary = ingest_flow([str(MULTICITY)], warehouse=str(warehouse))
    assert summary["model_error"] is None
    assert summary["counts"] == {"loaded": 12}
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def one(con, sql, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def trend(con, city, unit, period_key, *columns):
    return one(con, f"select {', '.join(columns)} from unit_trend where city = ? and unit_name = ? and period_key = ?",
               city, unit, period_key)


def test_fixtures_cover_three_cities_in_mixed_formats(con):
    assert con.execute("select city, count(*) from bulletins group by city order by city").fetchall() == [
        ("吉林市", 5), ("景德镇市", 3), ("赣州市", 4),
    ]
    assert {f for (f,) in con.execute("select distinct format from bulletins").fetchall()} >= {"text", "docx"}


def test_quarter_over_quarter_change(con):
    # 吉林市 公安局: 2021 Q1 submitted 120, adopted 90; Q2 submitted 90, adopted 60.
    # submitted_qoq = 90 - 120 = -30; adoption_rate_qoq = 60/90 - 90/120 = 0.6667 - 0.75 = -0.0833
    submitted_qoq, rate_qoq = trend(con, "吉林市", "公安局", 20212, "submitted_qoq", "adoption_rate_qoq")
    assert submitted_qoq == -30
    assert rate_qoq == pytest.approx(60 / 90 - 90 / 120)
    # 教育局 improved: 45/50 = 0.90 -> 57/60 = 0.95, +0.05
    assert trend(con, "吉林市", "教育局", 20212, "adoption_rate_qoq")[0] == pytest.approx(0.05)


def test_year_over_year_change(con):
    # 吉林市 公安局 submitted: 2021 Q4 110, 2020 Q4 100 -> +10
    assert trend(con, "吉林市", "公安局", 20214, "submitted_yoy")[0] == 10
    # no bulletin a year before 2021 Q3 -> NULL, not a comparison with some other quarter
    assert trend(con, "吉林市", "公安局", 20213, "submitted_yoy")[0] is None


def test_rank_change(con):
    # 吉林市 市政府工作部门, scores (adopted x 20): Q2 公安局 1200 > 教育局 1140 -> 公安局 rank 1;
    # Q3 教育局 1260 > 公安局 800 -> 公安局 rank 2. rank_change = 2 - 1 = +1 (fell one place).
    assert trend(con, "吉林市", "公安局", 20213, "previous_rank", "rank", "rank_change") == (1, 2, 1)
    assert trend(con, "吉林市", "教育局", 20213, "rank_change")[0] == -1


def test_zero_report_streak_of_three(con):
    # 市人防办 (人民防空办公室) submitted: 2020 Q4 5, 2021 Q1 0, Q2 0, Q3 0, Q4 4.
    streaks = con.execute(
        "select period_key, zero_submission_streak from unit_trend "
        "where city = '吉林市' and unit_name = '人民防空办公室' order by period_key"
    ).fetchall()
    assert streaks == [(20204, 0), (20211, 1), (20212, 2), (20213, 3), (20214, 0)]
    assert con.execute("select city, unit_name from unit_trend where zero_submission_streak >= 3").fetchall() == [
        ("吉林市", "人民防空办公室"),
    ]


def test_renamed_unit_continues_its_trend(con):
    # 市扶贫办 2021 Q1 submitted 10 -> 市乡村振兴局 2021 Q2 submitted 25: one unit, +15
    assert trend(con, "吉林市", "乡村振兴局", 20212, "submitted_qoq", "is_listed") == (15, True)
    # 赣州市 市城管执法局 Q2 25 -> 市城市管理局 Q3 30: +5
    assert trend(con, "赣州市", "城市管理局", 20213, "submitted_qoq")[0] == 5
    names = one(con, "select unit_raw_names from unit_quarter where city = '吉林市' and unit_name = '乡村振兴局' and period_key = 20211")
    assert names == ("市扶贫办",)


def test_percentile_within_city(con):
    # 景德镇市 2021 Q1 updates of its departments: 瓷局 30, 民政局 60, 教育局 90, 水利局 120, 公安局 150.
    # 水利局 is 4th of 5: percent_rank = (4 - 1) / (5 - 1) = 0.75; 公安局 = 4/4 = 1.0
    sql = ("select updates_percentile, peers_in_city from function_comparison "
           "where city = '景德镇市' and unit_function = ? and period_key = 20211")
    assert one(con, sql, "water_resources") == (0.75, 5)
    assert one(con, sql, "public_security") == (1.0, 5)
    # 赣州市 2021 Q1 departments submitted: 城管执法局 20, 民政局 30, 教育局 40, 公安局 50 -> 教育局 (3-1)/(4-1)
    assert one(con, "select submitted_percentile from function_comparison "
                    "where city = '赣州市' and unit_function = 'education' and period_key = 20211")[0] == pytest.approx(2 / 3)
    # 公安局 is in all three cities in 2021 Q1
    assert one(con, "select distinct cities_with_function from function_comparison "
                    "where unit_function = 'public_security' and period_key = 20211") == (3,)


def test_city_totals(con):
    # 吉林市 2021 Q1 submitted: 昌邑区 320 + 船营区 310 + 公安局 120 + 教育局 50 + 扶贫办 10 + 人防办 0 + 民政局 30 = 840
    # adopted: 300 + 200 + 90 + 45 + 8 + 0 + 24 = 667; the printed 合计 row says 840 too.
    row = one(con, "select units_listed, units_reporting_zero, submitted_total, adopted_total, printed_submitted_total "
                   "from city_quarter where city = '吉林市' and period_key = 20211")
    assert row == (7, 1, 840, 667, 840)
    # 赣州市 2021 Q1 submitted 80, 50, 40, 30, 20, 10: median (40 + 30) / 2 = 35
    assert one(con, "select submitted_median from city_quarter where city = '赣州市' and period_key = 20211") == (35,)
    # 景德镇市 2021 Q1 letters received 10 + 8 + 4 + 2 + 12 = 36, replied 10 + 6 + 4 + 1 + 12 = 33
    received, replied, rate = one(con, "select messages_received_total, messages_replied_total, reply_rate "
                                       "from city_quarter where city = '景德镇市' and period_key = 20211")
    assert (received, replied) == (36, 33) and rate == pytest.approx(33 / 36)


def test_gap_quarter_is_a_row_not_a_jump(con):
    # 景德镇市 has bulletins for 2021 Q1, Q2 and Q4: Q3 is a gap.
    assert con.execute("select period_key, is_gap, units_listed from city_quarter where city = '景德镇市' order by period_key").fetchall() == [
        (20211, False, 6), (20212, False, 6), (20213, True, 0), (20214, False, 6),
    ]
    rows = con.execute("select period_key, is_gap, is_listed, updates, updates_qoq, previous_quarter_is_gap from unit_trend "
                       "where city = '景德镇市' and unit_name = '公安局' order by period_key").fetchall()
    # updates 150 -> 160 (+10), then the gap, then 170 with no QoQ change (the gap is not bridged)
    assert rows == [
        (20211, False, True, 150, None, None),
        (20212, False, True, 160, 10, False),
        (20213, True, False, None, None, False),
        (20214, False, True, 170, None, True),
    ]


def test_unit_quarter_keeps_its_columns(con):
    columns = [r[0] for r in con.execute("describe unit_quarter").fetchall()]
    for name in ("unit_name", "submitted", "adopted", "adoption_rate", "rank", "updates", "messages_received",
                 "unit_function", "unit_kind", "unit_group", "bulletin_ids"):
        assert name in columns
