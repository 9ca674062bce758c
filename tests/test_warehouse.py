"""Loading is one transaction per bulletin; a busy warehouse says who holds it."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest

from parsers.bulletin import parse_bulletin
from tests.support import FIXTURES
from warehouse.rows import prepare
from warehouse.connection import WarehouseBusy, WarehouseMissing, connect
from warehouse.load import load_bulletin
from warehouse.models import ModelBuildError, build_models

SEED_000 = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"
SEED_004 = FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"


def _prepared(path):
    return prepare(parse_bulletin(path.read_bytes(), str(path)), str(path))


def _counts(con):
    return con.execute(
        "SELECT (SELECT count(*) FROM bulletins), (SELECT count(*) FROM unit_metrics), (SELECT count(*) FROM bulletin_tables)"
    ).fetchone()


def test_a_failure_mid_load_leaves_the_warehouse_as_it_was(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, _prepared(SEED_000))
    before = _counts(con)
    broken = _prepared(SEED_004)
    # The last table insert fails after bulletins and unit_metrics were written.
    broken.table_totals = [{"bulletin_id": broken.bulletin_id, "table_index": "not a number"}]
    with pytest.raises(duckdb.Error):
        load_bulletin(con, broken)
    assert _counts(con) == before
    assert con.execute("SELECT count(*) FROM unit_metrics WHERE bulletin_id = ?", [broken.bulletin_id]).fetchone() == (0,)
    con.close()


def test_reloading_a_bulletin_replaces_rather_than_duplicates(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    assert load_bulletin(con, _prepared(SEED_000)) == "loaded"
    assert load_bulletin(con, _prepared(SEED_000)) == "replaced"
    assert _counts(con) == (1, 220, 1)
    con.close()


def test_a_column_of_mixed_ints_floats_and_nulls_loads_value_for_value(tmp_path):
    # Rows go in as whole-column parameters; a column's Python types may differ row to row.
    prepared = _prepared(SEED_000)
    rows = prepared.unit_metrics[:4]
    for row, value in zip(rows, [7, 2.5, None, 0]):
        row["value"], row["source_page"], row["unit_group"] = value, None, None
    prepared.unit_metrics = rows
    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, prepared)
    got = con.execute("SELECT row_index, metric, value, source_page, unit_group, unit_raw FROM unit_metrics").fetchall()
    assert {(r[0], r[1]): r[2] for r in got} == {(row["row_index"], row["metric"]): v for row, v in zip(rows, [7.0, 2.5, None, 0.0])}
    assert {(r[3], r[4]) for r in got} == {(None, None)}
    assert sorted(r[5] for r in got) == sorted(row["unit_raw"] for row in rows)
    assert con.execute("SELECT published_date, typeof(published_date) FROM bulletins").fetchone() == (
        prepared.bulletin["published_date"], "DATE")
    con.close()


def test_text_with_quotes_and_sql_loads_as_data(tmp_path):
    text = (
        "2020年第三季度排名表\n| 单位 | 报送数 |\n|---|---|\n| 市'); DROP TABLE bulletins; -- 局 | 3 |\n"
        '| 市"公安"局 | 4 |\n'
    )
    path = tmp_path / "x'; DROP TABLE unit_metrics; --.txt"
    path.write_text(text, encoding="utf-8")
    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, _prepared(path))
    names = sorted(r[0] for r in con.execute("SELECT unit_raw FROM unit_metrics").fetchall())
    assert names == ['市"公安"局', "市'); DROP TABLE bulletins; -- 局"]
    assert con.execute("SELECT source_file FROM bulletins").fetchone()[0] == str(path)
    con.close()


def test_read_only_open_of_a_missing_warehouse_says_what_to_do(tmp_path):
    with pytest.raises(WarehouseMissing, match="tongbao ingest"):
        connect(tmp_path / "nothing.duckdb", read_only=True)


def test_a_warehouse_held_by_another_process_fails_naming_the_holder(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        with pytest.raises(WarehouseBusy) as info:
            connect(path, read_only=True, wait_s=0.5)
        assert time.monotonic() - started >= 0.5
        assert f"PID {holder.pid}" in str(info.value)
    finally:
        holder.kill()
        holder.wait()


def test_a_model_that_fails_keeps_the_previous_models_and_names_its_file(tmp_path):
    sql = tmp_path / "sql"
    (sql / "staging").mkdir(parents=True)
    (sql / "marts").mkdir()
    (sql / "staging" / "stg_a.sql").write_text("select 1 as x\n")
    (sql / "marts" / "mart_b.sql").write_text("select x from stg_a\n")
    con = connect(tmp_path / "w.duckdb")
    assert build_models(con, sql) == ["stg_a", "mart_b"]
    (sql / "marts" / "mart_b.sql").write_text("select x,\n  no_such_column\nfrom stg_a\n")
    with pytest.raises(ModelBuildError) as info:
        build_models(con, sql)
    assert "mart_b.sql" in str(info.value)
    assert con.execute("SELECT * FROM mart_b").fetchall() == [(1,)]
    con.close()


def test_the_real_models_build_on_an_empty_warehouse(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    built = build_models(con)
    assert {"stg_unit_metrics", "unit_quarter"} <= set(built)
    con.close()


def test_control_characters_and_very_long_names_load_as_data(tmp_path):
    long_name = "市" + "很长的单位名称" * 3000 + "局"
    text = (
        "2020年第三季度'; DELETE FROM bulletins; --排名表\n| 单位 | 报送数 |\n|---|---|\n"
        f"| 市公安局\x07\x1b[31m | 3 |\n| {long_name} | 4 |\n| Robert'); DROP TABLE unit_metrics;-- | 5 |\n"
    )
    path = tmp_path / "control;chars\x01.txt"
    path.write_text(text, encoding="utf-8")
    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, _prepared(path))
    raws = sorted(r[0] for r in con.execute("SELECT unit_raw FROM unit_metrics").fetchall())
    assert raws == sorted(["市公安局\x07\x1b[31m", long_name, "Robert'); DROP TABLE unit_metrics;--"])
    caption = con.execute("SELECT caption FROM bulletin_tables").fetchone()[0]
    assert "DELETE FROM bulletins" in caption
    assert con.execute("SELECT count(*) FROM bulletins").fetchone()[0] == 1
    con.close()
