"""The PDF reader: parity with text twins, the seeds' figures, layout cases, bad PDFs.

Fixtures come from `scripts/make_pdf_fixtures.py` (committed outputs). Expected
values are read off the documents (seed texts, text twins, what the pages
show), never from the reader.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from parsers.bulletin import parse_bulletin, read_document
from parsers.deadline import deadline
from parsers.errors import Corrupt, Encrypted, NoTextLayer, ParseTimeout, TooLarge, UndecodableText
from parsers.limits import Limits
from parsers.model import Table
from parsers.pdf import read_pdf
from parsers.pdf.settings import PdfSettings
from tests.support import FIXTURES, rows_of

PDF = FIXTURES / "pdf"
BAD = FIXTURES / "bad"
SEED_000 = PDF / "000_a18ab1c51e121e01.pdf"
SEED_004 = PDF / "004_ecd57e6128c53c86.pdf"
RULED_REPEAT = PDF / "synthetic_ruled_repeat_header.pdf"
RULED_NO_REPEAT = PDF / "synthetic_ruled_groups_no_repeat.pdf"
UNRULED_SIDE = PDF / "synthetic_unruled_side_by_side.pdf"
UNRULED_BOLD = PDF / "synthetic_unruled_fakebold.pdf"


def twin_of(pdf: Path) -> Path:
    """Given a PDF fixture, return the text file carrying the same content."""
    if pdf.stem.startswith("synthetic_"):
        return FIXTURES / "text" / f"synthetic_pdf_{pdf.stem.removeprefix('synthetic_')}.txt"
    return FIXTURES / "seeds" / f"{pdf.stem}.txt"


PAIRS = sorted(PDF.glob("*.pdf"))


def doc_of(path: Path):
    return read_document(path.read_bytes(), str(path))


def raw_page_texts(path: Path) -> list[str]:
    """Bare pdfplumber text per page: what the PDF holds before our reader cleans it."""
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def units(path: Path, metric: str | None = None) -> list[str]:
    return [r[5] for r in rows_of(path) if metric is None or r[9] == metric]


# ---------------------------------------------------------------- parity


def test_every_pdf_fixture_has_a_twin():
    assert len(PAIRS) >= 6
    for pdf in PAIRS:
        assert twin_of(pdf).exists(), f"{pdf.name} has no text twin {twin_of(pdf).name}"


@pytest.mark.parametrize("pdf", PAIRS, ids=lambda p: p.stem)
def test_pdf_gives_the_same_rows_as_its_text_twin(pdf: Path):
    rows = rows_of(pdf)
    assert rows, f"{pdf.name} gave no rows"
    assert rows == rows_of(twin_of(pdf))


# ---------------------------------------------------------------- seeds' acceptance figures


def test_seed_000_pdf_gives_the_ranking_figures():
    rows = rows_of(SEED_000)
    assert len(rows) == 220
    assert len({r[5] for r in rows}) == 55
    assert sum(r[10] for r in rows if r[9] == "submitted") == 3599
    assert sum(r[10] for r in rows if r[9] == "adopted") == 2900
    groups = {r[4] for r in rows}
    assert groups == {"县(市)政府", "区政府", "开发区管委会", "市政府工作部门", "其它单位"}
    assert all(r[1] == "吉林市" and (r[2], r[3]) == (2020, 3) for r in rows)


def test_seed_004_pdf_gives_both_annexes_and_its_metadata():
    rows = rows_of(SEED_004)
    assert len({r[5] for r in rows if r[9] == "updates"}) == 48
    for metric in ("messages_received", "messages_replied", "reply_rate"):
        assert len({r[5] for r in rows if r[9] == metric}) == 33
    updates = {r[5]: r[10] for r in rows if r[9] == "updates"}
    assert updates["市公安局"] == 189 and updates["市医保局"] == 6 and updates["市自然资源规划局"] == 36
    parsed = parse_bulletin(SEED_004.read_bytes(), str(SEED_004))
    assert parsed.meta.doc_number == "景府办明〔2021〕2号"
    assert parsed.meta.published_date == date(2021, 1, 25)
    assert parsed.meta.city == "景德镇市"
    assert parsed.meta.title.endswith("抽查情况的通报")


# ---------------------------------------------------------------- layout cases


def test_wrapped_cell_in_ruled_table_is_joined_without_spaces():
    raw = "\n".join(raw_page_texts(SEED_000))
    assert re.search(r"^\(农办\)$", raw, re.M) and re.search(r"^治市办\)$", raw, re.M), "fixture no longer wraps the cells"
    names = set(units(SEED_000))
    assert {"市农业农村局(农办)", "市司法局(依法治市办)", "市住房公积金管理中心"} <= names
    assert not any(" " in n or n in ("(农办)", "治市办)") for n in names)


def test_wrapped_cell_in_unruled_table_is_joined_without_spaces():
    raw = "\n".join(raw_page_texts(UNRULED_BOLD))
    assert re.search(r"^会$", raw, re.M), "fixture no longer wraps 市国有资产监督管理委员会"
    names = set(units(UNRULED_BOLD))
    assert {"市国有资产监督管理委员会", "市文化广电新闻出版旅游局"} <= names
    assert "会" not in names and not any(" " in n for n in names)


def test_fake_bold_header_is_read_once():
    raw = raw_page_texts(UNRULED_BOLD)[1]
    assert "排排名名" in raw or "排名排名" in raw, "fixture no longer overprints its header"
    doc = doc_of(UNRULED_BOLD)
    assert [c for c in doc.tables[0].header_rows[0].cells] == ["排名", "单位", "报送", "采用", "得分"]
    assert doc.tables[1].header_rows[0].cells == ["部门", "收到留言数", "回复留言数", "回复率"]
    assert {r[4] for r in rows_of(UNRULED_BOLD) if r[0] == 1} == {"县(市、区)政府", "市直部门"}


def test_continued_ruled_table_with_repeated_header_is_one_table():
    raw = raw_page_texts(RULED_REPEAT)
    assert sum("序号" in page for page in raw) >= 2, "fixture no longer repeats its header"
    doc = doc_of(RULED_REPEAT)
    assert len(doc.tables) == 1
    assert len({r[5] for r in rows_of(RULED_REPEAT)}) == 48


def test_continued_unruled_table_with_repeated_header_is_one_table():
    doc = doc_of(UNRULED_BOLD)
    assert len(doc.tables) == 2  # the ranking (3 pages) and the messages table
    assert len({r[5] for r in rows_of(UNRULED_BOLD) if r[0] == 1}) == 54


def test_continued_table_without_repeated_header_is_one_table():
    raw = raw_page_texts(RULED_NO_REPEAT)
    assert sum("本季度报送" in page for page in raw) == 1, "fixture repeats its header"
    doc = doc_of(RULED_NO_REPEAT)
    assert len(doc.tables) == 1
    rows = rows_of(RULED_NO_REPEAT)
    assert len({r[5] for r in rows if r[4] == "县(市、区)政府"}) == 13
    assert len({r[5] for r in rows if r[4] == "市直部门"}) == 40  # its page breaks fall inside this group


def test_table_starting_low_on_a_page_keeps_its_header():
    first_page = raw_page_texts(RULED_NO_REPEAT)[0]
    assert "本季度报送" in first_page and "市直部门" not in first_page  # header and few rows on page 1
    assert len(doc_of(RULED_NO_REPEAT).tables) == 1


def test_side_by_side_annex_across_a_page_break_is_unstacked():
    doc = doc_of(SEED_004)
    annex1 = doc.tables[0]
    assert annex1.unstacked_from == 2
    assert [c for c in annex1.header_rows[0].cells] == ["部门", "信息更新量"]
    assert len(annex1.body_rows) == 48
    side = doc_of(UNRULED_SIDE)
    assert side.tables[0].unstacked_from == 2
    assert len(rows_of(UNRULED_SIDE)) == 46


def test_page_numbers_and_running_heads_are_excluded():
    for path, head in ((RULED_REPEAT, "政务公开工作通报"), (UNRULED_BOLD, "宜春市政府网站工作通报"), (UNRULED_SIDE, "上饶市政务公开工作简报")):
        raw = raw_page_texts(path)
        assert all(head in page for page in raw), "fixture lost its running head"
        doc = doc_of(path)
        texts = [p.text for p in doc.paragraphs] + [c for t in doc.tables for r in t.rows for c in r.cells]
        assert not any(head in t for t in texts), f"running head left in {path.name}"
        assert not any(re.search(r"[—\-]\s*\d+\s*[—\-]", p.text) for p in doc.paragraphs), f"page number left in {path.name}"
        lone_numbers = [r.cells for t in doc.tables for r in t.rows if len([c for c in r.cells if c.strip()]) == 1 and re.fullmatch(r"\D*\d+\D*", "".join(r.cells))]
        assert not lone_numbers, f"page number read as a table row in {path.name}"


def test_prose_paragraphs_are_reassembled():
    doc = doc_of(SEED_000)
    texts = [p.text for p in doc.paragraphs]
    opening = next(t for t in texts if t.startswith("从7月1日到10月9日"))
    assert opening.endswith("予以通报(详见附件1)。")
    assert "2900条" in opening and " " not in opening
    assert "吉林市政务服务和数字化建设管理局" in texts and "2020年10月12日" in texts
    captions = doc.tables[0].caption
    assert captions[0] == "附件1" and captions[-1] == "2020年第三季度市政府网站信息采用情况排名表"


# ---------------------------------------------------------------- bad PDFs


@pytest.mark.parametrize(
    ("name", "error", "hint"),
    [
        ("encrypted.pdf", Encrypted, "password"),
        # A scan is read by OCR now (tests/test_ocr.py); only one OCR finds no text on is rejected.
        ("synthetic_scan_blank.pdf", NoTextLayer, "OCR found no text"),
        ("no_tounicode.pdf", UndecodableText, "ToUnicode"),
        ("truncated.pdf", Corrupt, "truncated"),
        ("corrupt_garbage.pdf", Corrupt, "not a readable PDF"),
    ],
)
def test_bad_pdf_is_rejected_with_its_reason(name: str, error: type, hint: str):
    path = BAD / name
    with pytest.raises(error) as caught:
        read_document(path.read_bytes(), str(path))
    assert hint in caught.value.message
    assert caught.value.reason == error.reason


def test_pdf_over_the_page_cap_is_too_large():
    with pytest.raises(TooLarge) as caught:
        read_document(SEED_000.read_bytes(), str(SEED_000), Limits(max_pdf_pages=3))
    assert "max_pdf_pages" in caught.value.message and "3" in caught.value.message


def test_reader_never_leaks_pdfminer_errors_on_damaged_bytes():
    data = bytearray(SEED_004.read_bytes())
    for start in range(2000, len(data) - 4000, 7919):  # scribble over object streams
        data[start : start + 64] = b"\x00" * 64
    try:
        doc = read_document(bytes(data), "scribbled.pdf")
    except (Corrupt, UndecodableText, NoTextLayer):
        return
    assert all(isinstance(t, Table) or t.text for t in doc.blocks)


# ---------------------------------------------------------------- settings and deadline


def test_pdf_settings_are_validated():
    with pytest.raises(ValueError, match="margin_band"):
        PdfSettings(margin_band=0)
    with pytest.raises(ValueError, match="space_gap"):
        PdfSettings(space_gap=1.0, segment_gap=0.75)
    with pytest.raises(ValueError, match="min_cells"):
        PdfSettings(min_cells=0)


def test_pdf_settings_are_passed_in():
    data = UNRULED_BOLD.read_bytes()
    assert read_pdf(data, "a.pdf", "x").tables, "the fixture's unruled tables are found with the default settings"
    # no gap is wide enough to separate two cells: every line is one segment, so no unruled table
    assert read_pdf(data, "a.pdf", "x", settings=PdfSettings(segment_gap=50.0)).tables == []


def test_pdf_reader_checks_the_shared_deadline():
    with deadline(0.0, "slow.pdf"), pytest.raises(ParseTimeout, match="slow.pdf took longer than the parse_timeout_s"):
        read_pdf(SEED_000.read_bytes(), "slow.pdf", "x")
