"""Tables copied off web pages load in every shape real bulletins show.

Each fixture (scripts/make_webcopy_fixtures.py) is an invented bulletin in
one real layout; the expected rows are transcribed by hand from the fixture.
"""

from __future__ import annotations

import pytest

from parsers.bulletin import parse_bulletin, read_document
from parsers.cell_stream import reflow
from parsers.header_grid import expand_header
from parsers.numbers import parse_cell_number
from tests.support import FIXTURES
from warehouse.rows import unit_metric_rows

TEXT = FIXTURES / "text"


def _parse(name: str):
    path = TEXT / name
    parsed = parse_bulletin(path.read_bytes(), str(path))
    return parsed, unit_metric_rows(parsed)


def _facts(rows, table_index: int = 1) -> list[tuple]:
    return [(r["unit_group"], r["unit_raw"], r["metric"], r["value"]) for r in rows if r["table_index"] == table_index]


SUBMITTED_ADOPTED = [
    (None, "市水务局", "submitted", 14.0),
    (None, "市水务局", "adopted", 9.0),
    (None, "市档案局", "submitted", 7.0),
    (None, "市档案局", "adopted", 7.0),
    (None, "市供销社", "submitted", 5.0),
    (None, "市供销社", "adopted", 3.0),
]


def test_cells_one_per_line_without_row_separators_reflow_by_the_header_width():
    parsed, rows = _parse("synthetic_webcopy_cell_stream.txt")
    first, second = parsed.document.tables
    assert [r.cells for r in first.header_rows] == [["单位", "报送数", "采用数"]]
    assert [(r.role, r.cells) for r in first.body_rows][-1] == ("total", ["合计", "26", "19"])
    assert _facts(rows) == [
        (None, "市水务局", "submitted", 14.0),
        (None, "市水务局", "adopted", 9.0),
        (None, "市档案局", "submitted", 7.0),
        (None, "市档案局", "adopted", 7.0),
        (None, "市气象局", "submitted", 0.0),
        (None, "市气象局", "adopted", 0.0),
        (None, "市供销社", "submitted", 5.0),
        (None, "市供销社", "adopted", 3.0),
    ]
    assert [(t.label_raw, t.metric, t.value) for t in parsed.tables[0].totals] == [
        ("合计", "submitted", 26.0),
        ("合计", "adopted", 19.0),
    ]
    # A header the vocabulary does not know is still found by the layout.
    assert second.header_paths == [("承办单位",), ("受理(件)",), ("办结(件)",)]
    assert [r.cells for r in second.body_rows] == [
        ["青溪区政府", "11", "10"],
        ["白石县政府", "4", "4"],
        ["市住建局", "6", "5"],
    ]


def test_a_cell_stream_with_group_lines_keeps_each_unit_in_its_group():
    parsed, rows = _parse("synthetic_webcopy_cell_stream_groups.txt")
    (table,) = parsed.document.tables
    assert table.header_paths == [("排名",), ("单位",), ("报送数",), ("采用数",), ("得分",)]
    assert [(r.role, r.cells[0]) for r in table.body_rows] == [
        ("group", "县(市、区)"),
        ("unit", "1"),
        ("unit", "2"),
        ("group", "市直部门"),
        ("unit", "1"),
        ("unit", "2"),
        ("unit", "3"),
    ]
    scores = [(g, u, v) for g, u, m, v in _facts(rows) if m == "score"]
    assert scores == [
        ("县(市、区)", "白石县", 320.0),
        ("县(市、区)", "青溪区", 300.0),
        ("市直部门", "市水务局", 90.0),
        ("市直部门", "市档案局", 70.0),
        ("市直部门", "市供销社", 30.0),
    ]


def test_pipe_rows_without_a_leading_pipe():
    _, rows = _parse("synthetic_webcopy_pipe_rows.txt")
    assert [f for f in _facts(rows) if f[1] == "市气象局"] == [
        (None, "市气象局", "rank", 3.0),
        (None, "市气象局", "submitted", 18.0),
        (None, "市气象局", "adopted", 11.0),
        (None, "市气象局", "score", 110.0),
    ]
    assert len(rows) == 12


def test_one_cell_per_paragraph_and_the_signature_stays_prose():
    parsed, rows = _parse("synthetic_webcopy_cell_paragraphs.txt")
    assert _facts(rows) == [
        (None, "市水务局", "submitted", 14.0),
        (None, "市水务局", "adopted", 9.0),
        (None, "市档案局", "submitted", 7.0),
        (None, "市档案局", "adopted", None),  # printed as a dash
        (None, "市供销社", "submitted", 5.0),
        (None, "市供销社", "adopted", 3.0),
    ]
    assert str(parsed.meta.published_date) == "2022-07-08"
    assert parsed.document.tables[0].cut_row is None


def test_rows_broken_by_empty_cells():
    parsed, rows = _parse("synthetic_webcopy_empty_cell_breaks.txt")
    assert parsed.document.tables[0].width == 3
    assert _facts(rows) == SUBMITTED_ADOPTED


def test_headers_merged_over_two_and_three_rows_give_a_joined_path_per_column():
    parsed, rows = _parse("synthetic_webcopy_merged_headers.txt")
    two, three = parsed.document.tables
    assert two.header_paths == [("单位",), ("信息报送", "报送数"), ("信息报送", "采用数"), ("得分",)]
    assert three.header_paths == [
        ("单位",),
        ("考核情况", "信息报送", "报送数"),
        ("考核情况", "信息报送", "采用数"),
        ("考核情况", "网站维护", "更新数"),
        ("考核情况", "网站维护", "回复率"),
        ("总分",),
    ]
    assert [r.role for r in three.rows] == ["header", "header", "header", "unit", "unit"]
    assert three.body_rows[1].cells == ["市档案局", "7", "7", "64", "95%", "71"]
    assert _facts(rows, 1) == [
        (None, "市水务局", "submitted", 14.0),
        (None, "市水务局", "adopted", 9.0),
        (None, "市水务局", "score", 45.0),
        (None, "市档案局", "submitted", 7.0),
        (None, "市档案局", "adopted", 7.0),
        (None, "市档案局", "score", 35.0),
    ]
    water = {r["metric"]: r["value"] for r in rows if r["table_index"] == 2 and r["unit_raw"] == "市水务局"}
    assert water["updates"] == 120.0 and water["reply_rate"] == 1.0


def test_a_caption_row_inside_the_table_with_leading_blanks():
    parsed, rows = _parse("synthetic_webcopy_caption_row.txt")
    (table,) = parsed.document.tables
    assert table.caption == ["附件:", "2022年第二季度信息报送情况统计表"]
    assert table.caption_paragraphs[1].origin.line == 8  # the row it was printed on
    assert [r.cells[1] for r in table.body_rows] == ["市水务局", "市档案局", "市供销社"]
    assert [f for f in _facts(rows) if f[2] == "score"] == [
        (None, "市水务局", "score", 45.0),
        (None, "市档案局", "score", 35.0),
        (None, "市供销社", "score", 15.0),
    ]


def test_a_caption_printed_as_the_first_cell_of_a_cell_stream():
    parsed, rows = _parse("synthetic_webcopy_cell_stream_caption.txt")
    (table,) = parsed.document.tables
    assert table.caption == ["附件1", "2022年第二季度信息报送情况统计表"]
    assert [p.origin.line for p in table.caption_paragraphs] == [5, 6]
    assert table.header_paths == [("单位",), ("报送数",), ("采用数",)]
    assert _facts(rows) == SUBMITTED_ADOPTED[:4]


@pytest.mark.parametrize(
    "name,cut",
    [
        ("synthetic_webcopy_truncated_cells.txt", ["3", "市供销"]),
        ("synthetic_webcopy_truncated_pipe_rows.txt", ["3", "市供销社", "5"]),
    ],
)
def test_a_table_cut_off_at_the_end_loads_its_complete_rows_and_says_so(name, cut):
    parsed, rows = _parse(name)
    assert _facts(rows) == SUBMITTED_ADOPTED[:4]
    assert parsed.document.tables[0].cut_row.cells == cut
    assert any("cut off" in w and " | ".join(cut) in w for w in parsed.warnings)


def test_a_table_cut_off_inside_its_header_keeps_the_header_and_says_so():
    path = TEXT / "synthetic_webcopy_truncated_header.txt"
    (table,) = read_document(path.read_bytes(), str(path)).tables  # no figure: parse_bulletin rejects it
    assert table.header_paths == [("序号",), ("网站名称",), ("网站地址",)]
    assert table.body_rows == []
    assert table.cut_row.cells == ["是否"]
    assert any("cut off" in w for w in table.warnings)


def test_a_group_line_under_a_tab_separated_header_and_tie_ranks():
    parsed, rows = _parse("synthetic_webcopy_tab_group_ties.txt")
    assert len(parsed.document.tables) == 1
    ranks = [(g, u, v) for g, u, m, v in _facts(rows) if m == "rank"]
    assert ranks == [
        ("县(市、区)", "白石县", 1.0),
        ("县(市、区)", "青溪区", 2.0),
        ("县(市、区)", "云岭县", 3.0),
        ("县(市、区)", "河口区", 3.0),
        ("市直部门", "市水务局", 1.0),
        ("市直部门", "市档案局", 2.0),
    ]
    assert len(rows) == 24


@pytest.mark.parametrize("cell,value", [("并列6", 6.0), ("并列第6名", 6.0), ("6(并列)", 6.0)])
def test_tie_ranks_read_as_the_shared_rank(cell, value):
    assert parse_cell_number(cell) == value


def test_a_stream_that_is_not_a_table_is_not_reflowed():
    assert reflow(["情况说明", "见附件", "另行通知"]) is None
    assert reflow(["单位", "报送数", "市水务局"]) is None  # no complete body row
    assert reflow(["情况"] * 60) is None  # all text, nothing shows a width


def test_merged_header_counts_that_admit_no_layout_are_left_alone():
    # Three cells over one: no cell of the top row can hold the one below.
    assert expand_header([["单位", "报送数", "采用数", ""], ["合计", "", "", ""]], 4) is None
