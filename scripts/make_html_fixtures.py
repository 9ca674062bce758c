"""Generate the web-page fixtures: the seeds as government article pages, a
synthetic page with rowspan/colspan groups, and a small synthetic government
site (listing pages, articles, annexes) for the site-source tests.

Run from the repository root: `python scripts/make_html_fixtures.py`.
Writes fixtures/html/ and fixtures/site/. The outputs are committed; this
script is how they were made. Like make_text_fixtures.py it does not import
tongbao or parsers: the pages are transcriptions of the seed text wrapped in
the furniture real sites print (navigation, breadcrumbs, an info-disclosure
block, a share bar, a footer), not output of the code under test.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
HTML_DIR = ROOT / "fixtures" / "html"
SITE = ROOT / "fixtures" / "site"
SEED_000 = SEEDS / "000_a18ab1c51e121e01.txt"
SEED_004 = SEEDS / "004_ecd57e6128c53c86.txt"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def page(title: str, body: str, *, charset: str = "utf-8", info: list[tuple[str, str]] | None = None,
         site: str = "吉林市人民政府", column: str = "政府网站监管", date: str = "2020-10-12",
         source: str = "", annexes: str = "", meta_charset: str | None = None) -> str:
    """Wrap an article body in the furniture of a government site page."""
    info_rows = ""
    if info:
        cells = [f"<td class=\"label\">{esc(k)}：</td><td>{esc(v)}</td>" for k, v in info]
        pairs = ["<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2)]
        info_rows = '<table class="xxgk-table" width="100%">' + "".join(pairs) + "</table>"
    declared = meta_charset or charset
    charset_tag = (f'<meta charset="{declared}">' if declared.lower().startswith("utf")
                   else f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">')
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset_tag}
<title>{esc(title)}_{esc(site)}</title>
<meta name="SiteName" content="{esc(site)}">
<meta name="ColumnName" content="{esc(column)}">
<meta name="ArticleTitle" content="{esc(title)}">
<meta name="PubDate" content="{date} 09:30">
<meta name="ContentSource" content="{esc(source)}">
<style>body {{ font-family: SimSun; }} .nav li {{ display: inline; }}</style>
<script>var _trackPage = "{column}"; document.write("");</script>
</head>
<body>
<div class="top-header">
  <div class="logo">{esc(site)}</div>
  <ul class="nav">
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
    <li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li>
  </ul>
</div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="../">{esc(column)}</a></div>
<div class="main-wrap">
  {info_rows}
  <h1 class="article-title">{esc(title)}</h1>
  <div class="article-meta">发布时间：{date}　来源：{esc(source)}　【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
  <div class="article-content" id="zoom">
{body}
  </div>
  {annexes}
  <div class="share-bar">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
  <div class="prevnext">上一篇：<a href="./t20201001_1.html">关于开展政府网站季度检查的通知</a><br>下一篇：<a href="./t20201020_3.html">关于做好政务新媒体管理工作的通知</a></div>
</div>
<div class="footer">
  <p>主办：{esc(site)}办公室　承办：{esc(site)}信息中心</p>
  <p>网站标识码：2202000001　备案号：吉ICP备00000000号　<a href="/sitemap.html">网站地图</a></p>
</div>
</body>
</html>
"""


# -- seed 000: cell-per-line web copy ------------------------------------------------


def seed000_body() -> str:
    """Seed 000's paragraphs as <p>, its cell-per-line table as a <table>
    (a one-cell group row spans the table with colspan)."""
    out: list[str] = []
    rows: list[list[str]] = []
    cells: list[str] = []
    in_table = False

    def end_row() -> None:
        if cells:
            rows.append(list(cells))
            cells.clear()

    def end_table() -> None:
        nonlocal in_table
        end_row()
        if rows:
            width = max(len(r) for r in rows)
            out.append('<table border="1" cellspacing="0" cellpadding="0" class="MsoTableGrid">')
            for row in rows:
                if len(row) == 1 and width > 1:
                    out.append(f'<tr><td colspan="{width}"><p><b>{esc(row[0])}</b></p></td></tr>')
                else:
                    out.append("<tr>" + "".join(f"<td><p>{esc(c)}</p></td>" for c in row) + "</tr>")
            out.append("</table>")
        rows.clear()
        in_table = False

    for line in SEED_000.read_text(encoding="utf-8").split("\n"):
        if re.fullmatch(r"\s*\|{2,}\s*", line):
            in_table = True
            end_row()
        elif line.rstrip().endswith("|"):
            in_table = True
            cells.append(line.rstrip()[:-1].strip())
        elif line.strip():
            if in_table:
                end_table()
            out.append(f'<p style="text-indent:2em">{esc(line.strip())}</p>')
    end_table()
    return "\n".join(out)


def seed000_page() -> str:
    title = "关于2020年第三季度市政府网站信息采用情况排名的通报"
    return page(title, seed000_body(), source="吉林市政务服务和数字化建设管理局",
                info=[("索引号", "11220200MB1234567X/2020-00123"), ("主题分类", "政务公开"),
                      ("发布机构", "吉林市政务服务和数字化建设管理局"), ("成文日期", "2020-10-12"),
                      ("名称", title), ("发布日期", "2020-10-12")])


# -- seed 004: markdown-ish text with tab-separated tables --------------------------


def seed004_body() -> str:
    """Seed 004's lines: `#` headings as <hN>, tab rows as <table> rows, a
    `- ` item as <li>, `---` as <hr>, the rest as <p>."""
    out: list[str] = []
    table: list[list[str]] = []

    def end_table() -> None:
        if table:
            out.append('<table border="1" class="MsoNormalTable">')
            out.extend("<tr>" + "".join(f"<td>{esc(c.strip())}</td>" for c in row) + "</tr>" for row in table)
            out.append("</table>")
            table.clear()

    for line in SEED_004.read_text(encoding="utf-8").split("\n"):
        if "\t" in line and len([c for c in line.split("\t") if c.strip()]) >= 2:
            table.append(line.split("\t"))
            continue
        end_table()
        stripped = line.strip()
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if not stripped:
            continue
        if heading:
            level = len(heading.group(1))
            out.append(f"<h{level}>{esc(heading.group(2).strip())}</h{level}>")
        elif stripped == "---":
            out.append("<hr>")
        elif stripped.startswith("- "):
            out.append(f"<ul><li>{esc(stripped[2:])}</li></ul>")
        else:
            out.append(f"<p>{esc(stripped)}</p>")
    end_table()
    return "\n".join(out)


def seed004_page() -> str:
    title = "景德镇市人民政府办公室关于2020年第四季度网站与政务新媒体抽查情况的通报"
    return page(title, seed004_body(), charset="gbk", meta_charset="gb2312", site="景德镇市人民政府",
                column="通知公告", date="2021-01-25", source="景德镇市人民政府办公室",
                info=[("索引号", "K12345678/2021-00002"), ("发布机构", "景德镇市人民政府办公室"),
                      ("文　　号", "景府办明〔2021〕2号"), ("成文日期", "2021-01-25")])


# -- a synthetic page whose table has rowspan and colspan groups ----------------------

ROWSPAN_UNITS = [
    ("县(市、区)", [("章贡区", 120, 96, 95.5), ("南康区", 88, 70, 90), ("赣县区", 64, 51, 86.5)]),
    ("市直部门", [("市公安局", 45, 40, 92), ("市教育局", 38, 30, 88)]),
]


def rowspan_body() -> str:
    rows = [
        '<tr><th rowspan="2">序号</th><th rowspan="2">类别</th><th rowspan="2">单位</th>'
        '<th colspan="2">本季度</th><th rowspan="2">得分</th></tr>',
        "<tr><th>报送</th><th>采用</th></tr>",
    ]
    serial = 0
    for group, units in ROWSPAN_UNITS:
        for i, (name, submitted, adopted, score) in enumerate(units):
            serial += 1
            group_cell = f'<td rowspan="{len(units)}">{group}</td>' if i == 0 else ""
            rows.append(f"<tr><td>{serial}</td>{group_cell}<td>{name}</td><td>{submitted}</td>"
                        f"<td>{adopted}</td><td>{score}</td></tr>")
    rows.append('<tr><td colspan="3">合计</td><td>355</td><td>287</td><td></td></tr>')
    return (
        "<p>各县(市、区)人民政府，市政府各部门：</p>\n"
        "<p>现将2021年第二季度全市政府网站信息报送采用情况通报如下。</p>\n"
        "<p>附件1</p>\n<p>2021年第二季度政府网站信息报送采用情况表</p>\n"
        '<table border="1">' + "\n".join(rows) + "</table>\n"
        "<p>赣州市人民政府办公室</p>\n<p>2021年7月10日</p>"
    )


def rowspan_page() -> str:
    return page("关于2021年第二季度政府网站信息报送情况的通报", rowspan_body(), site="赣州市人民政府",
                column="通知公告", date="2021-07-10", source="赣州市人民政府办公室")


# -- the synthetic site ------------------------------------------------------------------


def site_article(title: str, paragraphs: list[str], annexes: list[tuple[str, str]], date: str,
                 table: str = "") -> str:
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs) + ("\n" + table if table else "")
    links = ""
    if annexes:
        items = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for text, href in annexes)
        links = f'<div class="fujian"><p>附件：</p><ul>{items}</ul></div>'
    return page(title, body, site="宜春市人民政府", column="政府网站监管", date=date,
                source="宜春市人民政府办公室", annexes=links)


def listing(items: list[tuple[str, str, str]], next_href: str | None) -> str:
    lis = "\n".join(f'<li><a href="{esc(h)}" title="{esc(t)}">{esc(t)}</a><span>{d}</span></li>' for t, h, d in items)
    pager = f'<div class="page"><a href="./">首页</a> <a href="{next_href}">下一页</a></div>' if next_href else \
        '<div class="page"><a href="./">首页</a> <span>下一页</span></div>'
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>政府网站监管_宜春市人民政府</title></head>
<body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
<div class="position">当前位置：<a href="/">首页</a> &gt; 政府网站监管</div>
<ul class="list">
{lis}
</ul>
{pager}
<div class="footer"><a href="/about/contact.html">联系我们</a></div>
</body></html>
"""


def site_xlsx() -> bytes:
    """The XLSX annex of site article 2: a merged title row, a statistics-time
    line, merged group cells down the first column, numbers stored as text."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "排名表"
    ws.append(["2021年第二季度政府网站信息报送情况排名表"])
    ws.merge_cells("A1:E1")
    ws.append(["(统计时间:4月1日—6月30日)"])
    ws.merge_cells("A2:E2")
    ws.append(["类别", "排名", "单位", "报送", "采用"])
    data = [("县(市、区)政府", "1", "上高县", "98", "90"), (None, "2", "樟树市", "77", "60"),
            (None, "3", "丰城市", "51", "33"),
            ("市直部门", "1", "市水利局", "120", "101"), (None, "2", "市商务局", "64", "40")]
    for row in data:
        ws.append(list(row))
    ws.merge_cells("A4:A6")
    ws.merge_cells("A7:A8")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_site() -> None:
    articles = SITE / "zwgk" / "wzjg"
    files = SITE / "files"
    articles.mkdir(parents=True, exist_ok=True)
    files.mkdir(parents=True, exist_ok=True)
    (articles / "t20210410_1.html").write_text(site_article(
        "宜春市人民政府办公室关于2021年第一季度政府网站信息报送情况的通报",
        ["各县(市、区)人民政府，市政府各部门：",
         "现将2021年第一季度全市政府网站信息报送采用情况予以通报(详见附件)。",
         "宜春市人民政府办公室", "2021年4月10日"],
        [("2021年第一季度政府网站信息报送情况排名表.pdf", "../../files/synthetic_q1_ranking.pdf")],
        "2021-04-10"), encoding="utf-8")
    (articles / "t20210710_2.html").write_text(site_article(
        "宜春市人民政府办公室关于2021年第二季度政府网站信息报送情况的通报",
        ["各县(市、区)人民政府，市政府各部门：",
         "现将2021年第二季度全市政府网站信息报送采用情况予以通报(详见附件)。",
         "宜春市人民政府办公室", "2021年7月10日"],
        [("附件：2021年第二季度政府网站信息报送情况排名表", "/files/synthetic_q2_ranking.xlsx")],
        "2021-07-10"), encoding="utf-8")
    table = ('<table border="1"><tr><th>排名</th><th>单位</th><th>报送</th><th>采用</th></tr>'
             "<tr><td>1</td><td>上高县</td><td>60</td><td>58</td></tr>"
             "<tr><td>2</td><td>樟树市</td><td>41</td><td>30</td></tr>"
             "<tr><td>3</td><td>市水利局</td><td>37</td><td>35</td></tr></table>")
    (articles / "t20201012_3.html").write_text(site_article(
        "宜春市人民政府办公室关于2020年第四季度政府网站信息报送情况的通报",
        ["各县(市、区)人民政府，市政府各部门：", "现将2020年第四季度全市政府网站信息报送采用情况通报如下。",
         "2020年第四季度政府网站信息报送情况排名表"], [], "2021-01-12", table=table), encoding="utf-8")
    (SITE / "zwgk" / "wzjg" / "index.html").write_text(listing(
        [("关于2021年第二季度政府网站信息报送情况的通报", "./t20210710_2.html", "2021-07-10"),
         ("关于2021年第一季度政府网站信息报送情况的通报", "./t20210410_1.html", "2021-04-10"),
         ("关于2021年第一季度政府网站抽查情况的通报(已撤回)", "./t20210401_9.html", "2021-04-01")],
        "./index_1.html"), encoding="utf-8")
    (SITE / "zwgk" / "wzjg" / "index_1.html").write_text(listing(
        [("关于2020年第四季度政府网站信息报送情况的通报", "./t20201012_3.html", "2021-01-12")], None),
        encoding="utf-8")
    (files / "synthetic_q2_ranking.xlsx").write_bytes(site_xlsx())
    # The PDF annex is the committed synthetic PDF fixture (its text twin is
    # fixtures/text/synthetic_pdf_unruled_fakebold.txt), copied byte for byte.
    pdf = ROOT / "fixtures" / "pdf" / "synthetic_unruled_fakebold.pdf"
    (files / "synthetic_q1_ranking.pdf").write_bytes(pdf.read_bytes())


def main() -> None:
    HTML_DIR.mkdir(parents=True, exist_ok=True)
    (HTML_DIR / "seed000_a18ab1c51e121e01.html").write_text(seed000_page(), encoding="utf-8")
    # The same page with one cell changed (舒兰市 本季度报送 197 -> 198), for the copies check.
    changed = seed000_page().replace("<td><p>舒兰市</p></td><td><p>197</p></td>", "<td><p>舒兰市</p></td><td><p>198</p></td>")
    assert changed != seed000_page()
    (HTML_DIR / "seed000_synthetic_one_cell_changed.html").write_text(changed, encoding="utf-8")
    (HTML_DIR / "seed004_ecd57e6128c53c86_gbk.html").write_bytes(seed004_page().encode("gbk"))
    (HTML_DIR / "synthetic_rowspan_colspan.html").write_text(rowspan_page(), encoding="utf-8")
    write_site()
    print(f"wrote {HTML_DIR} and {SITE}")


if __name__ == "__main__":
    main()
