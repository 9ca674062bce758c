"""Write the synthetic fixtures of the open-world issue (issue 14) into fixtures/open/.

Run from the repository root: `python scripts/make_open_fixtures.py`. The
outputs are committed; this script is how they were made. Their content is
invented (the city 海川市 and its figures do not exist); their shapes are
those the real bulletins in ../shared/real show: a table whose headers no
vocabulary knows, one figure adopted by two outlets, a cumulative column, and
a bulletin whose figures and named units are only in the prose.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "open"

UNKNOWN_HEADERS = """海川市人民政府办公室关于2024年第一季度政务公开工作情况的通报

各县(市、区)人民政府,市政府各部门:

现将2024年第一季度政务公开工作情况通报如下。

附件:2024年第一季度政务公开情况表

| 承办主体 | 公开目录条数 | 依申请公开件数 | 办理情况 |
|---|---|---|---|
| 市档案馆 | 12 | 3 | 按时办结 |
| 市地震局 | 7 | — | 按时办结 |
| 市侨联 | 0 | 1 | 延期 |
| 合计 | 19 | 4 | |

海川市人民政府办公室
2024年4月10日
"""

OUTLETS = """海川市人民政府办公室关于2024年第一季度政务信息报送采用情况的通报

各县(市、区)人民政府,市政府各部门:

现将2024年第一季度政务信息报送采用情况通报如下。

2024年第一季度政务信息报送采用情况统计表

| 单位 | 报送条数 | 全年累计报送条数 | 采用 | 省政府办采用 | 潮安市采用 | 得分 |
|---|---|---|---|---|---|---|
| 市教育局 | 10 | 25 | 6 | 2 | 5 | 30 |
| 市民政局 | 8 | 14 | 4 | 1 | 3 | 20 |

海川市人民政府办公室
2024年4月12日
"""

PROSE_ONLY = """海川市人民政府办公室关于2024年第一季度政务信息工作情况的通报

各县(市、区)人民政府,市政府各部门:

2024年第一季度,全市共报送信息120条,采用80条。

经复查,仍有市档案馆、市侨联等2家单位未完成整改,请抓紧落实。

海川市人民政府办公室
2024年4月15日
"""

NOTHING_STATED = """海川市人民政府办公室关于召开政务公开工作会议的通知

海川市人民政府办公室
2024年4月16日
"""

FILES = {
    "synthetic_unknown_headers.md": UNKNOWN_HEADERS,
    "synthetic_two_outlets.md": OUTLETS,
    "synthetic_prose_only.txt": PROSE_ONLY,
}
BAD = {"synthetic_notice_nothing_stated.txt": NOTHING_STATED}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in FILES.items():
        (OUT / name).write_text(text, encoding="utf-8")
    (OUT / "nothing").mkdir(exist_ok=True)
    for name, text in BAD.items():
        (OUT / "nothing" / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(FILES) + len(BAD)} fixtures under {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
