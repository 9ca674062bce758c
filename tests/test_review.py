"""The review page end to end: a decision posted to `tongbao review`'s server is
written to the alias file, applied, seen in unit_metrics, and kept by the next ingest."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.parse
import urllib.request

import duckdb
import pytest

from flows.ingest import ingest_flow
from report import review
from report.review_server import ReviewSite, serve_in_thread
from tests.support import FIXTURES
from units import default_aliases_path
from warehouse.models import build_models


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(base: str, form: dict) -> tuple[int, str]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(base + "/decide", data=urllib.parse.urlencode(form).encode(), method="POST")
    try:
        opener.open(request, timeout=60)
    except urllib.error.HTTPError as exc:  # the 303 after a decision
        return exc.code, exc.headers["Location"]
    raise AssertionError("a decision answers with a redirect")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def _names(warehouse, raw: str) -> set[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return set(con.execute("select distinct period_year * 10 + period_quarter, unit_name, match_rule from unit_metrics "
                               "where city = '景德镇市' and unit_raw = ?", [raw]).fetchall())
    finally:
        con.close()


@pytest.mark.slow
def test_a_decision_reaches_unit_metrics_and_survives_the_next_ingest(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert ingest_flow([str(FIXTURES / "multicity")], warehouse=str(warehouse))["model_error"] is None
    aliases = default_aliases_path(warehouse)
    site = ReviewSite(warehouse)
    server, _ = serve_in_thread(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = _get(base + "/")
        assert 'data-unit-raw="市瓷局"' in page  # 景德镇市's 市瓷局 is outside the catalog: listed for review
        status, location = _post(base, {"action": "correct", "city": "景德镇市", "unit_raw": "市瓷局",
                                        "unit_name": "陶瓷工业局", "unit_function": "", "unit_kind": "department"})
        assert status == 303
        after = _get(base + location)
        assert "已写入 aliases.csv 并应用" in after
        assert 'data-unit-raw="市瓷局"' not in after  # decided: no longer asked
    finally:
        server.shutdown()
    assert "景德镇市,市瓷局,陶瓷工业局,,department" in aliases.read_text(encoding="utf-8")
    # synthetic_jingdezhen_2021q1/q2/q4.txt print 市瓷局 (updates 30, 35, 20)
    assert _names(warehouse, "市瓷局") == {(20211, "陶瓷工业局", "analyst_alias"), (20212, "陶瓷工业局", "analyst_alias"),
                                          (20214, "陶瓷工业局", "analyst_alias")}
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select updates from unit_quarter where city = '景德镇市' and unit_name = '陶瓷工业局' "
                       "and period_key = 20211").fetchone() == (30,)
    con.close()

    # the next ingest (the 景德镇市 seed also prints 市瓷局, for 2020 Q3) keeps the decision and applies it to new rows
    assert ingest_flow([str(FIXTURES / "seeds")], warehouse=str(warehouse))["model_error"] is None
    names = _names(warehouse, "市瓷局")
    assert {n for _, n, _ in names} == {"陶瓷工业局"} and {r for _, _, r in names} == {"analyst_alias"}
    assert 20203 in {p for p, _, _ in names}


def test_write_aliases_replaces_the_same_name_and_keeps_the_rest(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("# mine\ncity,unit_raw,unit_name,unit_function,unit_kind\n吉林市,市卫健委,,health,\n"
                    "景德镇市,市瓷局,瓷局,,other\n", encoding="utf-8")
    review.write_aliases(path, [review.UnitDecision("景德镇市", "市瓷局", "陶瓷工业局", "", "department")])
    assert path.read_text(encoding="utf-8") == (
        "# mine\ncity,unit_raw,unit_name,unit_function,unit_kind\n吉林市,市卫健委,,health,\n"
        "景德镇市,市瓷局,陶瓷工业局,,department\n")


def test_a_bad_decision_leaves_the_alias_file_alone(tmp_path):
    path = tmp_path / "aliases.csv"
    review.write_aliases(path, [review.UnitDecision("景德镇市", "市瓷局", "陶瓷工业局", "", "department")])
    before = path.read_text(encoding="utf-8")
    with pytest.raises(review.DecisionError, match="not a catalog code"):
        review.write_aliases(path, [review.UnitDecision("景德镇市", "市民航局", "", "civil_aviation", "")])
    with pytest.raises(review.DecisionError, match="give a unit name"):
        review.write_aliases(path, [review.UnitDecision("景德镇市", "市民航局")])
    assert path.read_text(encoding="utf-8") == before


@pytest.fixture(scope="module")
def multicity(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("review") / "w.duckdb"
    assert ingest_flow([str(FIXTURES / "multicity")], warehouse=str(warehouse))["model_error"] is None
    return warehouse


def test_suspected_duplicates_merge_or_are_dismissed(multicity, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(multicity, warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        assert review.duplicate_units(con) == []
        # one spelling in Q4 only: 市瓷业局 is never listed beside 市瓷局 (Q1, Q2) and looks alike (ratio 85.7)
        con.execute("update unit_metrics set unit_raw = '市瓷业局', unit_name = '市瓷业局' "
                    "where city = '景德镇市' and unit_raw = '市瓷局' and period_quarter = 4")
        build_models(con)
        [pair] = review.duplicate_units(con)
        assert (pair["city"], pair["keep"]["unit_name"], pair["merge"]["unit_name"]) == ("景德镇市", "市瓷局", "市瓷业局")
        decisions = review.merge_decisions(con, "景德镇市", "市瓷局", "市瓷业局")
        assert [(d.unit_raw, d.unit_name) for d in decisions] == [("市瓷业局", "市瓷局")]
    finally:
        con.close()
    decided = tmp_path / "review_decisions.csv"
    review.dismiss_duplicate(decided, "景德镇市", pair["subject"])
    con = duckdb.connect(str(warehouse), read_only=True)
    assert review.duplicate_units(con, review.read_dismissed(decided)) == []
    con.close()


def test_the_page_answers_only_to_its_loopback_name(multicity):
    site = ReviewSite(multicity)
    server, _ = serve_in_thread(site)
    port = server.server_address[1]
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": f"evil.example:{port}"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403
        page = _get(f"http://127.0.0.1:{port}/")
        assert "待确认的单位名称" in page and "没有未映射的表头" in page
    finally:
        server.shutdown()


@pytest.mark.slow
def test_a_header_decision_maps_unmapped_figures_and_survives_a_reparse(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "open" / "synthetic_unknown_headers.md", inbox)
    warehouse = tmp_path / "wh" / "w.duckdb"
    warehouse.parent.mkdir()
    assert ingest_flow([str(inbox)], warehouse=str(warehouse))["model_error"] is None
    server, _ = serve_in_thread(ReviewSite(warehouse))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert 'data-header="公开目录条数"' in _get(base + "/")
        status, location = _post(base, {"action": "header", "header_raw": "公开目录条数", "metric": "updates", "scope": ""})
        assert status == 303 and "已写入 vocabulary.csv 并应用" in _get(base + location)
    finally:
        server.shutdown()
    assert "公开目录条数,updates,," in (warehouse.parent / "vocabulary.csv").read_text(encoding="utf-8")
    # fixtures/open/synthetic_unknown_headers.md: 公开目录条数 12 (市档案馆), 7 (市地震局), 0 (市侨联)
    updates = "select unit_raw, value from unit_metrics where metric = 'updates' order by row_index"
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(updates).fetchall() == [("市档案馆", 12.0), ("市地震局", 7.0), ("市侨联", 0.0)]
    con.close()
    assert ingest_flow([str(inbox)], warehouse=str(warehouse), force=True)["model_error"] is None  # re-parsed
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute(updates).fetchall() == [("市档案馆", 12.0), ("市地震局", 7.0), ("市侨联", 0.0)]
    con.close()


def test_a_bad_header_decision_leaves_the_vocabulary_file_alone(tmp_path):
    path = tmp_path / "vocabulary.csv"
    review.write_vocabulary(path, [review.HeaderDecision("公开目录条数", "updates")])
    before = path.read_text(encoding="utf-8")
    with pytest.raises(review.DecisionError, match="is not a code"):
        review.write_vocabulary(path, [review.HeaderDecision("依申请公开件数", "requests")])
    assert path.read_text(encoding="utf-8") == before
    review.write_vocabulary(path, [review.HeaderDecision("公开目录条数", "ignore")])  # a second decision replaces the first
    assert path.read_text(encoding="utf-8").count("公开目录条数") == 1
