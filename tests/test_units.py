"""Unit-name normalisation: the named hard cases, places checked against the
bulletin's city, a held-out list of printed forms, the analyst's alias file
and re-applying it to a loaded warehouse without re-parsing."""

from __future__ import annotations

import time

import pytest

from parsers.bulletin import parse_bulletin
from parsers.textnorm import clean_name
from tests.expected_files import read_expected
from tests.support import FIXTURES
from warehouse.rows import prepare
from warehouse.unit_identities import reapply_units
from units import (
    UNIT_KINDS,
    Alias,
    AliasFileError,
    AliasTable,
    catalog,
    default_aliases_path,
    divisions,
    normalise_unit,
)
from warehouse.connection import connect
from warehouse.load import load_bulletin
from warehouse.models import build_models

SEEDS = [FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt", FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"]

CONTRACT_CODES = """general_office development_reform education science_technology industry_it ethnic_religious
public_security civil_affairs justice finance human_resources natural_resources ecology_environment
housing_construction transport water_resources agriculture commerce culture_tourism health veterans emergency
audit foreign_affairs sasac market_regulation sports statistics medical_security urban_management forestry
government_services financial_affairs offices_administration civil_air_defense rural_revitalization
cooperation_exchange housing_provident_fund disabled_persons_federation local_chronicles supply_marketing
meteorology social_insurance taxation fire_rescue hydrology tobacco survey_office central_bank_branch highway
high_tech_zone economic_dev_zone""".split()


# ---------------------------------------------------------------- catalog


def test_catalog_has_every_contract_code_with_a_valid_kind():
    departments, forms = catalog()
    assert set(CONTRACT_CODES) <= set(departments)
    assert all(d.kind in UNIT_KINDS for d in departments.values())
    assert len(forms) > 300  # canonical names, abbreviations and former names


def test_the_division_dataset_knows_both_seed_cities():
    d = divisions()
    jilin, jingdezhen = d.city_prefix["吉林市"], d.city_prefix["景德镇市"]
    assert {"舒兰市", "磐石市", "桦甸市", "蛟河市", "永吉县", "昌邑区", "船营区", "丰满区", "龙潭区"} <= d.exact[jilin]
    assert {"昌江区", "珠山区", "浮梁县", "乐平市"} <= d.exact[jingdezhen]


# ---------------------------------------------------------------- named hard cases

HARD_CASES = [
    # raw, city, group, unit_name, unit_function, unit_kind
    ("市民委(市宗教局)", "吉林市", "市政府工作部门", "民族宗教事务委员会", "ethnic_religious", "department"),
    ("市司法局(依法治市办)", "吉林市", "市政府工作部门", "司法局", "justice", "department"),
    ("市农业农村局(农办)", "吉林市", "市政府工作部门", "农业农村局", "agriculture", "department"),
    ("市委史志办", "景德镇市", None, "地方志办公室", "local_chronicles", "other"),
    ("人行景市中心支行", "景德镇市", None, "中国人民银行中心支行", "central_bank_branch", "other"),
    ("市国调队", "景德镇市", None, "国家统计局调查队", "survey_office", "other"),
    ("舒兰市", "吉林市", "县(市)政府", "舒兰市", None, "county"),
    ("舒兰市", "吉林市", None, "舒兰市", None, "county"),
    ("昌邑区", "吉林市", "区政府", "昌邑区", None, "district"),
    ("昌邑区", "吉林市", None, "昌邑区", None, "district"),
    ("高新区", "景德镇市", None, "高新技术产业开发区", "high_tech_zone", "dev_zone"),
    ("吉林经济技术开发区", "吉林市", "开发区管委会", "经济技术开发区", "economic_dev_zone", "dev_zone"),
    ("市卫生健康委", "吉林市", None, "卫生健康委员会", "health", "department"),
    ("市卫健委", "吉林市", None, "卫生健康委员会", "health", "department"),
    ("吉林市卫生健康委员会", "吉林市", None, "卫生健康委员会", "health", "department"),
    ("市卫生健康委员会", "吉林市", None, "卫生健康委员会", "health", "department"),
    ("市扶贫办", "吉林市", None, "乡村振兴局", "rural_revitalization", "department"),
    ("市瓷局", "景德镇市", None, "市瓷局", None, "department"),
    ("昌南新区", "景德镇市", None, "昌南新区", None, "dev_zone"),
    ("市民航局", "景德镇市", None, "市民航局", None, "department"),
]


@pytest.mark.parametrize("raw,city,group,name,function,kind", HARD_CASES)
def test_named_hard_cases(raw, city, group, name, function, kind):
    identity = normalise_unit(raw, city, group)
    assert (identity.unit_name, identity.unit_function, identity.unit_kind) == (name, function, kind), identity


def test_every_match_carries_its_evidence():
    assert normalise_unit("市卫健委", "吉林市").rule == "admin_prefix"
    assert normalise_unit("吉林市卫生健康委员会", "吉林市").rule == "city_prefix"
    assert normalise_unit("市民委(市宗教局)", "吉林市").rule == "parenthetical"
    assert normalise_unit("人行景市中心支行", "景德镇市").rule == "city_inside"
    assert normalise_unit("舒兰市", "吉林市").rule == "place"
    unmatched = normalise_unit("市民航局", "景德镇市")
    assert unmatched.rule == "unmatched" and unmatched.needs_review
    assert unmatched.candidates and unmatched.score == unmatched.candidates[0].score < 82


def test_a_fuzzy_match_records_its_score_and_candidates():
    identity = normalise_unit("市食品药品监管局", "南昌市")
    assert (identity.unit_function, identity.rule) == ("market_regulation", "fuzzy")
    assert identity.score is not None and identity.score >= 82
    assert identity.candidates[0].code == "market_regulation"


# ---------------------------------------------------------------- places


def test_a_place_of_another_city_is_not_accepted_as_this_citys_place():
    for group in ("区政府", None):
        identity = normalise_unit("昌江区", "吉林市", group)
        assert identity.rule == "place_other_city" and identity.unit_kind not in ("county", "district"), identity
        assert identity.needs_review
        assert identity.candidates[0].name == "景德镇市昌江区"
    assert normalise_unit("昌江区", "景德镇市").rule == "place"


def test_place_forms_resolve_to_one_name_per_city():
    assert normalise_unit("舒兰", "吉林市", "县(市)政府").unit_name == "舒兰市"
    assert normalise_unit("舒兰市人民政府", "吉林市").unit_name == "舒兰市"
    assert normalise_unit("吉林市昌邑区", "吉林市").unit_name == "昌邑区"
    assert normalise_unit("瀍河区", "洛阳市").unit_name == "瀍河回族区"
    renamed = normalise_unit("孟津县", "洛阳市")  # 孟津县 became 孟津区 in 2021
    assert (renamed.unit_name, renamed.unit_kind, renamed.rule) == ("孟津区", "district", "place_renamed")


def test_a_place_the_dataset_does_not_know_is_kept_under_a_county_group_for_review():
    identity = normalise_unit("某某县", "吉林市", "县(市)政府")
    assert (identity.unit_kind, identity.rule) == ("county", "place_unverified")


# ---------------------------------------------------------------- identity across quarters


@pytest.mark.parametrize(
    "city,spellings",
    [
        ("吉林市", ["市卫生健康委", "市卫健委", "吉林市卫生健康委员会", "市卫生健康委员会", "市卫计委"]),
        ("吉林市", ["市扶贫办", "市乡村振兴局", "吉林市扶贫开发办公室"]),
        ("景德镇市", ["市瓷局", "景德镇市瓷局", "景市瓷局"]),
        ("吉林市", ["舒兰市", "舒兰", "舒兰市人民政府"]),
        ("景德镇市", ["市委史志办", "中共景德镇市委史志办", "市地方志办"]),
    ],
)
def test_the_same_unit_spelled_differently_in_two_quarters_gets_one_name(city, spellings):
    names = {normalise_unit(s, city).unit_name for s in spellings}
    assert len(names) == 1, names


# ---------------------------------------------------------------- held-out printed forms


def _heldout_outcome(row):
    identity = normalise_unit(row["form"], row["city"])
    expected = row["expected"]
    if expected in ("county", "district"):
        good = identity.unit_kind == expected and identity.unit_function is None and identity.rule.startswith("place") \
            and identity.rule not in ("place_other_city", "place_unverified")
    elif expected == "dev_zone":
        good = identity.unit_kind == "dev_zone" and identity.unit_function is None
    elif expected == "none":
        good = identity.unit_function is None
    else:
        good = identity.unit_function == expected
    wrong_code = identity.unit_function is not None and identity.unit_function != expected
    return identity, good, wrong_code


def test_heldout_forms_are_not_catalog_forms():
    _, forms = catalog()
    rows = read_expected("unit_forms_heldout.csv")
    assert len(rows) >= 150
    assert [r["form"] for r in rows if clean_name(r["form"]) in forms] == []
    departments, _ = catalog()
    assert {r["expected"] for r in rows} <= set(departments) | {"county", "district", "dev_zone", "none"}


def test_heldout_forms_resolve_95_percent_and_rules_never_give_a_wrong_code(record_property, capsys):
    rows = read_expected("unit_forms_heldout.csv")
    outcomes = [(row, *_heldout_outcome(row)) for row in rows]
    correct = sum(good for _, _, good, _ in outcomes)
    rule_mistakes = [(r["form"], i) for r, i, _, wrong in outcomes if wrong and i.rule != "fuzzy"]
    fuzzy_mistakes = [(r["form"], r["expected"], i.unit_function, i.score) for r, i, good, _ in outcomes
                      if not good and i.rule == "fuzzy"]
    accuracy = correct / len(rows)
    record_property("heldout_accuracy", accuracy)
    record_property("heldout_fuzzy_mistakes", len(fuzzy_mistakes))
    with capsys.disabled():
        print(f"\nheld-out unit forms: {correct}/{len(rows)} correct ({accuracy:.1%}); "
              f"fuzzy mistakes: {len(fuzzy_mistakes)} {fuzzy_mistakes}")
    assert rule_mistakes == []
    assert accuracy >= 0.95


# ---------------------------------------------------------------- the alias file


def test_an_alias_wins_over_every_rule_and_a_city_alias_over_a_star_alias():
    table = AliasTable([
        Alias("*", "市卫健委", None, None, "other"),
        Alias("景德镇市", "市瓷局", "陶瓷工业局", None, "department"),
        Alias("吉林市", "市卫健委", "卫健委(吉林)", None, None),
    ])
    star = normalise_unit("市卫健委", "景德镇市", None, table)
    assert (star.unit_name, star.unit_function, star.unit_kind, star.rule) == ("卫生健康委员会", "health", "other", "analyst_alias")
    city = normalise_unit("市卫健委", "吉林市", None, table)
    assert (city.unit_name, city.unit_function) == ("卫健委(吉林)", None)
    assert normalise_unit("市瓷局", "景德镇市", None, table).unit_name == "陶瓷工业局"
    assert normalise_unit("市瓷局", "吉林市", None, table).rule == "unmatched"


def test_the_alias_file_names_a_bad_line(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("city,unit_raw,unit_name,unit_function,unit_kind\n*,市瓷局,,ceramics,\n", encoding="utf-8")
    with pytest.raises(AliasFileError, match=r"aliases.csv:2: unit_function 'ceramics'"):
        AliasTable.from_csv(path)
    assert len(AliasTable.from_csv(tmp_path / "missing.csv")) == 0
    assert default_aliases_path(tmp_path / "w.duckdb") == (tmp_path / "aliases.csv").resolve()


@pytest.fixture()
def loaded_warehouse(tmp_path):
    con = connect(tmp_path / "warehouse.duckdb")
    for path in SEEDS:
        load_bulletin(con, prepare(parse_bulletin(path.read_bytes(), str(path)), str(path)))
    yield con, tmp_path
    con.close()


def test_an_alias_changes_unit_metrics_after_reapply_without_reparsing(loaded_warehouse, monkeypatch):
    con, folder = loaded_warehouse
    before = con.execute("SELECT count(*), count(DISTINCT unit_name) FROM unit_metrics").fetchone()
    assert con.execute("SELECT DISTINCT unit_name, match_rule FROM unit_metrics WHERE unit_raw = '市瓷局'").fetchall() == [("市瓷局", "unmatched")]

    def no_parsing(*args, **kwargs):
        raise AssertionError("re-apply must not parse a document")

    monkeypatch.setattr("parsers.bulletin.parse_bulletin", no_parsing)
    monkeypatch.setattr("ingest.parsing.parse_bulletin", no_parsing)
    (folder / "aliases.csv").write_text(
        "city,unit_raw,unit_name,unit_function,unit_kind\n"
        "景德镇市,市瓷局,陶瓷工业局,,department\n"
        "*,市民航局,,civil_affairs,\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    counts = reapply_units(con, default_aliases_path(folder / "warehouse.duckdb"))
    assert time.perf_counter() - started < 5
    aliased_rows = con.execute("SELECT count(*) FROM unit_metrics WHERE unit_raw IN ('市瓷局', '市民航局')").fetchone()[0]
    assert counts["aliases"] == 2 and counts["unit_metrics_changed"] == aliased_rows == 5  # one row per metric
    assert con.execute("SELECT DISTINCT unit_name, unit_function, unit_kind, match_rule FROM unit_metrics WHERE unit_raw = '市瓷局'").fetchall() == [
        ("陶瓷工业局", None, "department", "analyst_alias")]
    assert con.execute("SELECT DISTINCT unit_name, unit_function FROM unit_metrics WHERE unit_raw = '市民航局'").fetchall() == [
        ("民政局", "civil_affairs")]
    assert con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0] == before[0]
    # re-applying the same aliases again changes nothing
    assert reapply_units(con, folder / "aliases.csv")["unit_metrics_changed"] == 0


def test_unresolved_units_lists_names_to_review_with_candidates_and_where_seen(loaded_warehouse):
    con, folder = loaded_warehouse
    reapply_units(con, folder / "aliases.csv")
    build_models(con)
    rows = con.execute("SELECT unit_raw, city, match_rule, candidates, bulletins, periods FROM unresolved_units").fetchall()
    by_name = {r[0]: r for r in rows}
    assert {"市民航局", "市瓷局", "市工管办", "昌南新区", "吉林松花湖风景名胜区"} <= set(by_name)
    assert "舒兰市" not in by_name and "市卫生健康委" not in by_name
    assert by_name["市民航局"][1] == "景德镇市" and by_name["市民航局"][3]  # best candidates with scores
    assert "2020Q3" in by_name["市瓷局"][5]
    (folder / "aliases.csv").write_text("city,unit_raw,unit_name,unit_function,unit_kind\n景德镇市,市瓷局,市瓷局,,department\n",
                                        encoding="utf-8")
    reapply_units(con, folder / "aliases.csv")
    assert "市瓷局" not in {r[0] for r in con.execute("SELECT unit_raw FROM unresolved_units").fetchall()}


def test_unit_tables_are_created_idempotently(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    con.execute("DROP TABLE unit_candidates")  # a warehouse made before the table existed
    con.close()
    for _ in range(2):  # connect() creates it when missing, and again is harmless
        con = connect(tmp_path / "w.duckdb")
        assert con.execute("SELECT count(*) FROM unit_candidates").fetchone()[0] == 0
        assert reapply_units(con)["distinct_names"] == 0
        con.close()
