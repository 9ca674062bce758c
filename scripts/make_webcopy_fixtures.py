"""Write the web-copy table fixtures: invented bulletins in the shapes real
bulletins take when their tables are copied off government web pages.

Run from the repository root: `python scripts/make_webcopy_fixtures.py`.
Writes fixtures/text/synthetic_webcopy_*.txt. The outputs are committed; this
script is how they were made. Every unit, figure and place is invented
(青溪市 does not exist); only the layouts copy what real pages give:
cells one per line without row separators (with group lines among them), pipe rows without a leading pipe,
one cell per paragraph, rows broken by empty cells, headers merged over two
or three rows, a caption row inside the table with leading blanks, tables
cut off at the end of a truncated page, and a group line under a
tab-separated header with tie ranks. It does not import tongbao.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXT = ROOT / "fixtures" / "text"

TITLE = "青溪市人民政府办公室关于2022年第二季度政府网站信息报送情况的通报"
OPENING = ["各县(市、区)人民政府,市政府各部门:", "现将2022年第二季度政府网站信息报送情况通报如下。", "附件"]
SIGNATURE = ["青溪市人民政府办公室", "2022年7月8日"]


def bulletin(caption: str, table: list[str], end: bool = True) -> str:
    lines = [TITLE, *OPENING, caption, *table]
    if end:
        lines += SIGNATURE
        return "\n".join(lines) + "\n"
    return "\n".join(lines)  # a page stored only up to a length: no last newline


def cells(*rows: tuple) -> list[str]:
    return [f"{cell} |" for row in rows for cell in row]


def cell_stream() -> str:
    """One cell per line ending in ` |`, no `|||` row separators, then a
    second table whose header the vocabulary does not know."""
    first = cells(
        ("单位", "报送数", "采用数"),
        ("市水务局", 14, 9),
        ("市档案局", 7, 7),
        ("市气象局", 0, 0),
        ("市供销社", 5, 3),
        ("合计", 26, 19),
    )
    second = cells(
        ("承办单位", "受理(件)", "办结(件)"),
        ("青溪区政府", 11, 10),
        ("白石县政府", 4, 4),
        ("市住建局", 6, 5),
    )
    return bulletin("2022年第二季度信息报送情况表", first + ["附件2", "2022年第二季度来信办理情况表"] + second)


def cell_stream_groups() -> str:
    """One cell per line without row separators, with one-cell group lines:
    one above the header (as seed 000 prints it) and one between rows."""
    stream = cells(
        ("县(市、区)",),
        ("排名", "单位", "报送数", "采用数", "得分"),
        (1, "白石县", 40, 32, 320),
        (2, "青溪区", 35, 30, 300),
        ("市直部门",),
        (1, "市水务局", 14, 9, 90),
        (2, "市档案局", 7, 7, 70),
        (3, "市供销社", 5, 3, 30),
    )
    return bulletin("2022年第二季度信息采用排名表", stream)


def pipe_rows() -> str:
    """Pipe rows without a leading pipe."""
    rows = [
        "排名 | 单位 | 报送数 | 采用数 | 得分 |",
        "1 | 市水务局 | 30 | 25 | 250 |",
        "2 | 市档案局 | 22 | 20 | 200 |",
        "3 | 市气象局 | 18 | 11 | 110 |",
    ]
    return bulletin("2022年第二季度信息报送排名表", rows)


def cell_paragraphs() -> str:
    """One cell per paragraph: a blank line between cells, no pipes at all."""
    grid = [("单位", "报送数", "采用数"), ("市水务局", "14", "9"), ("市档案局", "7", "—"), ("市供销社", "5", "3")]
    table = []
    for row in grid:
        for cell in row:
            table += [cell, ""]
    return bulletin("2022年第二季度信息报送情况表", [""] + table)


def empty_cell_breaks() -> str:
    """One cell per line, each row closed by an empty cell (`|` alone)."""
    stream = []
    for row in [("单位", "报送数", "采用数"), ("市水务局", 14, 9), ("市档案局", 7, 7), ("市供销社", 5, 3)]:
        stream += [f"{cell} |" for cell in row] + ["|"]
    return bulletin("2022年第二季度信息报送情况表", stream)


def merged_headers() -> str:
    """A header merged over two rows, then one merged over three, each merged
    cell printed once and the row padded with empty cells at its end."""
    two = [
        "单位 | 信息报送 | 得分 | |",
        "报送数 | 采用数 | | |",
        "市水务局 | 14 | 9 | 45 |",
        "市档案局 | 7 | 7 | 35 |",
    ]
    three = [
        "单位 | 考核情况 | 总分 | | | |",
        "信息报送 | 网站维护 | | | | |",
        "报送数 | 采用数 | 更新数 | 回复率 | | |",
        "市水务局 | 14 | 9 | 120 | 100% | 88 |",
        "市档案局 | 7 | 7 | 64 | 95% | 71 |",
    ]
    return bulletin("2022年第二季度信息报送情况表", two + ["附件2", "2022年第二季度网站考核情况表"] + three)


def caption_row() -> str:
    """Markdown rows indented by blanks, whitespace-only lines between rows,
    and the table's title printed as its first row."""
    rows = [
        " ",
        "   ",
        "    | 2022年第二季度信息报送情况统计表 |  | ",
        "   ",
        "    | 序号 | 单位 | 报送数 | 采用数 | 得分 | ",
        "   ",
        "    | 1 | 市水务局 | 14 | 9 | 45 | ",
        "   ",
        "    | 2 | 市档案局 | 7 | 7 | 35 | ",
        "   ",
        "    | 3 | 市供销社 | 5 | 3 | 15 |",
    ]
    return bulletin(" 附件:", rows)


def cell_stream_caption() -> str:
    """One cell per line, the table's title printed as its first cell."""
    stream = cells(("2022年第二季度信息报送情况统计表",), ("单位", "报送数", "采用数"), ("市水务局", 14, 9), ("市档案局", 7, 7))
    return bulletin("附件1", stream)


def truncated_cells() -> str:
    """A cell-per-line table cut off inside a cell at the end of the page."""
    stream = cells(("序号", "单位", "报送数", "采用数"), (1, "市水务局", 14, 9), (2, "市档案局", 7, 7), (3,))
    return bulletin("2022年第二季度信息报送情况表", stream + ["市供销"], end=False)


def truncated_pipe_rows() -> str:
    """Markdown rows whose last row stops before its closing pipe."""
    rows = [
        "| 序号 | 单位 | 报送数 | 采用数 |",
        "| 1 | 市水务局 | 14 | 9 |",
        "| 2 | 市档案局 | 7 | 7 |",
        "| 3 | 市供销社 | 5",
    ]
    return bulletin("2022年第二季度信息报送情况表", rows, end=False)


def truncated_header() -> str:
    """A cell-per-line table whose page stops inside its header."""
    stream = cells(("序号", "网站名称", "网站地址"))
    return bulletin("2022年第二季度网站抽查情况表", stream + ["是否"], end=False)


def tab_group_ties() -> str:
    """A tab-separated header, a one-cell group line right under it, and tie ranks."""
    rows = [
        "名次\t单位\t报送数\t采用数\t得分",
        "县(市、区)",
        "1\t白石县\t40\t32\t320",
        "2\t青溪区\t35\t30\t300",
        "并列3\t云岭县\t20\t18\t180",
        "并列3\t河口区\t21\t18\t180",
        "市直部门",
        "1\t市水务局\t14\t9\t90",
        "2\t市档案局\t7\t7\t70",
    ]
    return bulletin("2022年第二季度信息采用排名表", rows)


FIXTURES = {
    "synthetic_webcopy_cell_stream.txt": cell_stream,
    "synthetic_webcopy_cell_stream_groups.txt": cell_stream_groups,
    "synthetic_webcopy_pipe_rows.txt": pipe_rows,
    "synthetic_webcopy_cell_paragraphs.txt": cell_paragraphs,
    "synthetic_webcopy_empty_cell_breaks.txt": empty_cell_breaks,
    "synthetic_webcopy_merged_headers.txt": merged_headers,
    "synthetic_webcopy_caption_row.txt": caption_row,
    "synthetic_webcopy_cell_stream_caption.txt": cell_stream_caption,
    "synthetic_webcopy_truncated_cells.txt": truncated_cells,
    "synthetic_webcopy_truncated_pipe_rows.txt": truncated_pipe_rows,
    "synthetic_webcopy_truncated_header.txt": truncated_header,
    "synthetic_webcopy_tab_group_ties.txt": tab_group_ties,
}


def main() -> None:
    TEXT.mkdir(parents=True, exist_ok=True)
    for name, make in FIXTURES.items():
        (TEXT / name).write_bytes(make().encode("utf-8"))


if __name__ == "__main__":
    main()
