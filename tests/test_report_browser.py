"""The report of the multi-city fixtures, opened in headless Chromium (Debian's `chromium`).

Playwright drives the system Chromium (no browser download): the page must
make no network request at all, every chart must draw at a real size, the
Chinese labels must render with a CJK font (not as tofu boxes), and the
figures shown for one unit must equal the warehouse's.
"""

from __future__ import annotations

import duckdb
import pytest

from flows.ingest import ingest_flow
from report.render import CHROMIUM_FLAGS, build_report, find_chromium, write_pdf, write_report
from report.scope import Scope
from tests.support import FIXTURES

pytestmark = pytest.mark.slow
CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium fonts-noto-cjk; .ci/run does)")

# Draws two characters in the label's own font and counts their dark pixels: with
# a CJK font 一 (one stroke) and 龘 (dozens) differ several-fold; missing-glyph
# boxes ("tofu") are the same box for both.
INK_RATIO_JS = """
(font) => {
  const ink = (ch) => {
    const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, 64, 64);
    g.fillStyle = '#000'; g.font = '48px ' + font; g.textBaseline = 'top'; g.fillText(ch, 4, 4);
    const d = g.getImageData(0, 0, 64, 64).data; let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 128) n++;
    return n;
  };
  return ink('龘') / Math.max(ink('一'), 1);
}
"""


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "w.duckdb"
    summary = ingest_flow([str(FIXTURES / "multicity")], warehouse=str(path))
    assert summary["model_error"] is None
    return path


@pytest.fixture(scope="module")
def page_file(warehouse, tmp_path_factory):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        report = build_report(con, Scope(), warehouse_label=str(warehouse))
    finally:
        con.close()
    return write_report(report, tmp_path_factory.mktemp("html") / "report.html"), len(report.charts)


@pytest.fixture(scope="module")
def browser_page(page_file, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    path, _ = page_file
    requests, failed = [], []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=[a for a in CHROMIUM_FLAGS if a != "--headless"], viewport={"width": 1200, "height": 900},
        )
        try:
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("requestfailed", lambda r: failed.append((r.url, r.failure)))
            page.goto(path.as_uri(), wait_until="load")
            yield page, requests, failed
        finally:
            context.close()


@needs_chromium
def test_page_loads_with_no_network_request(browser_page, page_file):
    page, requests, failed = browser_page
    assert failed == []
    assert requests == [page_file[0].as_uri()], "only the file itself is read"
    assert page.title().startswith("吉林市、景德镇市、赣州市政府网站工作通报分析")


@needs_chromium
def test_every_chart_draws_at_a_real_size(browser_page, page_file):
    page, _, _ = browser_page
    charts = page.locator("figure.chart > svg")
    assert charts.count() == page_file[1] >= 6
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 60, (i, box)
        assert charts.nth(i).locator("path, rect").count() > 5


@needs_chromium
def test_chinese_labels_render_with_a_cjk_font(browser_page):
    page, _, _ = browser_page
    label = page.locator("figure.chart svg text", has_text="公安局").first
    assert label.bounding_box()["width"] > 20
    font = label.evaluate("e => getComputedStyle(e).fontFamily")
    assert page.evaluate(INK_RATIO_JS, font) > 3, f"CJK glyphs drawn as boxes in {font}"
    heading = page.locator("h1")
    assert page.evaluate(INK_RATIO_JS, heading.evaluate("e => getComputedStyle(e).fontFamily")) > 3


@needs_chromium
def test_numbers_shown_for_one_unit_equal_the_warehouse(browser_page, warehouse):
    page, _, _ = browser_page
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        score, change = con.execute(
            "select score, score_qoq from unit_trend where city = '吉林市' and unit_name = '公安局' and period_key = 20214"
        ).fetchone()
        series = con.execute("select period_key, score from unit_trend where city = '吉林市' and unit_name = '公安局' "
                             "order by period_key").fetchall()
    finally:
        con.close()
    # hand-read from synthetic_jilin_2021q4.md / 2021q3.md: 1980, up from 800
    assert (score, change) == (1980, 1180)
    ranking = page.locator("article.ranking[data-city='吉林市'][data-kind='info_submission']")
    cell = ranking.locator("tr[data-unit='公安局'] td[data-metric='score']")
    assert cell.text_content() == "1980" and float(cell.get_attribute("data-value")) == score
    assert ranking.locator("svg text", has_text="+1180").count() == 1  # the bar's change label
    trend = page.locator("article.trend[data-city='吉林市'] tr[data-unit='公安局'] td[data-period]")
    shown = {int(trend.nth(i).get_attribute("data-period")): trend.nth(i).text_content() for i in range(trend.count())}
    assert shown == {key: f"{value:g}" for key, value in series}


@needs_chromium
def test_report_prints_to_pdf(page_file, tmp_path):
    pdf = write_pdf(page_file[0], tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 20_000
