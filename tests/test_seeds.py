"""The two real seed bulletins load exactly as a person reads them."""

from __future__ import annotations

import datetime as dt

import pytest

from parsers.bulletin import parse_bulletin
from tests.expected_files import number, read_expected
from tests.support import FIXTURES
from warehouse.rows import unit_metric_rows

SEED_000 = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"
SEED_004 = FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"


@pytest.fixture(scope="module")
def seed000():
    parsed = parse_bulletin(SEED_000.read_bytes(), str(SEED_000))
    return parsed, unit_metric_rows(parsed)


@pytest.fixture(scope="module")
def seed004():
    parsed = parse_bulletin(SEED_004.read_bytes(), str(SEED_004))
    return parsed, unit_metric_rows(parsed)


def _by_unit(rows, key=("unit_raw",)):
    out = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in key), {})[r["metric"]] = r
    return out


def test_seed000_loads_55_units_times_4_metrics_for_jilin_2020_q3(seed000):
    _, rows = seed000
    assert len(rows) == 220
    assert {(r["city"], r["period_year"], r["period_quarter"]) for r in rows} == {("吉林市", 2020, 3)}
    assert {r["metric"] for r in rows} == {"rank", "submitted", "adopted", "score"}
    assert len({r["unit_raw"] for r in rows}) == 55


def test_seed000_every_unit_matches_the_hand_transcription(seed000):
    _, rows = seed000
    got = _by_unit(rows)
    expected = read_expected("seed000_units.csv")
    assert len(expected) == 55
    assert set(got) == {(e["unit_raw"],) for e in expected}
    for e in expected:
        metrics = got[(e["unit_raw"],)]
        for metric in ("rank", "submitted", "adopted", "score"):
            assert metrics[metric]["value"] == number(e[metric]), (e["unit_raw"], metric)
        first = metrics["rank"]
        assert first["unit_group"] == e["unit_group"], e["unit_raw"]
        assert first["unit_name"] == e["unit_name"], e["unit_raw"]
        assert first["unit_function"] == (e["unit_function"] or None), e["unit_raw"]
        assert first["unit_kind"] == e["unit_kind"], e["unit_raw"]


def test_seed000_has_five_groups_and_its_stated_totals(seed000):
    _, rows = seed000
    groups = {}
    for r in rows:
        if r["metric"] == "rank":
            groups[r["unit_group"]] = groups.get(r["unit_group"], 0) + 1
    assert groups == {"县(市)政府": 5, "区政府": 4, "开发区管委会": 5, "市政府工作部门": 35, "其它单位": 6}
    assert sum(r["value"] for r in rows if r["metric"] == "submitted") == 3599  # 共报送信息3599条
    assert sum(r["value"] for r in rows if r["metric"] == "adopted") == 2900  # 采用2900条


def test_seed000_metadata(seed000):
    parsed, _ = seed000
    meta = parsed.meta
    assert meta.city == "吉林市"
    assert meta.issuer == "吉林市政务服务和数字化建设管理局"
    assert meta.published_date == dt.date(2020, 10, 12)
    assert meta.doc_number is None
    assert (meta.period.year, meta.period.quarter) == (2020, 3)


def test_seed004_annex_tables_report_q3_inside_a_q4_bulletin(seed004):
    parsed, rows = seed004
    assert (parsed.meta.period.year, parsed.meta.period.quarter) == (2020, 4)
    assert {(r["period_year"], r["period_quarter"]) for r in rows} == {(2020, 3)}
    updates = [r for r in rows if r["metric"] == "updates"]
    assert len(updates) == 48 and {r["table_index"] for r in updates} == {1}
    for metric in ("messages_received", "messages_replied", "reply_rate"):
        assert len([r for r in rows if r["metric"] == metric]) == 33
    assert sum(r["value"] for r in rows if r["metric"] == "messages_received") == 683


def test_seed004_every_unit_matches_the_hand_transcription(seed004):
    _, rows = seed004
    got = _by_unit(rows, key=("table_index", "unit_raw"))
    expected = read_expected("seed004_units.csv")
    assert len(expected) == 48 + 33
    assert set(got) == {(int(e["table_index"]), e["unit_raw"]) for e in expected}
    for e in expected:
        metrics = got[(int(e["table_index"]), e["unit_raw"])]
        for metric in ("updates", "messages_received", "messages_replied", "reply_rate"):
            if e[metric]:
                assert metrics[metric]["value"] == pytest.approx(number(e[metric])), (e["unit_raw"], metric)
            else:
                assert metric not in metrics
        any_row = next(iter(metrics.values()))
        assert any_row["unit_name"] == e["unit_name"], e["unit_raw"]
        assert any_row["unit_function"] == (e["unit_function"] or None), e["unit_raw"]
        assert any_row["unit_kind"] == e["unit_kind"], e["unit_raw"]
        assert any_row["unit_group"] is None


def test_seed004_side_by_side_annex_reads_left_column_then_right(seed004):
    _, rows = seed004
    order = [r["unit_raw"] for r in sorted((r for r in rows if r["metric"] == "updates"), key=lambda r: r["row_index"])]
    expected = [e["unit_raw"] for e in read_expected("seed004_units.csv") if e["table_index"] == "1"]
    assert order == expected
    # Printed: left column 市公安局 … 市财政局 (24 rows), right column 市消防救援支队 … 市医保局.
    assert (order[0], order[23], order[24], order[47]) == ("市公安局", "市财政局", "市消防救援支队", "市医保局")


def test_seed004_metadata(seed004):
    parsed, _ = seed004
    meta = parsed.meta
    assert meta.city == "景德镇市"
    assert meta.issuer == "景德镇市人民政府办公室"
    assert meta.doc_number == "景府办明〔2021〕2号"
    assert meta.published_date == dt.date(2021, 1, 25)
    assert meta.title == "景德镇市人民政府办公室关于2020年第四季度网站与政务新媒体抽查情况的通报"


def test_seed004_tables_bind_their_own_captions(seed004):
    parsed, _ = seed004
    first, second = parsed.tables
    assert "信息更新情况表" in first.caption and "统计时间" in first.caption
    assert "留言回复情况统计表" in second.caption
