"""The document model holds one truth: readers emit raw tables, shaping
returns new ones, captions keep their origin, margins are a layer."""

from __future__ import annotations

from parsers.bulletin import read_document
from parsers.model import Table
from parsers.structure import shape_document
from parsers.text_reader import read_text
from tests.support import FIXTURES

SEED_004 = FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"


def test_shaping_returns_new_tables_and_leaves_the_raw_ones_as_read():
    raw = read_text(SEED_004.read_bytes(), "seed004.txt", "0" * 64)
    raw_first = raw.tables[0]
    raw_rows = [list(r.cells) for r in raw_first.rows]
    shaped = shape_document(raw)
    first = shaped.tables[0]
    assert shaped is not raw and first is not raw_first
    assert [list(r.cells) for r in raw_first.rows] == raw_rows  # untouched
    assert raw_first.header_count == 0
    assert raw_first in first.sources
    # Side by side `部门 信息更新量 部门 信息更新量`: the shaped rows are the
    # unstacked ones, and header/body are views of them, never a second copy.
    assert first.unstacked_from == 2
    assert raw_rows[0] == ["部门", "信息更新量", "部门", "信息更新量"]
    assert [r.cells for r in first.header_rows] == [["部门", "信息更新量"]]
    assert first.rows == first.header_rows + first.body_rows
    assert all(len(r.cells) == 2 for r in first.rows)
    assert first.body_rows[0].cells == ["市公安局", "189"]
    assert {r.role for r in first.body_rows} == {"unit"}


def test_captions_keep_their_origin():
    doc = read_document(SEED_004.read_bytes(), "seed004.txt")
    first = doc.tables[0]
    lines = [p.origin.line for p in first.caption_paragraphs]
    assert first.caption[-1] == "(统计时间:7 月 1 日—9 月 30 日)"
    assert all(isinstance(n, int) for n in lines) and lines == sorted(lines)
    assert lines[-1] < first.origin.line


def test_page_headers_footers_and_text_boxes_are_marked_by_their_layer():
    path = FIXTURES / "docx" / "synthetic_margin_metadata.docx"
    doc = read_document(path.read_bytes(), str(path))
    layers = {p.text: p.origin.layer for p in doc.margin_text}
    assert layers["赣州市人民政府办公室文件"] == "page_header"
    assert layers["2021年4月8日印发"] == "page_footer"
    assert layers["赣市府办字〔2021〕15号"] == "text_box"
    assert all(p.origin.block > 0 for p in doc.margin_text)
    assert {p.origin.layer for p in doc.paragraphs} == {"body"}


def test_header_paths_join_each_column_top_down():
    from parsers.model import Row

    table = Table(
        [Row(["单位", "本季度", "本季度"]), Row(["单位", "报送", "采用"]), Row(["市水务局", "3", "2"])],
        header_count=2,
    )
    assert table.header_paths == [("单位",), ("本季度", "报送"), ("本季度", "采用")]
    assert [r.cells[0] for r in table.body_rows] == ["市水务局"]


def test_pdf_running_heads_and_page_numbers_are_kept_in_their_layer():
    path = FIXTURES / "pdf" / "synthetic_unruled_fakebold.pdf"
    doc = read_document(path.read_bytes(), str(path))
    # The fixture script prints `宜春市政府网站工作通报` atop and `— n —` under each page.
    heads = [(p.origin.page, p.text) for p in doc.margin_text if p.origin.layer == "page_header"]
    feet = [(p.origin.page, p.text) for p in doc.margin_text if p.origin.layer == "page_footer"]
    assert heads == [(n, "宜春市政府网站工作通报") for n in range(1, len(heads) + 1)] and len(heads) >= 2
    assert feet == [(n, f"— {n} —") for n in range(1, len(feet) + 1)]
    assert not any(p.text == "宜春市政府网站工作通报" for p in doc.paragraphs)
