"""Text copied off mirror sites: traditional script, pinyin glosses, mojibake, spam.

Fixtures: fixtures/mirror/synthetic_mirror_*.{txt,docx} (scripts/make_mirror_fixtures.py).
"""

from __future__ import annotations

from parsers.bulletin import parse_bulletin, read_document
from parsers.decode import MIN_PLAUSIBLE_SHARE, _plausible_share, decode_text
from parsers.script import PrintedForms, is_traditional, strip_glosses, to_simplified
from parsers.textnorm import clean_name
from tests.support import FIXTURES
from warehouse.rows import prepare

MIRROR = FIXTURES / "mirror"
TRADITIONAL = MIRROR / "synthetic_mirror_traditional.txt"


def _prepared(path):
    return prepare(parse_bulletin(path.read_bytes(), str(path)), str(path))


def _units(prepared):
    return sorted({(r["unit_raw"], r["unit_name"], r["unit_function"]) for r in prepared.unit_metrics})


def test_traditional_units_keep_their_printed_name_and_are_interpreted_in_simplified():
    prepared = _prepared(TRADITIONAL)
    assert _units(prepared) == [
        ("縣公安局", "公安局", "public_security"),
        ("縣衛生健康局", "卫生健康委员会", "health"),
        ("縣財政局", "财政局", "finance"),
    ]
    assert {r["header_raw"] for r in prepared.unit_metrics} == {"報送數", "採用數"}
    assert {r["metric"] for r in prepared.unit_metrics} == {"submitted", "adopted"}
    police = {r["metric"]: r["value"] for r in prepared.unit_metrics if r["unit_raw"] == "縣公安局"}
    assert police == {"submitted": 12.0, "adopted": 8.0}


def test_traditional_bulletin_metadata_is_printed_but_its_city_is_simplified():
    b = _prepared(TRADITIONAL).bulletin
    assert b["title"] == "鳳縣人民政府辦公室關於2022年第三季度全縣政府網站與政務新媒體檢查情況的通報"
    assert b["issuer"] == "鳳縣人民政府辦公室"
    assert b["city"] == "凤县"
    assert str(b["published_date"]) == "2022-10-14" and b["published_date_source"] == "page_header"
    assert (b["period_year"], b["period_quarter"]) == (2022, 3)


def test_the_same_traditional_bulletin_as_docx_gives_the_same_rows():
    def content(prepared):
        keep = ("city", "period_year", "period_quarter", "unit_raw", "unit_name", "unit_function", "metric", "value", "header_raw")
        return sorted(tuple(r[k] for k in keep) for r in prepared.unit_metrics)

    text, word = _prepared(TRADITIONAL), _prepared(MIRROR / "synthetic_mirror_traditional.docx")
    assert word.bulletin["format"] == "docx"
    assert content(word) == content(text) and len(content(text)) == 6
    for key in ("city", "issuer", "title", "published_date", "period_year", "period_quarter"):
        assert word.bulletin[key] == text.bulletin[key], key


def test_spam_lines_and_mojibake_list_markers_do_not_lose_the_bulletin():
    doc = read_document(TRADITIONAL.read_bytes(), str(TRADITIONAL))
    texts = [p.text for p in doc.paragraphs]
    assert not any(t.lstrip().startswith("?") for t in texts)  # the `?。` marker is gone…
    assert any("站方面。第三季度,各单位共报送信息28条" in t for t in texts)  # …and its sentence kept
    prepared = _prepared(TRADITIONAL)
    stats = {(s["statistic"], s["value"], s["sentence"]) for s in prepared.bulletin_statistics}
    # The sentence is kept as printed (traditional), from the paragraph the marker opened.
    assert ("info_submitted_total", 28.0, "第三季度,各單位共報送信息28條,縣公安局、縣財政局報送及時。") in stats
    assert "百家乐" not in (prepared.bulletin["title"] or "")


def test_pinyin_glosses_are_removed_and_a_traditional_city_name_is_converted():
    b = _prepared(MIRROR / "synthetic_mirror_glossed_number.txt").bulletin
    assert b["doc_number"] == "寶政辦發〔2021〕12號"
    assert b["issuer"] == "寶雞市人民政府辦公室"
    assert b["city"] == "宝鸡市"


def test_strip_glosses_takes_only_toned_pinyin_in_parentheses():
    assert strip_glosses("各縣(xiàn)區(qū)發(fā)文號(hào)") == "各縣區發文號"
    assert strip_glosses("附件(一) 表(a) 单位(盖章)") == "附件(一) 表(a) 单位(盖章)"


def test_a_valid_utf8_file_is_never_rejected_for_its_character_mix():
    data = (MIRROR / "synthetic_mirror_low_plausible.txt").read_bytes()
    text = data.decode("utf-8")
    assert _plausible_share(text) < MIN_PLAUSIBLE_SHARE  # the old test would have refused it
    assert decode_text(data, "x.txt") == (text, "utf-8")
    b = _prepared(MIRROR / "synthetic_mirror_low_plausible.txt").bulletin
    assert b["city"] == "凤县" and (b["period_year"], b["period_quarter"]) == (2022, 4)


def test_simplified_text_is_not_converted():
    assert not is_traditional(["景德镇市人民政府办公室关于著名景区网站的通报", "市公安局"])
    assert is_traditional(["鳳縣人民政府辦公室關於網站檢查情況的通報"])
    doc = read_document((FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt").read_bytes(), "seed004.txt")
    assert not doc.printed  # nothing converted, so every printed form is the text itself


def test_printed_forms_map_a_part_of_a_converted_line_back():
    forms = PrintedForms()
    printed = "如縣水務局、 縣人力資源和社會保障局"
    forms.add(to_simplified(printed), printed)
    assert to_simplified(printed) == "如县水务局、 县人力资源和社会保障局"
    assert forms.printed("县人力资源和社会保障局") == "縣人力資源和社會保障局"
    assert forms.printed("水务局、县人力", clean_name) == "水務局、縣人力"
    assert forms.printed("不在其中") == "不在其中"


def test_reidentifying_loaded_traditional_rows_from_their_printed_names_keeps_them(tmp_path):
    from warehouse.connection import connect
    from warehouse.load import load_bulletin
    from warehouse.unit_identities import reapply_units

    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, _prepared(TRADITIONAL))
    before = con.execute("SELECT unit_raw, unit_name, unit_function FROM unit_metrics ORDER BY ALL").fetchall()
    reapply_units(con)
    after = con.execute("SELECT unit_raw, unit_name, unit_function FROM unit_metrics ORDER BY ALL").fetchall()
    assert after == before
    assert ("縣財政局", "财政局", "finance") in after
    con.close()


def test_table_cells_keep_the_printed_script_and_reinterpreting_them_keeps_the_metrics(tmp_path):
    from warehouse.connection import connect
    from warehouse.load import load_bulletin
    from warehouse.vocabulary import reapply_vocabulary

    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, _prepared(TRADITIONAL))
    cells = {r[0] for r in con.execute("SELECT text FROM table_cells").fetchall()}
    assert {"縣衛生健康局", "報送數", "採用數"} <= cells
    before = con.execute("SELECT unit_raw, metric, value FROM unit_metrics ORDER BY ALL").fetchall()
    reapply_vocabulary(con)
    assert con.execute("SELECT unit_raw, metric, value FROM unit_metrics ORDER BY ALL").fetchall() == before
    assert {r[0] for r in before} == {"縣公安局", "縣財政局", "縣衛生健康局"} and {r[1] for r in before} == {"submitted", "adopted"}
    con.close()
