"""Issue 14: every bulletin that states something loads, every printed cell is
kept, every unit figure reaches unit_metrics, and an analyst's mapping or
alias is applied without re-parsing and survives every later ingest.

Expected values are written by hand from fixtures/open/ (scripts/make_open_fixtures.py).
"""

from __future__ import annotations

import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from flows.ingest import ingest_flow
from parsers.vocab import HeaderMeaning, VocabularyFileError, interpret_header, read_overrides
from tests.support import FIXTURES
from tongbao.cli import app

OPEN = FIXTURES / "open"
runner = CliRunner()


def _rows(path, sql, params=()):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture()
def loaded(tmp_path):
    """A warehouse holding the three open-world fixtures, loaded by the real ingest flow."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("synthetic_unknown_headers.md", "synthetic_two_outlets.md", "synthetic_prose_only.txt"):
        shutil.copy(OPEN / name, inbox / name)
    path = tmp_path / "wh" / "w.duckdb"
    path.parent.mkdir()
    summary = ingest_flow([str(inbox)], warehouse=str(path))
    assert summary["model_error"] is None
    return path, inbox


def test_a_prose_only_bulletin_loads_its_statistics_and_findings(loaded):
    path, _ = loaded
    where = "bulletin_id in (select bulletin_id from bulletins where source_file like '%/synthetic_prose_only.txt')"
    assert _rows(path, f"select statistic, value from bulletin_statistics where {where} order by statistic") == [
        ("info_adopted_total", 80.0), ("info_submitted_total", 120.0), ("rectification_overdue_units", 2.0)]
    assert _rows(path, f"select unit_raw, finding from unit_findings where {where} order by unit_raw") == [
        ("市侨联", "rectification_overdue"), ("市档案馆", "rectification_overdue")]
    assert _rows(path, f"select count(*) from unit_metrics where {where}") == [(0,)]


def test_a_notice_that_states_nothing_is_rejected_no_facts_saying_what_was_found(tmp_path):
    path = tmp_path / "w.duckdb"
    ingest_flow([str(OPEN / "nothing")], warehouse=str(path))
    [(reason, message)] = _rows(path, "select reason, message from rejections")
    assert reason == "no_facts"
    assert "found date 2024-04-16" in message
    assert "no stated figure and no named unit" in message


def test_a_table_with_only_unknown_headers_keeps_every_cell_and_loads_its_figures_unmapped(loaded):
    path, _ = loaded
    where = "bulletin_id in (select bulletin_id from bulletins where source_file like '%/synthetic_unknown_headers.md')"
    cells = _rows(path, f"select row_index, col_index, header_raw, row_role, unit_raw, text, number from table_cells "
                        f"where {where} order by row_index, col_index")
    assert len(cells) == 20  # 5 printed rows of 4 cells (the markdown rule line is no row)
    assert cells[:4] == [(1, 1, "承办主体", "header", None, "承办主体", None),
                         (1, 2, "公开目录条数", "header", None, "公开目录条数", None),
                         (1, 3, "依申请公开件数", "header", None, "依申请公开件数", None),
                         (1, 4, "办理情况", "header", None, "办理情况", None)]
    assert cells[8:12] == [(3, 1, "承办主体", "unit", "市地震局", "市地震局", None),
                           (3, 2, "公开目录条数", "unit", "市地震局", "7", 7.0),
                           (3, 3, "依申请公开件数", "unit", "市地震局", "—", None),
                           (3, 4, "办理情况", "unit", "市地震局", "按时办结", None)]
    assert [c[3] for c in cells[16:]] == ["total"] * 4 and cells[17][5:] == ("19", 19.0)
    metrics = _rows(path, f"select unit_raw, metric, header_raw, value, value_raw, scope, outlet from unit_metrics "
                          f"where {where} order by row_index, col_index")
    assert metrics == [
        ("市档案馆", "unmapped", "公开目录条数", 12.0, "12", "period", None),
        ("市档案馆", "unmapped", "依申请公开件数", 3.0, "3", "period", None),
        ("市地震局", "unmapped", "公开目录条数", 7.0, "7", "period", None),
        ("市地震局", "unmapped", "依申请公开件数", None, "—", "period", None),
        ("市侨联", "unmapped", "公开目录条数", 0.0, "0", "period", None),
        ("市侨联", "unmapped", "依申请公开件数", 1.0, "1", "period", None),
    ]
    assert _rows(path, "select header_raw, bulletins, cells, example_values, cities from unmapped_headers order by header_raw") == [
        ("依申请公开件数", 1, 3, "1 | 3 | —", "海川市"),
        ("公开目录条数", 1, 3, "0 | 12 | 7", "海川市"),
    ]
    # unmapped figures disturb no mart: the units have no unit_quarter figures
    assert _rows(path, "select count(*) from unit_quarter where unit_name in ('档案馆', '市档案馆')") == [(0,)]


def test_two_columns_of_one_code_stay_two_rows_told_apart_by_outlet_and_scope(loaded):
    path, _ = loaded
    rows = _rows(path, "select metric, value, scope, outlet from unit_metrics where unit_raw = '市教育局' "
                       "order by col_index")
    assert rows == [
        ("submitted", 10.0, "period", None),
        ("submitted", 25.0, "year_to_date", None),
        ("adopted", 6.0, "period", None),
        ("adopted", 2.0, "period", "省政府办"),
        ("adopted", 5.0, "period", "潮安市"),
        ("score", 30.0, "period", None),
    ]
    # the marts read the plain figure only
    assert _rows(path, "select submitted, adopted, score from unit_quarter where unit_name = '教育局'") == [(10.0, 6.0, 30.0)]


def test_mapping_a_header_in_the_vocabulary_file_moves_its_rows_without_reparsing_and_ingest_keeps_them(loaded):
    path, inbox = loaded
    before = _rows(path, "select parser_version, ingested_at from bulletins order by bulletin_id")
    (path.parent / "vocabulary.csv").write_text(
        "header_raw,metric,scope,outlet\n公开目录条数,updates,,\n办理情况,ignore,,\n", encoding="utf-8")
    result = runner.invoke(app, ["vocab", "--apply", "-w", str(path), "--csv"])
    assert result.exit_code == 0, result.output
    assert _rows(path, "select parser_version, ingested_at from bulletins order by bulletin_id") == before  # not re-parsed
    updates = "select unit_raw, value from unit_metrics where metric = 'updates' order by row_index"
    assert _rows(path, updates) == [("市档案馆", 12.0), ("市地震局", 7.0), ("市侨联", 0.0)]
    assert _rows(path, "select header_raw from unmapped_headers") == [("依申请公开件数",)]
    assert _rows(path, "select updates from unit_quarter where unit_name = '市档案馆' or unit_name = '档案馆'") == [(12.0,)]
    # a later ingest that re-parses everything (a back-fill does the same) keeps the mapping
    summary = ingest_flow([str(inbox)], warehouse=str(path), force=True)
    assert summary["model_error"] is None
    assert _rows(path, updates) == [("市档案馆", 12.0), ("市地震局", 7.0), ("市侨联", 0.0)]


def test_a_vocabulary_file_applied_from_elsewhere_survives_a_later_ingest(loaded, tmp_path):
    path, inbox = loaded
    elsewhere = tmp_path / "my_vocabulary.csv"
    elsewhere.write_text("header_raw,metric\n依申请公开件数,messages_received\n", encoding="utf-8")
    assert runner.invoke(app, ["vocab", "--apply", "--file", str(elsewhere), "-w", str(path)]).exit_code == 0
    received = "select unit_raw, value from unit_metrics where metric = 'messages_received' order by row_index"
    assert _rows(path, received) == [("市档案馆", 3.0), ("市地震局", None), ("市侨联", 1.0)]
    elsewhere.unlink()  # the warehouse keeps the decision, not the file
    ingest_flow([str(inbox)], warehouse=str(path), force=True)
    assert _rows(path, received) == [("市档案馆", 3.0), ("市地震局", None), ("市侨联", 1.0)]


def test_a_unit_alias_applied_with_units_apply_survives_a_later_ingest(loaded, tmp_path):
    path, inbox = loaded
    aliases = tmp_path / "reviewed_aliases.csv"
    aliases.write_text("city,unit_raw,unit_name,unit_function,unit_kind\n海川市,市地震局,地震局,,department\n", encoding="utf-8")
    result = runner.invoke(app, ["units", "--apply", "--aliases", str(aliases), "-w", str(path), "--csv"])
    assert result.exit_code == 0, result.output
    alias_rows = "select distinct unit_name, unit_kind, match_rule from unit_metrics where unit_raw = '市地震局'"
    assert _rows(path, alias_rows) == [("地震局", "department", "analyst_alias")]
    ingest_flow([str(inbox)], warehouse=str(path), force=True)
    assert _rows(path, alias_rows) == [("地震局", "department", "analyst_alias")]


def test_headers_read_with_their_qualifiers():
    assert interpret_header("报送信息数(条)") == HeaderMeaning("submitted", "period", None)
    assert interpret_header("全年累计报送条数") == HeaderMeaning("submitted", "year_to_date", None)
    assert interpret_header("累计得分") == HeaderMeaning("score", "cumulative", None)
    assert interpret_header("省政府办采用") == HeaderMeaning("adopted", "period", "省政府办")
    assert interpret_header("自治区采用累计得分") == HeaderMeaning("adoption_score", "cumulative", "自治区")
    assert interpret_header("市本级采用普发") == HeaderMeaning("adopted", "period", "市本级/普发")
    assert interpret_header("超时未办数") == HeaderMeaning("messages_overdue", "period", None)
    assert interpret_header("采纳率") == HeaderMeaning("adoption_rate", "period", None)
    assert interpret_header("不合格率").role == "fail_rate"  # never a pass_rate
    assert interpret_header("公开目录条数").role is None
    overrides = read_overrides("header_raw,metric,scope,outlet\n公开 目录,updates,cumulative,\n", "v.csv")
    assert interpret_header("公开目录", overrides) == HeaderMeaning("updates", "cumulative", None)
    with pytest.raises(VocabularyFileError, match=r"v.csv:2: metric 'pages'"):
        read_overrides("header_raw,metric\n公开目录,pages\n", "v.csv")
