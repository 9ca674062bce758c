"""Findings, statistics and per-unit counts written the way real bulletins write them.

The fixtures (scripts/make_prose_fixtures.py) are invented bulletins of an
invented city in real shapes; every expected row below is read by hand from
the fixture's sentences.
"""

from __future__ import annotations

import pytest

from parsers.bulletin import parse_bulletin
from parsers.prose_findings import parse_subjects
from tests.support import FIXTURES
from warehouse.rows import prepare
from warehouse.connection import connect
from warehouse.load import load_bulletin
from warehouse.models import build_models

SPOT_CHECK = FIXTURES / "text" / "synthetic_prose_spot_check.txt"
RANKING = FIXTURES / "text" / "synthetic_prose_ranking.txt"


@pytest.fixture(scope="module")
def spot_check():
    return prepare(parse_bulletin(SPOT_CHECK.read_bytes(), str(SPOT_CHECK)), str(SPOT_CHECK))


@pytest.fixture(scope="module")
def ranking():
    return prepare(parse_bulletin(RANKING.read_bytes(), str(RANKING)), str(RANKING))


def _findings(prepared, *codes):
    return sorted(
        ((r["finding"], r["polarity"], r["unit_raw"], r["subject_kind"], r["subject_name"], r["platform"])
         for r in prepared.unit_findings
         if r["finding"] in codes),
        key=lambda row: tuple(v or "" for v in row),
    )


def _statistics(prepared):
    return sorted((r["statistic"], r["label"], round(r["value"], 4)) for r in prepared.bulletin_statistics)


def test_a_praise_list_gives_one_praise_row_per_unit(spot_check):
    # 总体上,市财政局、市商务局,南山区、北湖镇网站运行管理情况较好。
    assert _findings(spot_check, "praise_good_operation") == sorted(
        ("praise_good_operation", "praise", name, "unit", None, None) for name in ["市财政局", "市商务局", "南山区", "北湖镇"]
    )
    by_raw = {r["unit_raw"]: r for r in spot_check.unit_findings if r["finding"] == "praise_good_operation"}
    assert by_raw["市财政局"]["unit_function"] == "finance"
    assert by_raw["市财政局"]["label"] == "网站运行管理情况较好"


def test_a_criticism_list_keeps_each_kind(spot_check):
    # 市水利局、东岭乡存在栏目更新不及时问题。严重表述错误问题依然存在,如市审计局、西河街道。
    units = [
        (r["finding"], r["unit_raw"])
        for r in spot_check.unit_findings
        if r["subject_kind"] == "unit" and r["polarity"] == "criticism"
    ]
    assert sorted(units) == sorted(
        [("stale_updates", "市水利局"), ("stale_updates", "东岭乡"), ("content_errors", "市审计局"), ("content_errors", "西河街道")]
    )


def test_a_negated_finding_is_no_finding(spot_check):
    # 经检查,市政府门户网站未发现严重表述错误等单项否决问题。
    assert not [r for r in spot_check.unit_findings if r["finding"] == "check_failed"]
    assert not [r for r in spot_check.unit_findings if (r["subject_name"] or "").startswith("市政府门户网站")]


def test_accounts_under_units_give_one_row_per_account_with_its_unit(spot_check):
    assert _findings(spot_check, "unregistered_account") == [
        # 已注销的南山区“南山早知道”、“南山好物”微信公众号,未经申请备案私自重新上线
        ("unregistered_account", "criticism", "南山区", "account", "南山好物", "微信"),
        ("unregistered_account", "criticism", "南山区", "account", "南山早知道", "微信"),
    ]
    accounts = {
        (r["unit_raw"], r["subject_name"], r["platform"])
        for r in spot_check.unit_findings
        if r["finding"] == "stale_updates" and r["subject_kind"] == "account"
    }
    assert accounts == set(
        [
            ("东岭乡", "东岭发布", "微信"),  # 东岭乡微信公众号“东岭发布、东岭党建”
            ("东岭乡", "东岭党建", "微信"),
            (None, "青川教育", "微信"),  # 青川教育(微信): no unit printed or spelt
            ("青川市民政局", "青川市民政局官博", "微博"),  # the account's name gives its unit
            # 个别政务新媒体存在长期内容不更新问题。如微信公众号“青川早读、青川夜话”。
            (None, "青川早读", "微信"),
            (None, "青川夜话", "微信"),
        ]
    )
    owner = next(r for r in spot_check.unit_findings if r["subject_name"] == "青川市民政局官博")
    assert (owner["unit_name"], owner["unit_function"]) == ("民政局", "civil_affairs")
    orphan = next(r for r in spot_check.unit_findings if r["subject_name"] == "青川教育")
    assert (orphan["unit_name"], orphan["unit_function"]) == (None, None)


def test_a_failure_rate_and_a_recheck_rate_are_not_the_pass_rate(spot_check):
    # 抽查发现12家政务新媒体不合格,不合格率13.6%,问题整改复查合格率100%。
    assert _statistics(spot_check) == [
        ("new_media_accounts", None, 88.0),  # 政务新媒体88个
        ("other", "不合格率", 0.136),
        ("other", "政务新媒体不合格", 12.0),
        ("other", "整改复查合格率", 1.0),
        ("spot_check_rate", None, 1.0),  # 检查比例100%
        ("websites_registered", None, 31.0),  # 全市政府网站31个
    ]


def test_the_threshold_of_a_requirement_is_not_a_figure(spot_check):
    # 政务新媒体更新间隔不得超过14天。
    assert 14.0 not in [r["value"] for r in spot_check.bulletin_statistics]


def test_per_unit_counts_in_a_sentence_are_unit_metrics_with_prose_evidence(ranking):
    # 其中,报送信息较多的单位是:市教育局52条、市公安局40条、北湖镇33条。
    prose = sorted(
        (r["unit_raw"], r["metric"], r["value"], r["evidence"], r["table_index"])
        for r in ranking.unit_metrics
        if r["evidence"] == "prose"
    )
    assert prose == [
        ("北湖镇", "submitted", 33.0, "prose", None),
        ("市公安局", "submitted", 40.0, "prose", None),
        ("市教育局", "submitted", 52.0, "prose", None),
    ]
    assert all("市教育局52条" in r["sentence"] for r in ranking.unit_metrics if r["evidence"] == "prose")
    # a unit's figure is not a bulletin statistic
    assert 52.0 not in [r["value"] for r in ranking.bulletin_statistics]


def test_each_zero_report_wording_names_its_units(ranking):
    zero = sorted((r["unit_raw"], r["label"]) for r in ranking.unit_findings if r["finding"] == "zero_report")
    assert zero == sorted(
        [
            ("市统计局", "信息报送量为零"),  # 市统计局信息报送量为零
            ("龙溪镇", "未发布和公开一条信息"),  # 龙溪镇、石门镇未发布和公开一条信息
            ("石门镇", "未发布和公开一条信息"),
            ("市医保局", "零报送(予以通报)"),  # “零报送、零采用”的问题。/ 现对市医保局、市档案馆等2个部门单位予以通报
            ("市档案馆", "零报送(予以通报)"),
            ("东城街道", "零报送"),  # 附件:…零报送单位名单 / 东城街道、西城街道
            ("西城街道", "零报送"),
        ]
    )


def test_praise_and_the_unit_a_clause_opens_with(ranking):
    assert _findings(ranking, "praise_timely_reporting") == [
        ("praise_timely_reporting", "praise", "南山区", "unit", None, None),  # 市司法局、南山区信息报送及时
        ("praise_timely_reporting", "praise", "市司法局", "unit", None, None),
    ]
    # 市民政局虽上报2条信息,但因内容质量不高未被采纳。
    assert [(r["unit_raw"], r["label"], r["polarity"]) for r in ranking.unit_findings if r["finding"] == "other"] == [
        ("市民政局", "信息未被采纳", "criticism")
    ]


def test_ranking_statistics_and_the_stated_count(ranking):
    assert _statistics(ranking) == [
        ("info_adopted_total", None, 640.0),  # 采用640条
        ("info_submitted_total", None, 1200.0),  # 共报送信息1200条
        ("other", "市民政局虽上报", 2.0),  # 上报2条信息
        ("zero_report_units", None, 2.0),  # 等2个部门单位予以通报
    ]
    counted = next(r for r in ranking.unit_findings if r["unit_raw"] == "市医保局")
    assert counted["period_year"] == 2024 and counted["period_quarter"] == 2


def test_findings_and_statistics_carry_the_line_their_sentence_starts_on(ranking, spot_check):
    lines = RANKING.read_text(encoding="utf-8").splitlines()
    for row in ranking.unit_findings + ranking.bulletin_statistics:
        assert row["source_line"] is not None
        assert row["sentence"][:6] in lines[row["source_line"] - 1].replace(" ", "")
    assert {r["source_line"] for r in spot_check.unit_findings if r["finding"] == "praise_good_operation"} == {9}


def test_reconciliation_checks_a_stated_count_against_the_units_its_sentence_names(tmp_path, ranking):
    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, ranking)
    build_models(con)
    rows = con.execute(
        "SELECT expected, found, agrees, location FROM reconciliation WHERE check_name = 'stated_count:zero_report'"
    ).fetchall()
    con.close()
    assert rows == [(2.0, 2.0, True, "prose line 10")]


@pytest.mark.parametrize(
    "item, kind, unit, name, platform",
    [
        ("“茂名应急”微信订阅号", "account", None, "茂名应急", "微信"),
        ("连云港民政(微信)", "account", None, "连云港民政", "微信"),
        ("某某县医保局官博", "account", "某某县医保局", "某某县医保局官博", "微博"),
        ("国企监管栏目(财政局)", "website", "财政局", "国企监管栏目", "网站"),
        ("市林业局网站首页", "website", "市林业局", "市林业局网站首页", "网站"),
        ("仍有县公安局", "unit", "县公安局", None, None),
        ("部分单位", None, None, None, None),
        ("全市", None, None, None, None),
    ],
)
def test_a_list_item_reads_as_unit_account_or_site(item, kind, unit, name, platform):
    subjects = parse_subjects(item)
    if kind is None:
        assert subjects == []
    else:
        assert [(s.kind, s.unit_raw, s.name, s.platform) for s in subjects] == [(kind, unit, name, platform)]


def test_a_docx_sentence_is_located_by_its_paragraph(tmp_path):
    # DOCX has no lines: the reconciliation points at the paragraph instead of `prose line ?`.
    path = FIXTURES / "docx" / "seed004_ecd57e6128c53c86.docx"
    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, prepare(parse_bulletin(path.read_bytes(), str(path)), str(path)))
    build_models(con)
    locations = [r[0] for r in con.execute("SELECT location FROM reconciliation WHERE location LIKE 'prose%'").fetchall()]
    con.close()
    assert locations and all(loc.startswith("prose paragraph ") for loc in locations)


def test_every_phrase_line_reads_whole():
    # A comma outside quotes in a pattern would silently split it into the next columns.
    from parsers.prose_findings import code_polarities, finding_phrases
    from parsers.vocab import read_data_csv

    for name in ("finding_phrases.csv", "prose_patterns.csv", "subject_words.csv", "finding_codes.csv"):
        for row in read_data_csv("parsers", name):
            assert None not in row, (name, row)  # more fields than the header names
    assert len(finding_phrases()) == len(read_data_csv("parsers", "finding_phrases.csv"))
    assert set(code_polarities().values()) <= {"praise", "criticism", "neutral"}


@pytest.mark.parametrize(
    "key, expected",
    [
        ("经监测,全市40家网站运行良好。", [("网站", 40.0)]),  # a scope before, the noun after
        # (alone, without the coded patterns that would read 402 as new_media_accounts)
        ("全市政务新媒体402个,包括334个微信公众号、42个新浪微博。",
         [("全市政务新媒体", 402.0), ("微信公众号", 334.0), ("新浪微博", 42.0)]),
        ("住房保障43件(30.2%);物业服务17件(12.3%)。", [("住房保障", 43.0), ("住房保障占比", 0.302), ("物业服务", 17.0), ("物业服务占比", 0.123)]),
        ("《关于2022年度的通知》(闽政办函〔2022〕42号)要求更新间隔不得超过14天。", []),  # titles, numbers, thresholds
    ],
)
def test_other_figures_carry_the_phrase_they_belong_to(key, expected):
    from parsers.model import Origin
    from parsers.prose_facts import Sentence
    from parsers.prose_figures import stated_figures

    facts = stated_figures(Sentence(key, key, Origin(line=1)), [], None)
    assert [(f.label, round(f.value, 4)) for f in facts] == expected
    assert all(f.statistic == "other" for f in facts)


COLON_LISTS = """某市人民政府办公室关于2024年第三季度政府网站检查情况的通报

各县(市、区)人民政府:

以下单位本季度信息报送为零:市侨办、市档案局。
某某区、某某县信息报送数量较少。
市文旅局“文旅某某”抖音号存在长期未更新问题。
排名前三的单位是:市公安局、市财政局、南山区。
对得分排名后两位的单位进行通报:北湖镇、东岭乡。

某市人民政府办公室
2024年10月8日
"""


def test_lists_after_a_colon_and_accounts_on_other_platforms():
    parsed = parse_bulletin(COLON_LISTS.encode(), "synthetic_colon_lists.txt")
    rows = prepare(parsed, "synthetic_colon_lists.txt").unit_findings
    assert sorted((r["finding"], r["unit_raw"], r["subject_name"], r["platform"]) for r in rows) == [
        ("low_submission", "某某区", None, None),
        ("low_submission", "某某县", None, None),
        ("other", "东岭乡", None, None),  # 排名后两位 … 进行通报:
        ("other", "北湖镇", None, None),
        ("praise", "南山区", None, None),  # 排名前三的单位是:
        ("praise", "市公安局", None, None),
        ("praise", "市财政局", None, None),
        ("stale_updates", "市文旅局", "文旅某某", "抖音"),
        ("zero_report", "市侨办", None, None),
        ("zero_report", "市档案局", None, None),
    ]
