"""Generate the Excel fixtures: a synthetic ranking workbook given alone.

Run from the repository root: `python scripts/make_xlsx_fixtures.py`.
Writes fixtures/xlsx/. The outputs are committed; this script is how they
were made (openpyxl, already a dependency for `tongbao export`). Content is
invented; the shapes are those of published annexes: a merged title row
above the header, a group row merged across the table, numbers typed as
text in one sheet and as numbers in the other, a 合计 row, and a hidden
sheet of working notes that is not printed.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "xlsx"
NAME = "赣州市2021年第三季度政府网站信息报送情况_synthetic.xlsx"


def workbook() -> Workbook:
    wb = Workbook()
    counties = wb.active
    counties.title = "县(市、区)"
    counties.append(["2021年第三季度政府网站信息报送情况排名表"])
    counties.merge_cells("A1:E1")
    counties.append(["排名", "单位", "报送", "采用", "得分"])
    counties.append(["县(市、区)政府"])
    counties.merge_cells("A3:E3")
    for row in (("1", "章贡区", "112", "90", "2250"), ("2", "南康区", "95", "71", "1775"), ("3", "赣县区", "40", "22", "550")):
        counties.append(list(row))  # numbers stored as text, as many offices type them
    departments = wb.create_sheet("市直部门")
    departments.append(["2021年第三季度市直部门政府网站信息报送情况排名表"])
    departments.merge_cells("A1:E1")
    departments.append(["排名", "单位", "报送", "采用", "得分"])
    for row in ((1, "市公安局", 60, 51, 1275), (2, "市教育局", 33, 30, 750), (3, "市民政局", 12, 9, 225)):
        departments.append(list(row))
    departments.append(["合计", None, 105, 90, 2250])
    departments.merge_cells("A6:B6")
    notes = wb.create_sheet("工作底稿")
    notes.append(["排名", "单位", "报送"])
    notes.append([1, "草稿单位", 999])
    notes.sheet_state = "hidden"
    return wb


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    workbook().save(OUT / NAME)
    print(f"wrote {OUT / NAME}")


if __name__ == "__main__":
    main()
