"""`tongbao export` as an analyst uses it: the suffix picks the format, a filter
that matches nothing writes nothing, and the workbook reads like a report.

Expected values are read by hand from fixtures/multicity (景德镇市 2021 Q1:
市教育局 received 8 letters, replied to 6, 回复率 75.00%).
"""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from typer.testing import CliRunner

from flows.ingest import ingest_flow
from tests.support import FIXTURES
from tongbao.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("export_excel") / "w.duckdb"
    summary = ingest_flow([str(FIXTURES / "multicity")], warehouse=str(path))
    assert summary["model_error"] is None
    return path


def _export(warehouse, *args):
    return runner.invoke(app, ["export", *args, "-w", str(warehouse)])


def _said(result) -> str:
    """The error text with the console's line wrapping undone."""
    return "".join(result.stderr.split())


def test_an_xlsx_output_without_format_writes_excel(warehouse, tmp_path):
    out = tmp_path / "jdz.xlsx"
    result = _export(warehouse, "unit_quarter", "--city", "景德镇市", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)  # an xlsx is a zip; a CSV by mistake is not
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["unit_quarter", "字段说明"]


def test_format_still_wins_over_the_suffix(warehouse, tmp_path):
    out = tmp_path / "plain.xlsx"
    result = _export(warehouse, "city_quarter", "-f", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_workbook_has_labels_percentages_widths_and_a_frozen_header(warehouse, tmp_path):
    out = tmp_path / "jdz.xlsx"
    assert _export(warehouse, "unit_quarter", "--city", "景德镇市", "--year", "2021", "-o", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out)["unit_quarter"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["城市", "年份"]
    col = {name: i for i, name in enumerate(header)}
    assert {"单位", "回复率", "收到留言数", "回复留言数"} <= set(col)
    rows = [r for r in sheet.iter_rows(min_row=2) if r[col["单位(原文)"]].value == "市教育局"
            and r[col["季度"]].value == 1]
    assert len(rows) == 1
    (row,) = rows
    assert row[col["收到留言数"]].value == 8 and row[col["回复留言数"]].value == 6
    rate = row[col["回复率"]]
    assert rate.value == pytest.approx(0.75) and rate.number_format == "0.00%"
    assert row[col["收到留言数"]].number_format == "General"
    letters = openpyxl.utils.get_column_letter(col["单位(原文)"] + 1)
    # The widest printed name, 市教育局 and its kin, is 4 Chinese characters: 8 units, plus padding.
    assert sheet.column_dimensions[letters].width >= 10
    city_letter = openpyxl.utils.get_column_letter(col["城市"] + 1)
    assert 8 <= sheet.column_dimensions[city_letter].width <= 12  # 景德镇市: 4 characters


def test_long_models_show_metric_labels_and_rate_rows_as_percentages(warehouse, tmp_path):
    out = tmp_path / "metrics.xlsx"
    assert _export(warehouse, "stg_unit_metrics", "--city", "景德镇市", "--year", "2021", "-o", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in sheet[1]]
    metric, value, unit = header.index(_label(sheet, "metric")), header.index(_label(sheet, "value")), header.index(_label(sheet, "unit_raw"))
    mine = [r for r in sheet.iter_rows(min_row=2) if r[unit].value == "市教育局" and r[header.index(_label(sheet, "period_quarter"))].value == 1]
    by_metric = {r[metric].value: r[value] for r in mine}
    assert set(by_metric) >= {"收到留言数", "回复留言数", "回复率", "信息更新量"}
    assert by_metric["回复率"].value == pytest.approx(0.75) and by_metric["回复率"].number_format == "0.00%"
    assert by_metric["信息更新量"].value == 90 and by_metric["信息更新量"].number_format == "General"


def _label(sheet, column: str) -> str:
    """The Chinese label the 字段说明 sheet gives a column (that sheet pairs them)."""
    notes = sheet.parent["字段说明"]
    return next(r[0] for r in notes.iter_rows(min_row=2, values_only=True) if r[1] == column)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_a_filter_that_matches_nothing_says_so_and_keeps_the_old_file(warehouse, tmp_path, fmt):
    out = tmp_path / f"jilin.{fmt}"
    out.write_bytes(b"an earlier export")
    result = _export(warehouse, "unit_quarter", "--city", "吉林", "-o", str(out))
    assert result.exit_code == 1
    assert "norowsofunit_quartermatch--city吉林;nothingwritten" in _said(result)
    assert "city:吉林市,景德镇市,赣州市" in _said(result)  # the cities it does hold
    assert out.read_bytes() == b"an earlier export"


def test_a_year_that_matches_nothing_is_refused_and_nothing_is_created(warehouse, tmp_path):
    out = tmp_path / "none.csv"
    result = _export(warehouse, "unit_quarter", "--city", "吉林市", "--year", "1999", "-o", str(out))
    assert result.exit_code == 1 and "nothingwritten" in _said(result)
    assert not out.exists()
