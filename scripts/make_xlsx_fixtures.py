"""Generate the Excel fixtures: a synthetic ranking workbook given alone.

Run from the repository root: `python scripts/make_xlsx_fixtures.py [--xls]`.
Writes fixtures/xlsx/. The outputs are committed; this script is how they
were made (openpyxl, already a dependency for `tongbao export`). Content is
invented; the shapes are those of published annexes: a merged title row
above the header, a group row merged across the table, numbers typed as
text in one sheet and as numbers in the other, a 合计 row, and a hidden
sheet of working notes that is not printed.

The legacy `.xls` twin (Excel 97-2003, BIFF8) is written with xlwt, needed
for generation only (`pip install xlwt==1.3.0`; the output is committed, so
tests and CI need none): the same first sheet, a merged title row and a
merged group row, numbers typed as text.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "fixtures" / "xlsx"
NAME = "赣州市2021年第三季度政府网站信息报送情况_synthetic.xlsx"
XLS_NAME = "赣州市2021年第三季度县区政府网站信息报送情况_synthetic.xls"
COUNTY_ROWS = (("1", "章贡区", "112", "90", "2250"), ("2", "南康区", "95", "71", "1775"), ("3", "赣县区", "40", "22", "550"))


def workbook() -> Workbook:
    wb = Workbook()
    counties = wb.active
    counties.title = "县(市、区)"
    counties.append(["2021年第三季度政府网站信息报送情况排名表"])
    counties.merge_cells("A1:E1")
    counties.append(["排名", "单位", "报送", "采用", "得分"])
    counties.append(["县(市、区)政府"])
    counties.merge_cells("A3:E3")
    for row in COUNTY_ROWS:
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


def legacy_workbook(path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("县(市、区)")
    sheet.write_merge(0, 0, 0, 4, "2021年第三季度政府网站信息报送情况排名表")
    for col, text in enumerate(["排名", "单位", "报送", "采用", "得分"]):
        sheet.write(1, col, text)
    sheet.write_merge(2, 2, 0, 4, "县(市、区)政府")
    for r, row in enumerate(COUNTY_ROWS, start=3):
        for col, text in enumerate(row):
            sheet.write(r, col, text)
    book.save(str(path))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    workbook().save(OUT / NAME)
    print(f"wrote {OUT / NAME}")
    if "--xls" in sys.argv:
        legacy_workbook(OUT / XLS_NAME)
        print(f"wrote {OUT / XLS_NAME}")


if __name__ == "__main__":
    main()
