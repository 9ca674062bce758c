"""Web pages (HTML) read into the same document model as the other formats.

Expected values are written by hand from the fixtures
(scripts/make_html_fixtures.py) and the seed text they transcribe.
"""

from __future__ import annotations

import pytest

from parsers.bulletin import parse_bulletin, read_document
from parsers.detect import detect_format
from parsers.errors import NoFacts, UndecodableText
from parsers.html_reader import decode_html
from parsers.model import Paragraph
from tests.support import FIXTURES, rows_of
from warehouse.rows import prepare

HTML = FIXTURES / "html"
SEED_000 = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"
SEED_004 = FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"
PAGE_000 = HTML / "seed000_a18ab1c51e121e01.html"
PAGE_004_GBK = HTML / "seed004_ecd57e6128c53c86_gbk.html"
ROWSPAN = HTML / "synthetic_rowspan_colspan.html"

LINEAGE = {"bulletin_id", "source_line", "source_page"}


def _content(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, str(v)) for k, v in r.items() if k not in LINEAGE)) for r in rows)


def _prepared(path):
    return prepare(parse_bulletin(path.read_bytes(), str(path)), str(path))


@pytest.mark.parametrize("page,seed", [(PAGE_000, SEED_000), (PAGE_004_GBK, SEED_004)], ids=["utf8", "gbk"])
def test_a_page_gives_the_same_rows_as_its_text_copy(page, seed):
    assert rows_of(page) == rows_of(seed)
    html, text = _prepared(page), _prepared(seed)
    assert _content(html.bulletin_statistics) == _content(text.bulletin_statistics)
    assert _content(html.unit_findings) == _content(text.unit_findings)
    assert len(html.unit_metrics) == {PAGE_000: 220, PAGE_004_GBK: 147}[page]


def test_the_gbk_page_really_is_gbk_and_declares_it_in_a_meta_tag():
    data = PAGE_004_GBK.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b"charset=gb2312" in data[:1000]
    assert decode_html(data, "p")[1] == "gb18030"


def test_the_http_header_charset_is_believed_when_the_bytes_decode_in_it():
    page = "<html><head><title>通报</title></head><body><p>景德镇市通报</p></body></html>"
    text, encoding = decode_html(page.encode("gbk"), "p", declared="GBK")
    assert encoding == "gb18030" and "景德镇市通报" in text
    # A header that lies (says UTF-8, bytes are GBK) is not believed.
    assert decode_html(page.encode("gbk"), "p", declared="utf-8")[1] == "gb18030"
    with pytest.raises(UndecodableText):
        decode_html(bytes(range(128, 256)) * 20, "p", declared="utf-8")


def test_pages_are_detected_by_their_tags_not_their_name():
    assert detect_format(PAGE_000.read_bytes(), "x.txt") == "html"
    assert detect_format(PAGE_004_GBK.read_bytes(), "x") == "html"
    assert detect_format(SEED_000.read_bytes(), "x.html") == "text"


def test_site_furniture_is_left_out_of_the_body():
    doc = read_document(PAGE_000.read_bytes(), str(PAGE_000))
    body = "\n".join(p.text for p in doc.paragraphs)
    for furniture in ("当前位置", "政务公开 >", "分享到", "打印本页", "关闭窗口", "上一篇", "下一篇", "网站标识码",
                      "备案号", "办事服务", "互动交流", "索引号", "发布时间", "字体", "主办"):
        assert furniture not in body, furniture
    assert len(doc.tables) == 1  # the info-disclosure table is not a body table
    first = doc.blocks[0]
    assert isinstance(first, Paragraph) and first.heading_level == 1
    assert first.text == "关于2020年第三季度市政府网站信息采用情况排名的通报"
    assert doc.paragraphs[1].text == "各县(市)区人民政府,开发区管委会,市政府各委办局、各直属机构:"
    assert doc.paragraphs[-1].text.startswith("北大湖体育旅游经济开发区、中新吉林食品区")


def test_the_info_block_and_meta_tags_reach_the_metadata_reader():
    doc = read_document(PAGE_004_GBK.read_bytes(), str(PAGE_004_GBK))
    assert doc.page_info["index_number"] == "K12345678/2021-00002"
    assert doc.page_info["issuer"] == "景德镇市人民政府办公室"
    assert doc.page_info["doc_number"] == "景府办明〔2021〕2号"
    assert doc.page_info["written_date"] == "2021-01-25"
    assert doc.page_info["meta:ColumnName"] == "通知公告"
    assert doc.page_info["meta:PubDate"] == "2021-01-25 09:30"


def test_page_info_fills_what_the_article_text_leaves_unsaid():
    page = """<html><head><meta charset="utf-8"><title>通报</title>
    <meta name="ArticleTitle" content="关于2021年第一季度政府网站检查情况的通报"></head><body>
    <table class="xxgk"><tr><td>发布机构：</td><td>赣州市人民政府办公室</td><td>文号：</td><td>赣市府办字〔2021〕9号</td></tr>
    <tr><td>成文日期：</td><td>2021年4月2日</td><td>发布日期：</td><td>2021-04-06</td></tr></table>
    <div class="content"><p>各县(市、区)人民政府：</p><p>第一季度全市共报送信息120条，采用90条。</p></div>
    </body></html>""".encode("utf-8")
    parsed = parse_bulletin(page, "page.html")
    meta = parsed.meta
    assert meta.issuer == "赣州市人民政府办公室"
    assert meta.city == "赣州市"
    assert meta.doc_number == "赣市府办字〔2021〕9号"
    assert str(meta.published_date) == "2021-04-02"
    assert meta.title == "关于2021年第一季度政府网站检查情况的通报"
    assert (meta.period.year, meta.period.quarter) == (2021, 1)


def test_rowspan_and_colspan_groups_are_expanded_like_docx_merges():
    doc = read_document(ROWSPAN.read_bytes(), str(ROWSPAN))
    [table] = doc.tables
    cells = [r.cells for r in table.header_rows + table.body_rows]
    assert cells[0] == ["序号", "类别", "单位", "本季度", "", "得分"]
    assert cells[1] == ["序号", "类别", "单位", "报送", "采用", "得分"]  # rowspan repeats down
    assert cells[2] == ["1", "县(市、区)", "章贡区", "120", "96", "95.5"]
    assert cells[4] == ["3", "县(市、区)", "赣县区", "64", "51", "86.5"]  # group cell spans three rows
    assert cells[5] == ["4", "市直部门", "市公安局", "45", "40", "92"]
    assert cells[7] == ["合计", "", "", "355", "287", ""]  # colspan: text once, then empty strings
    parsed = parse_bulletin(ROWSPAN.read_bytes(), str(ROWSPAN))
    facts = {(m.unit_group, m.unit_raw, m.metric): m.value for m in parsed.metrics}
    assert len(facts) == 15
    assert facts[("县(市、区)", "赣县区", "submitted")] == 64
    assert facts[("县(市、区)", "南康区", "adopted")] == 70
    assert facts[("市直部门", "市教育局", "score")] == 88
    assert {(t.metric, t.value) for t in parsed.tables[0].totals} == {("submitted", 355), ("adopted", 287)}
    assert (parsed.meta.city, parsed.meta.period.year, parsed.meta.period.quarter) == ("赣州市", 2021, 2)


def test_annex_links_are_listed_as_printed():
    page = FIXTURES / "site" / "zwgk" / "wzjg" / "t20210410_1.html"
    doc = read_document(page.read_bytes(), str(page))
    assert [(a.text, a.href) for a in doc.attachments] == [
        ("2021年第一季度政府网站信息报送情况排名表.pdf", "../../files/synthetic_q1_ranking.pdf")]


def test_a_page_with_its_table_in_an_annex_gets_advice_about_annexes_not_synonyms():
    page = FIXTURES / "site" / "zwgk" / "wzjg" / "t20210710_2.html"
    page_bytes = page.read_bytes().replace("予以通报(详见附件)".encode(), "予以通报".encode())
    with pytest.raises(NoFacts) as caught:
        parse_bulletin(page_bytes, "t20210710_2.html")
    assert "annex" in caught.value.message and "synonym" not in caught.value.message
    assert "prose patterns" not in caught.value.message


def test_a_nested_layout_table_is_read_as_flow_and_the_inner_table_kept():
    page = """<html><body><table width="100%"><tr><td>
      <div class="content"><p>吉林市政务服务和数字化建设管理局关于2020年第三季度信息报送情况的通报</p>
      <table><tr><td>排名</td><td>单位</td><td>报送</td></tr><tr><td>1</td><td>舒兰市</td><td>197</td></tr>
      <tr><td>2</td><td>磐石市</td><td>161</td></tr></table></div></td></tr></table></body></html>""".encode()
    doc = read_document(page, "layout.html")
    assert [r.cells for r in doc.tables[0].rows] == [["排名", "单位", "报送"], ["1", "舒兰市", "197"], ["2", "磐石市", "161"]]
    assert len(doc.tables) == 1


def test_an_iso_date_in_the_info_block_is_the_published_date_when_the_text_has_none():
    page = """<html><head><meta charset="utf-8"><title>关于2021年第一季度政府网站检查情况的通报</title></head><body>
    <ul class="xxgk"><li>发布机构：赣州市人民政府办公室</li><li>成文日期：2021-04-02</li></ul>
    <div class="content"><p>各县(市、区)人民政府：</p><p>第一季度全市共报送信息120条，采用90条。</p></div>
    </body></html>""".encode("utf-8")
    meta = parse_bulletin(page, "page.html").meta
    assert str(meta.published_date) == "2021-04-02"
    assert meta.issuer == "赣州市人民政府办公室"


def test_a_span_bomb_is_refused_not_expanded():
    from parsers.errors import TooLarge
    from parsers.limits import Limits

    row = "<tr>" + '<td colspan="1000">x</td>' * 300 + "</tr>"
    page = f"<html><body><p>吉林市通报</p><table>{row * 3}</table></body></html>".encode()
    with pytest.raises(TooLarge, match="max_cells_per_table"):
        read_document(page, "bomb.html", Limits(max_cells_per_table=200_000))


def test_deeply_nested_markup_is_a_rejection_not_a_crash():
    # libxml2 stops at its depth limit (256), so the text buried 50,000 levels
    # down is never reached: the page is rejected as holding no text.
    from ingest.parsing import parse_document
    from ingest.rawstore import StoredDocument
    from parsers.limits import Limits

    import tempfile, os
    page = ("<html><body>" + "<div>" * 50_000 + "吉林市" + "</div>" * 50_000 + "</body></html>").encode()
    with tempfile.NamedTemporaryFile(suffix=".html", delete=False) as handle:
        handle.write(page)
    try:
        outcome = parse_document(StoredDocument("deep.html", handle.name, "0" * 64, len(page)), Limits())
    finally:
        os.unlink(handle.name)
    assert (outcome.status, outcome.reason) == ("rejected", "empty")


def test_a_page_with_a_few_broken_bytes_is_read_and_says_so():
    data = PAGE_000.read_bytes()
    at = data.index("舒兰市".encode())
    broken = data[:at] + b"\xff" + data[at + 1:]  # the first byte of 舒 damaged
    with pytest.raises(UnicodeDecodeError):
        broken.decode("utf-8")
    text, encoding = decode_html(broken, "p")
    # 0xFF and the two orphaned continuation bytes of 舒 each become U+FFFD
    assert encoding == "utf-8 (3 broken byte sequence(s) replaced)"
    assert "兰市" in text and "\ufffd" in text
    doc = read_document(broken, "broken.html")
    assert any("replaced" in note for note in doc.notes)
