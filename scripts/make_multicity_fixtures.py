"""Write the synthetic multi-city bulletins the SQL model tests compare against.

The marts answer questions across cities and quarters (who improved, who
reported nothing three quarters running, how one department compares between
cities), and the two real seeds are one quarter each. These bulletins give the
tests a small, fully known history instead: three cities, four or five
consecutive quarters each, every figure written out below so a test can
compute its expectation by hand from this file, not from the code under test.

What they exercise:

* 吉林市 (markdown pipe tables, `.md`), 2020 Q4 – 2021 Q4: ranks by score
  within groups, a `合计` row, 市扶贫办 renamed 市乡村振兴局 from 2021 Q2, and
  市人防办 with zero submissions in 2021 Q1, Q2 and Q3 (a streak of 3);
* 景德镇市 (tab-separated rows, `.txt`), 2021 Q1, Q2 and Q4 — no Q3 bulletin,
  the gap quarter — with an updates table and a letters table;
* 赣州市 (web-copy cell-per-line rows, `.txt`; the last quarter also as DOCX
  when python-docx is installed), 2021 Q1 – Q4, a `类别` column, and
  市城管执法局 renamed 市城市管理局 from 2021 Q3.

Unit names come from the seeds' unit lists (checked when the script runs),
except the documented renames and 赣州市's 章贡区. File names say synthetic.

    python scripts/make_multicity_fixtures.py
"""

from __future__ import annotations

import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "multicity"
SEEDS = ROOT / "fixtures" / "seeds"

QUARTER_WORDS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
PUBLISHED = {1: "4月8日", 2: "7月9日", 3: "10月12日", 4: "1月10日"}
NOT_FROM_SEEDS = {"市乡村振兴局", "市城市管理局", "章贡区"}

# 吉林市: (group, printed name) -> {(year, quarter): (submitted, adopted)}; score = adopted * 20.
JILIN = {
    ("区政府", "昌邑区"): {(2020, 4): (300, 250), (2021, 1): (320, 300), (2021, 2): (310, 280), (2021, 3): (350, 320), (2021, 4): (360, 330)},
    ("区政府", "船营区"): {(2020, 4): (280, 260), (2021, 1): (310, 200), (2021, 2): (330, 300), (2021, 3): (300, 240), (2021, 4): (340, 310)},
    ("市政府工作部门", "市公安局"): {(2020, 4): (100, 80), (2021, 1): (120, 90), (2021, 2): (90, 60), (2021, 3): (80, 40), (2021, 4): (110, 99)},
    ("市政府工作部门", "市教育局"): {(2020, 4): (40, 30), (2021, 1): (50, 45), (2021, 2): (60, 57), (2021, 3): (70, 63), (2021, 4): (64, 48)},
    ("市政府工作部门", "市扶贫办"): {(2020, 4): (20, 18), (2021, 1): (10, 8)},
    ("市政府工作部门", "市乡村振兴局"): {(2021, 2): (25, 20), (2021, 3): (30, 27), (2021, 4): (28, 21)},
    ("市政府工作部门", "市人防办"): {(2020, 4): (5, 5), (2021, 1): (0, 0), (2021, 2): (0, 0), (2021, 3): (0, 0), (2021, 4): (4, 4)},
    ("市政府工作部门", "市民政局"): {(2020, 4): (12, 6), (2021, 1): (30, 24), (2021, 2): (20, 10), (2021, 3): (15, 3), (2021, 4): (18, 9)},
}
JILIN_QUARTERS = [(2020, 4), (2021, 1), (2021, 2), (2021, 3), (2021, 4)]

# 景德镇市: printed name -> {(year, quarter): updates}; letters: name -> {(year, quarter): (received, replied)}.
JINGDEZHEN_UPDATES = {
    "市公安局": {(2021, 1): 150, (2021, 2): 160, (2021, 4): 170},
    "市教育局": {(2021, 1): 90, (2021, 2): 100, (2021, 4): 80},
    "市民政局": {(2021, 1): 60, (2021, 2): 40, (2021, 4): 70},
    "市水利局": {(2021, 1): 120, (2021, 2): 110, (2021, 4): 100},
    "市瓷局": {(2021, 1): 30, (2021, 2): 35, (2021, 4): 20},
    "高新区": {(2021, 1): 200, (2021, 2): 210, (2021, 4): 190},
}
JINGDEZHEN_LETTERS = {
    "市公安局": {(2021, 1): (10, 10), (2021, 2): (12, 12), (2021, 4): (8, 6)},
    "市教育局": {(2021, 1): (8, 6), (2021, 2): (10, 9), (2021, 4): (6, 6)},
    "市民政局": {(2021, 1): (4, 4), (2021, 2): (5, 5), (2021, 4): (3, 3)},
    "市水利局": {(2021, 1): (2, 1), (2021, 2): (4, 4), (2021, 4): (2, 2)},
    "高新区": {(2021, 1): (12, 12), (2021, 2): (15, 15), (2021, 4): (10, 10)},
}
JINGDEZHEN_QUARTERS = [(2021, 1), (2021, 2), (2021, 4)]  # 2021 Q3: no bulletin (the gap)

# 赣州市: (类别, printed name) -> {(year, quarter): (submitted, adopted)}; score = adopted * 5.
GANZHOU = {
    ("县(市)区", "章贡区"): {(2021, 1): (80, 40), (2021, 2): (90, 45), (2021, 3): (85, 50), (2021, 4): (95, 57)},
    ("市直部门", "市公安局"): {(2021, 1): (50, 10), (2021, 2): (60, 30), (2021, 3): (55, 33), (2021, 4): (70, 42)},
    ("市直部门", "市教育局"): {(2021, 1): (40, 20), (2021, 2): (45, 9), (2021, 3): (50, 25), (2021, 4): (55, 33)},
    ("市直部门", "市民政局"): {(2021, 1): (30, 15), (2021, 2): (0, 0), (2021, 3): (35, 14), (2021, 4): (40, 20)},
    ("市直部门", "市城管执法局"): {(2021, 1): (20, 10), (2021, 2): (25, 20)},
    ("市直部门", "市城市管理局"): {(2021, 3): (30, 15), (2021, 4): (30, 24)},
    ("其他单位", "市残联"): {(2021, 1): (10, 5), (2021, 2): (12, 6), (2021, 3): (8, 8), (2021, 4): (15, 9)},
}
GANZHOU_QUARTERS = [(2021, 1), (2021, 2), (2021, 3), (2021, 4)]


def period_words(year: int, quarter: int) -> str:
    """Given 2021, 1, return `2021年第一季度`."""
    return f"{year}年{QUARTER_WORDS[quarter]}"


def signature_date(year: int, quarter: int) -> str:
    """Given a period, return the issue date printed under the signature."""
    return f"{year + 1 if quarter == 4 else year}年{PUBLISHED[quarter]}"


def listed(table: dict, period: tuple[int, int]) -> list[tuple]:
    """Given a fixture table and a period, return (key, figures) of the units listed then."""
    return [(key, by_period[period]) for key, by_period in table.items() if period in by_period]


def ranked(rows: list[tuple[str, int, int, int]]) -> list[tuple[int, str, int, int, int]]:
    """Given (name, submitted, adopted, score) rows, return them ranked by score (ties share a rank)."""
    ordered = sorted(rows, key=lambda r: -r[3])
    out = []
    for i, row in enumerate(ordered):
        rank = out[-1][0] if out and out[-1][4] == row[3] else i + 1
        out.append((rank, *row))
    return out


def jilin_bulletin(year: int, quarter: int) -> str:
    """Given a period, return 吉林市's markdown bulletin for it."""
    period = (year, quarter)
    lines = [
        f"# 关于{period_words(year, quarter)}市政府网站信息采用情况的通报",
        "各县(市)区人民政府,开发区管委会,市政府各委办局、各直属机构:",
    ]
    rows = listed(JILIN, period)
    submitted = sum(v[0] for _, v in rows)
    adopted = sum(v[1] for _, v in rows)
    lines.append(f"各单位向市政府网站共报送信息{submitted}条,采用{adopted}条。现将{period_words(year, quarter)}信息采用排名情况予以通报(详见附件1)。")
    lines += ["吉林市政务服务和数字化建设管理局", signature_date(year, quarter), "", "附件1",
              f"{period_words(year, quarter)}政府网站信息报送情况排名表"]
    header = "| 排名 | 单位 | 本季度报送 | 本季度采用 | 本季度得分 |"
    first = True
    for group in ("区政府", "市政府工作部门"):
        members = [(name, s, a, a * 20) for (g, name), (s, a) in rows if g == group]
        lines.append(f"| {group} |  |  |  |  |")
        lines.append(header)
        if first:
            lines.append("|---|---|---|---|---|")
            first = False
        for rank, name, s, a, score in ranked(members):
            lines.append(f"| {rank} | {name} | {s} | {a} | {score} |")
    lines.append(f"|  | 合计 | {submitted} | {adopted} | {adopted * 20} |")
    return "\n".join(lines) + "\n"


def jingdezhen_bulletin(year: int, quarter: int) -> str:
    """Given a period, return 景德镇市's tab-separated bulletin for it."""
    period = (year, quarter)
    letters = listed(JINGDEZHEN_LETTERS, period)
    received = sum(v[0] for _, v in letters)
    replied = sum(v[1] for _, v in letters)
    lines = [
        f"## 景德镇市人民政府办公室 关于{period_words(year, quarter)}政府网站信息更新情况的通报",
        "",
        "各县(市、区)人民政府,市政府各部门,市直有关单位:",
        "",
        f"{period_words(year, quarter)}景德镇政府网站共收到咨询投诉信件{received}封,已回复{replied}封。现将有关情况通报如下。",
        "",
        "附件 1",
        "",
        f"## {period_words(year, quarter)}景德镇市级信息公开平台信息更新情况表",
        "",
        "部门\t信息更新量",
    ]
    for name, updates in sorted(listed(JINGDEZHEN_UPDATES, period), key=lambda r: -r[1]):
        lines.append(f"{name}\t{updates}")
    lines += ["", "附件 2", "", f"## {period_words(year, quarter)}景德镇市政府网站留言回复情况统计表", "",
              "部门\t收到留言数\t回复留言数\t回复率"]
    for name, (rec, rep) in letters:
        lines.append(f"{name}\t{rec}\t{rep}\t{rep / rec:.2%}")
    lines += ["", "景德镇市人民政府办公室", "", signature_date(year, quarter)]
    return "\n".join(lines) + "\n"


def ganzhou_rows(year: int, quarter: int) -> list[list[str]]:
    """Given a period, return 赣州市's table as rows of cells (header first)."""
    rows = [["类别", "单位", "报送", "采用", "得分"]]
    previous = None
    for (category, name), (s, a) in listed(GANZHOU, (year, quarter)):
        rows.append([category if category != previous else "", name, str(s), str(a), str(a * 5)])
        previous = category
    return rows


def ganzhou_bulletin(year: int, quarter: int) -> str:
    """Given a period, return 赣州市's web-copy (cell-per-line) bulletin for it."""
    lines = [
        f"关于{period_words(year, quarter)}政府网站信息报送情况的通报",
        "各县(市、区)人民政府,市政府各部门,市直有关单位:",
        f"现将{period_words(year, quarter)}全市政府网站信息报送采用情况通报如下。",
        "附件1",
        f"{period_words(year, quarter)}政府网站信息报送采用情况表",
    ]
    for row in ganzhou_rows(year, quarter):
        lines.append("||||||||||||")
        lines += [f"{cell} |" for cell in row]
    lines += ["||||||||||||", "", "赣州市人民政府办公室", signature_date(year, quarter)]
    return "\n".join(lines) + "\n"


def ganzhou_docx(year: int, quarter: int, path: Path) -> bool:
    """Given a period, write 赣州市's bulletin as DOCX; return False without python-docx."""
    try:
        import docx
    except ImportError:
        return False
    document = docx.Document()
    document.add_heading(f"关于{period_words(year, quarter)}政府网站信息报送情况的通报", level=1)
    document.add_paragraph("各县(市、区)人民政府,市政府各部门,市直有关单位:")
    document.add_paragraph(f"现将{period_words(year, quarter)}全市政府网站信息报送采用情况通报如下。")
    document.add_paragraph("赣州市人民政府办公室")
    document.add_paragraph(signature_date(year, quarter))
    document.add_paragraph("附件1")
    document.add_paragraph(f"{period_words(year, quarter)}政府网站信息报送采用情况表")
    rows = ganzhou_rows(year, quarter)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    fixed = datetime.datetime(2022, 1, 1)  # stable bytes from run to run
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.core_properties.last_printed = fixed
    document.save(str(path))
    return True


def check_names_come_from_seeds() -> None:
    """Raise if a unit name is neither in a seed nor a documented exception."""
    seeds = "".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    names = {name for _, name in JILIN} | set(JINGDEZHEN_UPDATES) | {name for _, name in GANZHOU}
    missing = sorted(n for n in names - NOT_FROM_SEEDS if n not in seeds)
    if missing:
        raise SystemExit(f"not in the seeds' unit lists: {missing}")


def main() -> None:
    check_names_come_from_seeds()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("synthetic_*"):
        old.unlink()
    written = []
    for year, quarter in JILIN_QUARTERS:
        path = OUT / f"synthetic_jilin_{year}q{quarter}.md"
        path.write_text(jilin_bulletin(year, quarter), encoding="utf-8")
        written.append(path)
    for year, quarter in JINGDEZHEN_QUARTERS:
        path = OUT / f"synthetic_jingdezhen_{year}q{quarter}.txt"
        path.write_text(jingdezhen_bulletin(year, quarter), encoding="utf-8")
        written.append(path)
    for year, quarter in GANZHOU_QUARTERS:
        docx_path = OUT / f"synthetic_ganzhou_{year}q{quarter}.docx"
        if quarter == 4 and ganzhou_docx(year, quarter, docx_path):
            written.append(docx_path)
            continue
        path = OUT / f"synthetic_ganzhou_{year}q{quarter}.txt"
        path.write_text(ganzhou_bulletin(year, quarter), encoding="utf-8")
        written.append(path)
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
