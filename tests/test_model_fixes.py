"""Issue 19's model fixes on the seeds and the multi-city fixtures, against hand-read figures:
rank percentiles across rankings of different sizes, period_key on unit_findings,
gaps whose bulletin prints another quarter's tables, and `tongbao check`'s exit code."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from flows.ingest import ingest_flow
from tests.support import FIXTURES
from tongbao.cli import app
from warehouse.models import build_models


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("fixes") / "w.duckdb"
    summary = ingest_flow([str(FIXTURES / "multicity"), str(FIXTURES / "seeds")], warehouse=str(path))
    assert summary["model_error"] is None
    return path


@pytest.fixture(scope="module")
def con(warehouse):
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def test_rank_percentile_compares_rankings_of_different_sizes(con):
    rows = con.execute(
        "select period_key, rank, ranked_units, rank_percentile, rank_change, rank_percentile_change from unit_trend "
        "where city = '吉林市' and unit_name = '公安局' and period_key in (20203, 20204, 20213) order by period_key"
    ).fetchall()
    # seed 000 (2020 Q3): 市公安局 2nd of the 35 市政府工作部门 -> (35 - 2) / 34; synthetic_jilin_2020q4.md: 1st of 5 -> 1.0
    # synthetic_jilin_2021q3.md: 2nd of 5 -> (5 - 2) / 4 = 0.75, after 1st in Q2
    assert rows[0][:4] == (20203, 2, 35, pytest.approx(33 / 34))
    assert rows[1][:5] == (20204, 1, 5, 1.0, -1)
    assert rows[1][5] == pytest.approx(1 - 33 / 34)  # climbed a little: not the full place rank_change suggests
    assert rows[2][:4] == (20213, 2, 5, 0.75) and rows[2][5] == pytest.approx(-0.25)


def test_unit_findings_carry_period_key(con):
    # seed 004 (景德镇市, 2020 Q4): 六家单位未及时完成整改; seed 000 (吉林市, 2020 Q3): zero-report units
    assert con.execute("select distinct city, finding, period_key from unit_findings order by all").fetchall() == [
        ("吉林市", "zero_report", 20203),
        ("景德镇市", "interview_missing", 20203),
        ("景德镇市", "rectification_overdue", 20204),
    ]


def test_a_bulletin_whose_tables_cover_another_quarter_leaves_a_gap_that_names_it(con):
    rows = con.execute(
        "select period_key, is_gap, titled_bulletins, gap_reason, tables_cover, covered_by from city_quarter "
        "where city = '景德镇市' and period_key in (20203, 20204, 20213) order by period_key"
    ).fetchall()
    # seed 004 is titled 2020年第四季度 but its tables say 2020年第三季度: Q4 is a gap, Q3 is covered by it
    assert rows[0][:4] == (20203, False, 0, None) and "004_ecd57e6128c53c86.txt" in rows[0][5]
    assert rows[1] == (20204, True, 1, "tables_cover_other_period", "2020Q3", None)
    assert rows[2] == (20213, True, 0, "no_bulletin", None, None)  # no 景德镇市 bulletin for 2021 Q3 at all


def test_period_key_is_filled_when_an_old_warehouse_gains_the_column(tmp_path, warehouse):
    from warehouse.schema import ensure_schema

    path = tmp_path / "old.duckdb"
    shutil.copy(warehouse, path)
    old = duckdb.connect(str(path))
    old.execute("alter table unit_findings drop column period_key")
    ensure_schema(old)
    assert old.execute("select count(*) from unit_findings where period_key is null").fetchone() == (0,)
    old.close()


def test_check_exits_1_on_a_disagreement_unless_warn_only(tmp_path, warehouse):
    path = tmp_path / "disagrees.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    # synthetic_jilin_2021q1.md prints 合计 840 submitted; make the printed total say 841
    con.execute("update table_totals set value = 841 where metric = 'submitted' and value = 840")
    build_models(con)
    con.close()
    runner = CliRunner()
    result = runner.invoke(app, ["check", "-w", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "total_row:submitted: expected 841.0, found 840.0" in result.stdout
    assert "0 failed" in result.stdout  # the data tests pass: the exit code comes from the disagreement
    assert runner.invoke(app, ["check", "-w", str(path), "--warn-only"]).exit_code == 0
