"""`tongbao export`: CSV with a BOM, xlsx with Chinese headers, Parquet, filters, and refusals."""

from __future__ import annotations

import csv

import duckdb
import pytest
from typer.testing import CliRunner

from flows.ingest import ingest_flow
from tests.support import FIXTURES
from tongbao.cli import app
from warehouse.export import ExportError, export_model

runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "w.duckdb"
    summary = ingest_flow([str(FIXTURES / "multicity")], warehouse=str(path))
    assert summary["model_error"] is None
    return path


def test_csv_starts_with_a_bom_and_filters_by_city_and_year(warehouse, tmp_path):
    out = tmp_path / "uq.csv"
    result = runner.invoke(app, ["export", "unit_quarter", "-w", str(warehouse), "--city", "吉林市", "--year", "2021",
                                 "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    # 吉林市 lists 7 units in each of 2021's four quarters
    assert len(rows) == 28
    assert {r["city"] for r in rows} == {"吉林市"} and {r["period_year"] for r in rows} == {"2021"}
    assert "wrote 28 row(s)" in result.stdout


def test_xlsx_has_chinese_headers_and_a_column_sheet(warehouse, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "cq.xlsx"
    result = runner.invoke(app, ["export", "city_quarter", "-w", str(warehouse), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["city_quarter", "字段说明"]
    header = [c.value for c in next(book["city_quarter"].iter_rows(max_row=1))]
    assert header[:4] == ["城市", "年份", "季度", "期间代码"]
    rows = list(book["city_quarter"].iter_rows(min_row=2, values_only=True))
    # 吉林市 5 quarters + 景德镇市 4 (one a gap) + 赣州市 4
    assert len(rows) == 13
    notes = list(book["字段说明"].iter_rows(min_row=2, values_only=True))
    assert ("城市", "city") == notes[0][:2]


def test_parquet_keeps_types(warehouse, tmp_path):
    out = tmp_path / "ut.parquet"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        count = export_model(con, "unit_trend", out, "parquet", city="景德镇市")
    finally:
        con.close()
    check = duckdb.connect()
    assert check.execute("select count(*) from read_parquet(?)", [str(out)]).fetchone()[0] == count
    types = dict(check.execute("select column_name, column_type from (describe select * from read_parquet(?))", [str(out)]).fetchall())
    assert types["is_gap"] == "BOOLEAN" and types["updates"] == "DOUBLE"


@pytest.mark.parametrize("model, fmt, kwargs, message", [
    ("unit_quarter; drop table bulletins", "csv", {}, "no model called"),
    ("bulletins", "csv", {}, "no model called"),
    ("unit_quarter", "json", {}, "unknown format"),
])
def test_only_models_and_known_formats_are_exported(warehouse, tmp_path, model, fmt, kwargs, message):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        with pytest.raises(ExportError, match=message):
            export_model(con, model, tmp_path / "x", fmt, **kwargs)
    finally:
        con.close()
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("model, kwargs, expected", [
    # 吉林市's four 2021 bulletins each print one 合计 row over 报送, 采用 and 得分
    ("int_table_totals", {"year": 2021, "city": None}, 12),
    # 吉林市 reports 2020 Q4 to 2021 Q4: five quarters
    ("int_city_periods", {"city": "吉林市"}, 5),
])
def test_intermediate_models_export_their_filtered_rows(warehouse, tmp_path, model, kwargs, expected):
    out = tmp_path / "x.csv"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert export_model(con, model, out, "csv", **kwargs) == expected
    finally:
        con.close()
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == expected
    for column, value in (("period_year", kwargs.get("year")), ("city", kwargs.get("city"))):
        if value is not None:
            assert {r[column] for r in rows} == {str(value)}


def test_filter_on_a_missing_column_is_misuse(warehouse, tmp_path):
    result = runner.invoke(app, ["export", "stg_bulletin_statistics", "-w", str(warehouse), "-o", str(tmp_path / "a.csv"),
                                 "--city", "吉林市"])
    assert result.exit_code == 0
    # stg_table_totals holds the printed totals as loaded: no city, no year
    for option, value, column in (("--city", "吉林市", "city"), ("--year", "2021", "period_year")):
        missing = runner.invoke(app, ["export", "stg_table_totals", "-w", str(warehouse), "-o", str(tmp_path / "m.csv"),
                                      option, value])
        assert missing.exit_code == 2 and f"model stg_table_totals has no {column} column to filter on" in missing.stderr
    assert not (tmp_path / "m.csv").exists()
    bad = runner.invoke(app, ["export", "nope", "-w", str(warehouse), "-o", str(tmp_path / "b.csv")])
    assert bad.exit_code == 2 and "no model called" in bad.stderr
