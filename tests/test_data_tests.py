"""The data tests in sql/tests/ pass on real and synthetic bulletins and catch broken rows."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from flows.ingest import ingest_flow
from tests.support import FIXTURES
from tongbao.cli import app
from warehouse.data_tests import discover_data_tests, run_data_test, run_data_tests, unique_test
from warehouse.models import build_models, discover_models, read_model_doc, read_source_docs


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """The two seeds and the multi-city fixtures in one warehouse."""
    path = tmp_path_factory.mktemp("dt") / "w.duckdb"
    summary = ingest_flow([str(FIXTURES / "seeds"), str(FIXTURES / "multicity")], warehouse=str(path))
    assert summary["model_error"] is None
    return path


def test_every_data_test_says_what_it_checks():
    tests = discover_data_tests()
    assert len(tests) >= 10
    assert all(t.description for t in tests)


def test_data_tests_pass_on_the_fixtures(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert [f.summary() for f in run_data_tests(con)] == []
    finally:
        con.close()


@pytest.fixture()
def broken(warehouse, tmp_path):
    """A copy of the warehouse with one defect of each kind, models rebuilt."""
    path = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    jilin_q1 = "city = '吉林市' and period_year = 2021 and period_quarter = 1"
    # adopted above submitted (公安局 2021 Q1: 120 submitted)
    con.execute(f"update unit_metrics set value = 500 where {jilin_q1} and unit_raw = '市公安局' and metric = 'adopted'")
    # rank contradicting the scores: 人防办 (score 0) ranked 1st
    con.execute(f"update unit_metrics set value = 1 where {jilin_q1} and unit_raw = '市人防办' and metric = 'rank'")
    # replied above received, and a rate above 1
    jdz = "city = '景德镇市' and period_year = 2021 and period_quarter = 1 and unit_raw = '市教育局'"
    con.execute(f"update unit_metrics set value = 80 where {jdz} and metric = 'messages_replied'")
    con.execute(f"update unit_metrics set value = 10 where {jdz} and metric = 'reply_rate'")
    # a unit row no bulletin explains
    con.execute("insert into unit_metrics (bulletin_id, table_index, city, period_year, period_quarter, unit_raw, unit_name, "
                "unit_kind, metric, value, row_index) values ('nope', 1, '吉林市', 2021, 1, '市孤儿局', '孤儿局', 'department', "
                "'submitted', 1, 99)")
    # the same figure loaded twice
    con.execute("insert into unit_metrics select * from unit_metrics where city = '赣州市' and unit_raw = '市残联' "
                "and period_year = 2021 and period_quarter = 2 and metric = 'submitted'")
    build_models(con)
    yield con
    con.close()


def test_data_tests_catch_each_defect(broken):
    failed = {f.test: f for f in run_data_tests(broken)}
    assert set(failed) == {
        "adopted_not_above_submitted",
        "ranks_follow_scores",
        "replied_not_above_received",
        "rates_between_0_and_1",
        "unit_rows_trace_to_bulletins",
        "unique_unit_metrics",
        "one_figure_per_cell",  # the same figure twice is two figures for one cell too
    }
    assert failed["adopted_not_above_submitted"].row_count == 1
    assert "公安局" in failed["adopted_not_above_submitted"].sample[0]
    assert failed["unit_rows_trace_to_bulletins"].row_count == 1


def test_a_test_that_cannot_run_is_a_failure(tmp_path, warehouse):
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "broken.sql").write_text("-- refers to nothing\nselect * from no_such_model\n", encoding="utf-8")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        [failure] = run_data_tests(con, sql_dir=tmp_path)
    finally:
        con.close()
    assert failure.error and "no_such_model" in failure.error


def test_tongbao_check_exits_0_when_clean(warehouse):
    result = CliRunner().invoke(app, ["check", "-w", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert f"{len(discover_data_tests())} passed, 0 failed" in result.stdout


def test_tongbao_check_exits_1_and_names_failures(broken, tmp_path):
    path = broken.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    broken.close()
    result = CliRunner().invoke(app, ["check", "-w", path], env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert "adopted_not_above_submitted" in result.stderr
    assert "7 failed" in result.stdout  # six defects; the doubled figure breaks one_figure_per_cell too


# Each written data test, and a change to a copy of the fixtures' warehouse
# that gives it exactly one kind of offending row (models rebuilt after).
JILIN_Q1 = "city = '吉林市' and period_year = 2021 and period_quarter = 1"
JDZ_EDU = "city = '景德镇市' and period_year = 2021 and period_quarter = 1 and unit_raw = '市教育局'"
BREAKS = {
    "one_figure_per_cell": f"update unit_metrics set metric = 'submitted' where {JILIN_Q1} and unit_raw = '市公安局' and metric = 'adopted'",
    "adopted_not_above_submitted": f"update unit_metrics set value = 500 where {JILIN_Q1} and unit_raw = '市公安局' and metric = 'adopted'",
    "ranks_follow_scores": f"update unit_metrics set value = 1 where {JILIN_Q1} and unit_raw = '市人防办' and metric = 'rank'",
    "rates_between_0_and_1": f"update unit_metrics set value = 10 where {JDZ_EDU} and metric = 'reply_rate'",
    "replied_not_above_received": f"update unit_metrics set value = 80 where {JDZ_EDU} and metric = 'messages_replied'",
    "unit_rows_trace_to_bulletins": "update unit_metrics set bulletin_id = 'nope' where rowid = (select min(rowid) from unit_metrics)",
    # unit_trend is a table: its streak is corrupted after the models are built
    "zero_streaks_are_consistent": "update unit_trend set zero_submission_streak = 2 "
                                   "where rowid = (select min(rowid) from unit_trend where submitted > 0)",
}
# Loaded relations the fixtures leave empty: a row is added so a duplicate can be made.
SEED_ROWS = {
    "rejections": "insert into rejection_log values ('x.pdf', null, 'corrupt', 'm', now()::timestamp, 'v')",
    "analyst_decisions": "insert into analyst_decisions values ('vocabulary', 'vocabulary.csv', '', now()::timestamp)",
    "unmapped_headers": "update unit_metrics set metric = 'unmapped', header_raw = '某列' where rowid = (select min(rowid) from unit_metrics)",
}


@pytest.mark.parametrize("test", discover_data_tests(), ids=lambda t: t.name)
def test_each_data_test_fails_on_a_row_that_breaks_it(warehouse, tmp_path, test):
    path = tmp_path / "one_defect.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    try:
        if test.name.startswith("unique_"):
            relation = test.name.removeprefix("unique_")
            if relation in SEED_ROWS:
                con.execute(SEED_ROWS[relation])
            doc = next(d for d in [read_model_doc(m) for m in discover_models()] + read_source_docs() if d and d.name == relation)
            assert run_data_test(con, test) is None, "passes before the duplicate"
            duplicated = f"(select * from {relation} union all (select * from {relation} limit 1)) as duplicated"
            failure = run_data_test(con, unique_test(doc, relation=duplicated))
        else:
            assert test.name in BREAKS, f"add to BREAKS a change that breaks {test.name}"
            assert run_data_test(con, test) is None, "passes before the change"
            con.execute(BREAKS[test.name])
            if test.name != "zero_streaks_are_consistent":
                build_models(con)
            failure = run_data_test(con, test)
    finally:
        con.close()
    assert failure is not None and failure.error is None and failure.row_count >= 1
