"""Excel workbooks read with python-calamine; expected values written by hand
from scripts/make_xlsx_fixtures.py and scripts/make_html_fixtures.py."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from parsers.bulletin import parse_bulletin, read_document
from parsers.detect import detect_format
from parsers.errors import NoFacts, UnknownFormat
from tests.support import FIXTURES

WORKBOOK = FIXTURES / "xlsx" / "赣州市2021年第三季度政府网站信息报送情况_synthetic.xlsx"
ANNEX = FIXTURES / "site" / "files" / "synthetic_q2_ranking.xlsx"


def test_a_workbook_alone_is_a_bulletin_named_by_its_title_row_and_file_name():
    parsed = parse_bulletin(WORKBOOK.read_bytes(), str(WORKBOOK))
    assert parsed.document.format == "xlsx"
    assert parsed.meta.city == "赣州市"  # from the file name: the title row names no city
    assert parsed.meta.title == "2021年第三季度政府网站信息报送情况排名表"  # the merged title row
    assert (parsed.meta.period.year, parsed.meta.period.quarter) == (2021, 3)


def test_every_visible_sheet_is_a_table_and_the_hidden_one_is_skipped():
    parsed = parse_bulletin(WORKBOOK.read_bytes(), str(WORKBOOK))
    assert [t.caption for t in parsed.tables] == [
        "2021年第三季度政府网站信息报送情况排名表", "2021年第三季度市直部门政府网站信息报送情况排名表"]
    units = [m.unit_raw for m in parsed.metrics if m.metric == "submitted"]
    assert units == ["章贡区", "南康区", "赣县区", "市公安局", "市教育局", "市民政局"]  # not 草稿单位
    assert any("工作底稿" in note and "skipped" in note for note in parsed.document.notes)


def test_numbers_stored_as_text_read_like_numbers_and_merged_rows_like_docx():
    parsed = parse_bulletin(WORKBOOK.read_bytes(), str(WORKBOOK))
    facts = {(m.table_index, m.unit_group, m.unit_raw, m.metric): (m.value, m.value_raw) for m in parsed.metrics}
    assert facts[(1, "县(市、区)政府", "南康区", "adopted")] == (71, "71")  # typed as text
    assert facts[(2, None, "市公安局", "score")] == (1275, "1275")  # typed as a number: no ".0"
    assert len(facts) == 24
    assert {(t.metric, t.value) for t in parsed.tables[1].totals} == {("submitted", 105), ("adopted", 90), ("score", 2250)}
    sheet1 = read_document(WORKBOOK.read_bytes(), str(WORKBOOK)).tables[0]
    assert sheet1.body_rows[0].cells == ["县(市、区)政府", "", "", "", ""]  # merged across: text once


def test_merged_group_cells_down_a_column_repeat_in_every_row():
    parsed = parse_bulletin(ANNEX.read_bytes(), str(ANNEX))
    groups = [(m.unit_group, m.unit_raw) for m in parsed.metrics if m.metric == "submitted"]
    assert groups == [("县(市、区)政府", "上高县"), ("县(市、区)政府", "樟树市"), ("县(市、区)政府", "丰城市"),
                      ("市直部门", "市水利局"), ("市直部门", "市商务局")]
    assert parsed.tables[0].caption == "2021年第二季度政府网站信息报送情况排名表 / (统计时间:4月1日—6月30日)"
    assert (parsed.tables[0].period.year, parsed.tables[0].period.quarter) == (2021, 2)
    origin = next(m.origin for m in parsed.metrics if m.unit_raw == "市商务局")
    assert (origin.page, origin.line) == (1, 8)  # sheet 1, row 8


def test_an_excel_file_is_detected_and_never_told_to_be_unpacked():
    assert detect_format(WORKBOOK.read_bytes(), "x.zip") == "xlsx"
    wb = Workbook()
    wb.active.append(["这是一个图表说明"])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(NoFacts) as caught:
        parse_bulletin(buffer.getvalue(), "chart.xlsx")
    message = caught.value.message
    assert "unpack" not in message and "synonym" not in message and "prose patterns" not in message
    assert "sheet" in message


def test_a_zip_that_is_no_office_file_is_still_told_to_be_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("bulletin.txt", "x")
    with pytest.raises(UnknownFormat) as caught:
        detect_format(buffer.getvalue(), "bundle.zip")
    assert "unpack it" in caught.value.message


def test_a_legacy_xls_gives_the_same_rows_as_the_same_sheet_in_xlsx():
    legacy = FIXTURES / "xlsx" / "赣州市2021年第三季度县区政府网站信息报送情况_synthetic.xls"
    assert detect_format(legacy.read_bytes(), "x.doc") == "xls"  # an OLE file, but a workbook, not Word
    old = parse_bulletin(legacy.read_bytes(), str(legacy))
    new = parse_bulletin(WORKBOOK.read_bytes(), str(WORKBOOK))
    assert old.document.format == "xls" and old.meta.city == "赣州市"

    def facts(parsed, table_index):
        return sorted((m.unit_group, m.unit_raw, m.metric, m.value, m.value_raw)
                      for m in parsed.metrics if m.table_index == table_index)

    assert facts(old, 1) == facts(new, 1)
    assert len(facts(old, 1)) == 12
