"""Site sources and web-page annexes, end to end against a small synthetic
government site served on loopback (fixtures/site/, made by
scripts/make_html_fixtures.py): a listing page and its 下一页, three
articles (one with a relative PDF annex link, one with a root-relative XLSX
annex link, one with its table in the page) and one dead link. Expected
figures are written by hand from the fixtures."""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from ingest.annexes import resolve
from ingest.sites import listing_links
from ingest.sources import SourcesError, load_sources
from tests.support import FIXTURES

SITE = FIXTURES / "site"


class _Quiet(SimpleHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        _Quiet.hits.append(self.path)
        super().do_GET()


@pytest.fixture()
def site():
    _Quiet.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _sources(tmp_path, base: str, max_pages: int = 3):
    path = tmp_path / "sources.toml"
    path.write_text(
        "[defaults]\ntimeout_s = 5\nretries = 1\nretry_delay_s = 0.1\n\n"
        '[cities."宜春市"]\n'
        f'sites = [{{ listing = "{base}/zwgk/wzjg/index.html", pattern = "/zwgk/wzjg/t\\\\d+_\\\\d+\\\\.html$", '
        f"max_pages = {max_pages} }}]\n", encoding="utf-8")
    return path


def test_a_listing_page_gives_its_article_links_and_its_next_page():
    data = (SITE / "zwgk" / "wzjg" / "index.html").read_bytes()
    base = "http://example.gov.cn/zwgk/wzjg/index.html"
    articles, next_page = listing_links(data, base, re.compile(r"/zwgk/wzjg/t\d+_\d+\.html$"))
    assert articles == ["http://example.gov.cn/zwgk/wzjg/t20210710_2.html", "http://example.gov.cn/zwgk/wzjg/t20210410_1.html",
                        "http://example.gov.cn/zwgk/wzjg/t20210401_9.html"]
    assert next_page == "http://example.gov.cn/zwgk/wzjg/index_1.html"
    last, none = listing_links((SITE / "zwgk" / "wzjg" / "index_1.html").read_bytes(),
                               "http://example.gov.cn/zwgk/wzjg/index_1.html", re.compile(r"t\d+_\d+\.html$"))
    assert last == ["http://example.gov.cn/zwgk/wzjg/t20201012_3.html"] and none is None


def test_annex_links_resolve_against_the_page():
    page = "http://a.gov.cn/zwgk/wzjg/t1.html"
    assert resolve(page, "../../files/x.pdf") == "http://a.gov.cn/files/x.pdf"
    assert resolve(page, "/files/x.xlsx") == "http://a.gov.cn/files/x.xlsx"
    assert resolve(page, "https://b.gov.cn/y.doc") == "https://b.gov.cn/y.doc"
    assert resolve(page, "ftp://b.gov.cn/y.doc") is None
    assert resolve("/saved/page.html", "page_files/annex.xls") == "/saved/page_files/annex.xls"


def test_a_site_entry_is_validated(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[cities."宜春市"]\nsites = [{ listing = "http://x/list.html", pattern = "t(" }]\n', encoding="utf-8")
    with pytest.raises(SourcesError, match="not a regular expression"):
        load_sources(bad)
    bad.write_text('[cities."宜春市"]\nsites = [{ listing = "file:///x", pattern = "t" }]\n', encoding="utf-8")
    with pytest.raises(SourcesError, match="http"):
        load_sources(bad)
    [city] = load_sources(_sources(tmp_path, "http://127.0.0.1:1")).cities
    assert city.sites[0].max_pages == 3 and city.sites[0].pattern == r"/zwgk/wzjg/t\d+_\d+\.html$"


@pytest.mark.slow
def test_the_synthetic_site_end_to_end_twice_the_second_run_adds_nothing(tmp_path, site):
    from flows.ingest import ingest_flow

    sources = _sources(tmp_path, site)
    warehouse = tmp_path / "w.duckdb"
    first = ingest_flow([], warehouse=str(warehouse), sources=str(sources))
    assert first["counts"] == {"loaded": 3, "rejected": 1}
    assert first["rejected_by_reason"] == {"http_error": 1}  # the dead link
    [listing] = first["sites"]
    assert (listing["pages_read"], listing["discovered"], listing["new"], listing["skipped"]) == (2, 4, 4, 0)
    assert first["annexes"] == {"linked": 2, "stored": 2, "failed": 0}

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        bulletins = con.execute("SELECT source_file, city, period_year, period_quarter, tables_found FROM bulletins "
                                "ORDER BY source_file").fetchall()
        assert bulletins == [
            (f"{site}/zwgk/wzjg/t20201012_3.html", "宜春市", 2020, 4, 1),
            (f"{site}/zwgk/wzjg/t20210410_1.html", "宜春市", 2021, 1, 2),  # the PDF annex's two tables
            (f"{site}/zwgk/wzjg/t20210710_2.html", "宜春市", 2021, 2, 1),  # the XLSX annex's table
        ]
        tables = con.execute("SELECT b.source_file, t.table_index, t.source_file FROM bulletin_tables t "
                             "JOIN bulletins b USING (bulletin_id) ORDER BY 1, 2").fetchall()
        assert tables == [
            (f"{site}/zwgk/wzjg/t20201012_3.html", 1, f"{site}/zwgk/wzjg/t20201012_3.html"),
            (f"{site}/zwgk/wzjg/t20210410_1.html", 1, f"{site}/files/synthetic_q1_ranking.pdf"),
            (f"{site}/zwgk/wzjg/t20210410_1.html", 2, f"{site}/files/synthetic_q1_ranking.pdf"),
            (f"{site}/zwgk/wzjg/t20210710_2.html", 1, f"{site}/files/synthetic_q2_ranking.xlsx"),
        ]
        # the XLSX annex: 5 units x (rank, submitted, adopted); its merged group cells read down
        xlsx = dict(con.execute(
            "SELECT m.unit_raw || '/' || m.metric, m.value FROM unit_metrics m JOIN bulletins b USING (bulletin_id) "
            "WHERE b.source_file LIKE '%t20210710_2.html'").fetchall())
        assert len(xlsx) == 15 and xlsx["市水利局/submitted"] == 120 and xlsx["丰城市/adopted"] == 33
        groups = con.execute("SELECT DISTINCT unit_group FROM unit_metrics m JOIN bulletins b USING (bulletin_id) "
                             "WHERE b.source_file LIKE '%t20210710_2.html' ORDER BY 1").fetchall()
        assert groups == [("县(市、区)政府",), ("市直部门",)]
        # the page's own table: 3 units x (rank, submitted, adopted)
        assert con.execute("SELECT count(*) FROM unit_metrics m JOIN bulletins b USING (bulletin_id) "
                           "WHERE b.source_file LIKE '%t20201012_3.html'").fetchall() == [(9,)]
        before = con.execute("SELECT (SELECT count(*) FROM bulletins), (SELECT count(*) FROM unit_metrics)").fetchall()
    finally:
        con.close()

    second = ingest_flow([], warehouse=str(warehouse), sources=str(sources))
    assert second["counts"].get("loaded", 0) == 0 and second["counts"].get("replaced", 0) == 0
    [listing] = second["sites"]
    assert (listing["discovered"], listing["new"], listing["skipped"]) == (4, 1, 3)  # only the dead link is retried
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        after = con.execute("SELECT (SELECT count(*) FROM bulletins), (SELECT count(*) FROM unit_metrics)").fetchall()
    finally:
        con.close()
    assert after == before
    articles_fetched = [h for h in _Quiet.hits if re.search(r"/t\d+_\d+\.html$", h)]
    assert sorted(articles_fetched) == sorted(["/zwgk/wzjg/t20210710_2.html", "/zwgk/wzjg/t20210410_1.html",
                                               "/zwgk/wzjg/t20210401_9.html", "/zwgk/wzjg/t20201012_3.html",
                                               "/zwgk/wzjg/t20210401_9.html"])  # a 404 is final: once a run


@pytest.mark.slow
def test_an_annex_that_cannot_be_read_is_a_warning_not_a_rejection(tmp_path, site):
    from flows.ingest import ingest_flow

    page = (SITE / "zwgk" / "wzjg" / "t20201012_3.html").read_text(encoding="utf-8")
    page = page.replace("</div>\n  \n  <div class=\"share-bar\">",
                        '</div>\n  <div class="fujian"><a href="/files/missing_annex.xlsx">附件：缺失的排名表</a></div>\n'
                        '  <div class="share-bar">')
    assert "missing_annex" in page
    saved = tmp_path / "saved" / "page.html"
    saved.parent.mkdir()
    saved.write_text(page, encoding="utf-8")
    summary = ingest_flow([str(saved)], warehouse=str(tmp_path / "w.duckdb"))
    assert summary["counts"] == {"loaded": 1}
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        [(warnings,)] = con.execute("SELECT warnings FROM bulletins").fetchall()
    finally:
        con.close()
    assert "missing_annex.xlsx" in warnings and "could not be read" in warnings


@pytest.mark.slow
def test_a_page_saved_with_its_annex_beside_it_loads_once_with_the_annex(tmp_path):
    import shutil

    from flows.ingest import ingest_flow

    saved = tmp_path / "saved"
    (saved / "files").mkdir(parents=True)
    page = (SITE / "zwgk" / "wzjg" / "t20210710_2.html").read_text(encoding="utf-8")
    (saved / "page.html").write_text(page.replace('href="/files/', 'href="files/'), encoding="utf-8")
    shutil.copy(SITE / "files" / "synthetic_q2_ranking.xlsx", saved / "files")
    summary = ingest_flow([str(saved)], warehouse=str(tmp_path / "w.duckdb"))
    assert summary["counts"] == {"loaded": 1, "skipped": 1}
    [skipped] = [f for f in summary["files"] if f["status"] == "skipped"]
    assert skipped["reason"] == "annex" and skipped["path"].endswith("synthetic_q2_ranking.xlsx")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM bulletins").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM unit_metrics").fetchall() == [(15,)]
        assert con.execute("SELECT source_file FROM bulletin_tables").fetchall() == [
            (str((saved / "files" / "synthetic_q2_ranking.xlsx").resolve()),)]
    finally:
        con.close()
