"""Metadata from real page shapes: headers, info blocks, signatures, own numbers, titles.

Fixtures: fixtures/mirror/synthetic_{page_header,info_block,own_number,...}.txt
(scripts/make_mirror_fixtures.py).
"""

from __future__ import annotations

from datetime import date

from parsers.bulletin import parse_bulletin
from parsers.page_meta import fields_of, is_furniture
from tests.support import FIXTURES
from warehouse.rows import prepare

MIRROR = FIXTURES / "mirror"


def _bulletin(name):
    path = MIRROR / name
    return prepare(parse_bulletin(path.read_bytes(), str(path)), str(path)).bulletin


def test_page_header_date_wins_over_the_signature_and_a_split_title_is_joined():
    b = _bulletin("synthetic_page_header.txt")
    assert b["title"] == "关于2023年第二季度政府网站检查情况的通报"  # breadcrumb and nav bar skipped
    assert b["published_date"] == date(2023, 7, 12) and b["published_date_source"] == "page_header"
    assert b["issuer"] == "平利县人民政府办公室"  # from 来源:
    assert b["doc_number"] is None  # (国办秘函〔2019〕19号) is a citation
    assert b["city"] == "平利县"


def test_info_block_gives_number_and_date_and_the_title_gives_the_issuer():
    b = _bulletin("synthetic_info_block.txt")
    assert b["doc_number"] == "旬政办函〔2022〕8号"  # 文号 field
    assert b["published_date"] == date(2022, 10, 20) and b["published_date_source"] == "info_block"
    assert b["issuer"] == "旬阳市人民政府办公室"  # 发布机构 is the website (旬阳市政府网), not a body
    assert b["title"] == "旬阳市人民政府办公室关于2022年第三季度政府网站检查情况的通报"


def test_own_number_before_the_title_is_read_with_hao_in_traditional_form():
    b = _bulletin("synthetic_own_number.txt")
    assert b["doc_number"] == "石政办公开〔2023〕5號"  # not the cited 陕政办函〔2020〕3号
    assert b["title"] == "石泉县政府办公室关于2023年7月政府网站检查情况的通报"
    # The title's 石泉县政府办公室 and 来源's 石泉县人民政府办公室 are one body: the fuller name.
    assert b["issuer"] == "石泉县人民政府办公室"
    assert b["published_date"] == date(2023, 8, 15)


def test_signature_date_and_issuer_when_the_page_has_no_header():
    b = _bulletin("synthetic_issuer_county.txt")
    assert b["published_date"] == date(2022, 7, 6) and b["published_date_source"] == "signature"
    assert b["issuer"] == "宁陕县人民政府办公室"


def test_an_annex_caption_is_not_the_title():
    b = _bulletin("synthetic_mirror_glossed_number.txt")
    assert b["title"] is None  # 附件:一季度政务信息採用情況表 names the table an annex


def test_page_furniture_is_never_a_title():
    for line in (
        "当前位置:首页 > 政务公开 > 通知公告",
        "您当前的位置: 首页 > 政务 > 结果公开",
        "首页/ 政府信息公开 / 网站管理 / 正文",
        "首  页 走进平利 新闻中心 政务公开 政务服务 互动交流",
        "【字号:大 中 小】 分享到:",
        "扫一扫在手机上查看当前页面",
        "发布时间:2023-07-12 来源:本网",
    ):
        assert is_furniture(line), line
    assert not is_furniture("关于2023年第二季度政府网站检查情况的通报")


def test_labelled_fields_of_header_and_info_block_lines():
    assert [(f.label, f.value) for f in fields_of("日期:2023-10-18 10:04 来源:某县融媒体中心")] == [
        ("日期", "2023-10-18 10:04"),
        ("来源", "某县融媒体中心"),
    ]
    block = fields_of(" 索 引 号  1778711277/bgs/2022-00330  公开方式  主动公开  公开日期  2022-05-26")
    assert [(f.role, f.value) for f in block] == [
        ("info", "1778711277/bgs/2022-00330"),
        ("info", "主动公开"),
        ("info_date", "2022-05-26"),
    ]
    assert fields_of("根据统计时间段内的数据") == []


def test_a_header_line_in_the_margin_text_of_a_short_document_is_read_safely():
    from parsers.metadata import read_metadata
    from parsers.model import Document, Origin, Paragraph

    doc = Document("m.docx", "docx", "0" * 64, blocks=[Paragraph("关于2021年第一季度网站检查情况的通报", Origin(block=1))],
                   margin_text=[Paragraph("某县政务公开办"), Paragraph("日期:2021-04-02")])
    meta = read_metadata(doc)
    assert meta.title == "关于2021年第一季度网站检查情况的通报"
    assert meta.published_date == date(2021, 4, 2) and meta.published_date_source == "page_header"
