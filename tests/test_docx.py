"""DOCX (and legacy .doc) bulletins give the same facts as their text twins.

The DOCX fixtures are made by scripts/make_docx_fixtures.py from the seeds and
from hand-written tables; expected values below are read off those documents
(the seed text, the generator's specs), never from the code under test.
"""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import pytest
from lxml.etree import XMLSyntaxError

from parsers import legacy_word
from parsers.bulletin import parse_bulletin, read_document
from parsers.deadline import deadline
from parsers.docx_reader import check_package, read_docx
from parsers.errors import ConversionUnavailable, Corrupt, Encrypted, ParseTimeout, TooLarge, UnknownFormat
from parsers.limits import Limits
from tests.support import FIXTURES, rows_of

DOCX = FIXTURES / "docx"
TEXT = FIXTURES / "text"
BAD = FIXTURES / "bad"
SEED_000_TXT = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"
SEED_004_TXT = FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"
SEED_000_DOCX = DOCX / "seed000_a18ab1c51e121e01.docx"
SEED_004_DOCX = DOCX / "seed004_ecd57e6128c53c86.docx"
SEED_000_DOC = DOCX / "seed000_a18ab1c51e121e01.doc"
HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


def _pairs() -> list[tuple[Path, Path]]:
    pairs = [(SEED_000_DOCX, SEED_000_TXT), (SEED_004_DOCX, SEED_004_TXT)]
    for docx_path in sorted(DOCX.glob("synthetic_*.docx")):
        pairs.append((docx_path, TEXT / f"synthetic_docx_{docx_path.stem.removeprefix('synthetic_')}.txt"))
    return pairs


def _doc(path: Path):
    return read_document(path.read_bytes(), path.name)


def _rows_by_unit(path: Path) -> dict[str, dict[str, float | None]]:
    out: dict[str, dict[str, float | None]] = {}
    for row in rows_of(path):
        out.setdefault(row[5], {})[row[9]] = row[10]
    return out


def test_every_synthetic_docx_has_a_text_twin():
    synthetic = sorted(DOCX.glob("synthetic_*.docx"))
    assert len(synthetic) >= 6
    for docx_path, twin in _pairs():
        assert twin.exists(), f"{docx_path.name} has no text twin {twin.name}"


@pytest.mark.parametrize("docx_path,twin", _pairs(), ids=lambda p: p.name)
def test_docx_gives_the_same_rows_as_its_text_twin(docx_path: Path, twin: Path):
    rows = rows_of(docx_path)
    assert rows, f"{docx_path.name} gave no unit_metrics rows"
    assert rows == rows_of(twin)


# -- seed 000: group rows merged across the table ----------------------------------


def test_merged_across_group_row_reads_as_single_cell_group_row():
    table = _doc(SEED_000_DOCX).tables[0]
    group_rows = [r for r in table.rows if [c for c in r.cells if c.strip()] == ["区政府"]]
    assert group_rows and group_rows[0].cells == ["区政府", "", "", "", ""]
    units = _rows_by_unit(SEED_000_DOCX)
    assert len(units) == 55  # 5 + 4 + 5 + 35 + 6 units in the seed's five groups
    groups = {row[5]: row[4] for row in rows_of(SEED_000_DOCX)}
    assert groups["舒兰市"] == "县(市)政府"
    assert groups["昌邑区"] == "区政府"
    assert groups["市残联"] == "其它单位"
    assert units["舒兰市"] == {"rank": 1.0, "submitted": 197.0, "adopted": 186.0, "score": 4650.0}


# -- seed 004: side by side, and a table split by a page break ------------------


def test_side_by_side_annex_unstacks_to_48_units():
    doc = _doc(SEED_004_DOCX)
    annex1 = doc.tables[0]
    assert annex1.unstacked_from == 2
    updates = {r[5]: r[10] for r in rows_of(SEED_004_DOCX) if r[0] == 1}
    assert len(updates) == 48
    assert updates["市公安局"] == 189.0 and updates["市消防救援支队"] == 26.0


def test_split_table_without_repeated_header_is_joined():
    # Annex 2 is two Word tables separated by a page break; the second has no header.
    doc = _doc(SEED_004_DOCX)
    assert len(doc.tables) == 2
    annex2 = [r for r in rows_of(SEED_004_DOCX) if r[0] == 2]
    assert len({r[5] for r in annex2}) == 33
    replied = {r[5]: r[10] for r in annex2 if r[9] == "messages_replied"}
    assert replied["市人社局"] == 308.0 and replied["市消防救援支队"] == 1.0


def test_split_table_with_repeated_header_across_section_break_is_joined():
    path = DOCX / "synthetic_section_break.docx"
    doc = _doc(path)
    assert len(doc.tables) == 1
    units = _rows_by_unit(path)
    assert len(units) == 14  # 8 rows before the section break, 6 after
    assert "市残联" in units and "章贡区" in units


# -- merged cells ---------------------------------------------------------------------


def test_vmerge_group_column_gives_every_unit_its_group():
    path = DOCX / "synthetic_vmerge_group.docx"
    groups = {row[5]: row[4] for row in rows_of(path)}
    assert groups["章贡区"] == "县(市)区" and groups["大余县"] == "县(市)区"
    assert groups["市公安局"] == "市直部门" and groups["市卫生健康委"] == "市直部门"
    assert groups["市住房公积金管理中心"] == "其他单位"


def test_two_row_header_joins_top_and_bottom_labels():
    path = DOCX / "synthetic_two_row_header.docx"
    parsed = parse_bulletin(path.read_bytes(), path.name)
    roles = parsed.tables[0].columns
    assert roles.get("本季度报送") == "submitted"
    assert "adopted" in roles.values() and "score" in roles.values() and "rank" in roles.values()
    assert len({m.unit_raw for m in parsed.metrics}) == 14


def test_merged_cell_is_read_once_not_per_grid_position():
    # python-docx's grid view repeats a gridSpan cell; the reader must not.
    doc = _doc(DOCX / "synthetic_two_row_header.docx")
    first = doc.tables[0].header_rows[0]
    assert first.cells == ["排名", "单位", "本季度", "", "本季度得分"]


# -- cell content -------------------------------------------------------------------


def test_nested_table_in_layout_frame_is_read_with_its_caption():
    path = DOCX / "synthetic_nested_table.docx"
    doc = _doc(path)
    assert len(doc.tables) == 1
    assert doc.tables[0].caption[-1] == "2021年第一季度政府网站信息报送采用情况表"
    assert len(_rows_by_unit(path)) == 14


def test_multi_paragraph_cells_line_breaks_full_width_digits_and_trailing_rows():
    path = DOCX / "synthetic_cell_text.docx"
    doc = _doc(path)
    table = doc.tables[0]
    assert not table.rows[-1].is_blank(), "empty trailing rows are dropped"
    units = _rows_by_unit(path)
    # 章贡区 is split over two paragraphs, 南康区 broken by a line break in the document.
    assert "章贡区" in units and "南康区" in units
    assert all(v is not None for metrics in units.values() for v in metrics.values())


# -- margin text ---------------------------------------------------------------------


def test_text_box_header_footer_metadata_found():
    path = DOCX / "synthetic_margin_metadata.docx"
    parsed = parse_bulletin(path.read_bytes(), path.name)
    margin = [p.text for p in parsed.document.margin_text]
    assert "赣市府办字〔2021〕15号" in margin  # text box
    assert "关于2021年第一季度政府网站信息报送情况的通报" in margin  # text box
    assert "赣州市人民政府办公室文件" in margin  # page header
    assert "2021年4月8日印发" in margin  # page footer
    assert margin.count("赣市府办字〔2021〕15号") == 1, "the VML fallback copy is skipped"
    assert parsed.meta.doc_number == "赣市府办字〔2021〕15号"
    assert str(parsed.meta.published_date) == "2021-04-08"


def test_text_box_title_found():
    path = DOCX / "synthetic_margin_metadata.docx"
    parsed = parse_bulletin(path.read_bytes(), path.name)
    assert parsed.meta.title == "关于2021年第一季度政府网站信息报送情况的通报"


def test_heading_styles_set_heading_level():
    doc = _doc(SEED_004_DOCX)
    levels = {p.text: p.heading_level for p in doc.paragraphs}
    assert levels["一、基本情况"] == 3
    assert levels["二、主要问题"] == 2
    assert levels["联系人:陈建文"] == 0


# -- bad files ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,error,reason",
    [
        ("not_a_zip.docx", UnknownFormat, "corrupt"),
        ("zip_not_word.docx", UnknownFormat, "unknown_format"),
        ("corrupt_document_xml.docx", Corrupt, "corrupt"),
        ("password_protected.docx", Encrypted, "encrypted"),
        ("zip_bomb.docx", TooLarge, "too_large"),
        ("xml_bomb.docx", Corrupt, "corrupt"),
    ],
)
def test_bad_docx_is_rejected_with_reason(name: str, error: type, reason: str):
    data = (BAD / name).read_bytes()
    started = time.perf_counter()
    with pytest.raises(error) as caught:
        parse_bulletin(data, name)
    assert caught.value.reason == reason
    assert time.perf_counter() - started < 2.0
    assert name in str(caught.value)


def test_zip_bomb_is_small_on_disk_and_names_the_cap():
    data = (BAD / "zip_bomb.docx").read_bytes()
    assert len(data) < 100_000
    with pytest.raises(TooLarge, match="max_docx_uncompressed_bytes"):
        check_package(data, "zip_bomb.docx", Limits())


def test_python_docx_parser_does_not_expand_entities():
    # The second line of defence: even without the DTD check, python-docx's
    # lxml parser (resolve_entities=False) leaves a billion-laughs bomb unexpanded.
    from docx.oxml.parser import parse_xml

    with zipfile.ZipFile(BAD / "xml_bomb.docx") as zf:
        bomb = zf.read("word/document.xml")
    assert b"<!ENTITY lol9" in bomb
    started = time.perf_counter()
    try:
        text = "".join(parse_xml(bomb).itertext())
    except XMLSyntaxError as exc:  # libxml2 may refuse it outright; that is safe too
        text = ""
        assert "amplification" in str(exc) or "entity" in str(exc).lower()
    assert time.perf_counter() - started < 1.0
    assert len(text) < 1000


def test_docx_over_cell_limit_is_too_large():
    with pytest.raises(TooLarge, match="max_cells_per_table"):
        read_docx(SEED_000_DOCX.read_bytes(), "seed000.docx", "x", Limits(max_cells_per_table=100))


# -- legacy Word ------------------------------------------------------------------------


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-writer")
def test_legacy_doc_converted_by_libreoffice_gives_seed_rows():
    data = SEED_000_DOC.read_bytes()
    before = bytes(data)
    parsed = parse_bulletin(data, SEED_000_DOC.name)
    assert parsed.document.format == "doc"
    assert any("converted" in n for n in parsed.document.notes)
    assert rows_of(SEED_000_DOC) == rows_of(SEED_000_TXT)
    assert data == before


def test_legacy_doc_without_libreoffice_says_how_to_install(monkeypatch):
    monkeypatch.setattr(legacy_word, "find_converter", lambda: None)
    with pytest.raises(ConversionUnavailable, match="apt-get install libreoffice-writer") as caught:
        parse_bulletin(SEED_000_DOC.read_bytes(), SEED_000_DOC.name)
    assert caught.value.reason == "converter_missing"


@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-writer")
def test_legacy_doc_conversion_timeout():
    with pytest.raises(ParseTimeout) as caught:
        parse_bulletin(SEED_000_DOC.read_bytes(), SEED_000_DOC.name, Limits(conversion_timeout_s=0.05))
    assert caught.value.reason == "timeout"


def test_encrypted_package_refused_before_conversion(monkeypatch):
    monkeypatch.setattr(legacy_word, "find_converter", lambda: pytest.fail("must not convert"))
    with pytest.raises(Encrypted):
        legacy_word.read_legacy_word((BAD / "password_protected.docx").read_bytes(), "p.docx", "x", Limits())


def test_damaged_ole_file_is_corrupt():
    data = legacy_word.OLE_MAGIC + b"\x00" * 100
    with pytest.raises(Corrupt):
        legacy_word.read_legacy_word(data, "damaged.doc", "x", Limits())


def test_docx_reader_checks_the_shared_deadline():
    with deadline(0.0, "slow.docx"), pytest.raises(ParseTimeout, match="slow.docx took longer than the parse_timeout_s"):
        read_docx(SEED_000_DOCX.read_bytes(), "slow.docx", "x")
    assert read_docx(SEED_000_DOCX.read_bytes(), "fine.docx", "x").tables  # no deadline set: no check fires
