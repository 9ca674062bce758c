"""Read Excel workbooks (.xlsx, and legacy .xls) into the document model.

Offices put ranking tables in Excel annexes: a merged title row above the
header (`2020年第三季度…排名表`), sometimes a `(统计时间:…)` line, merged
group cells, several sheets, and numbers typed as text. python-calamine (Rust
calamine) reads both formats fast and reports merged ranges for both.

Reading rules, chosen so a sheet gives the same facts as the same table in
DOCX or text:

* Every visible worksheet is read in workbook order (hidden sheets are not
  printed and are skipped, with a note); each sheet's rows become blocks,
  origin ``page`` = sheet number and ``line`` = row number (both 1-based).
* Merged ranges are expanded the way ``parsers.docx_reader`` expands Word
  merges: across a range the text comes once followed by empty strings,
  down a range it repeats in every row.
* A run of rows between blank rows is one block. Its leading and trailing
  rows with a single filled cell (the merged title row, a 统计时间 line, a
  signature; not a short figure-free row that may be a group row) are Paragraphs, so they bind as the caption or prose; the rest
  is a Table. ``parsers.structure`` joins blocks that continue one table.
* Values: text as typed (numbers stored as text stay text and are read as
  numbers later, like any printed cell); whole numbers without `.0`;
  other numbers in Python's shortest repr; dates as ISO dates.
* A workbook alone is a bulletin: its file name (without extension) goes to
  ``page_info["file_name"]`` for the metadata reader, which uses it when the
  title row names no city or period.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from .deadline import check_deadline
from .errors import Corrupt, Encrypted, TooLarge
from .limits import Limits
from .model import Document, Origin, Paragraph, Row, Table
from .textnorm import clean_name

_GROUP_MAX_CHARS = 12


def read_xlsx(data: bytes, source: str, sha256: str, limits: Limits = Limits()) -> Document:
    """Given a workbook's bytes (.xlsx or .xls), return its document model."""
    workbook = _open(data, source, limits)
    blocks: list[Paragraph | Table] = []
    notes = []
    try:
        for number, meta in enumerate(workbook.sheets_metadata, start=1):
            if str(meta.visible) != str(type(meta.visible).Visible) or str(meta.typ) != str(type(meta.typ).WorkSheet):
                notes.append(f"sheet {number} {meta.name!r} skipped ({meta.visible}, {meta.typ})")
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            grid = sheet_grid(sheet, source, number, limits)
            blocks.extend(grid_blocks(grid, number))
            notes.append(f"sheet {number} {meta.name!r}: {len(grid)} rows")
            check_deadline()
    except (TooLarge, Corrupt):
        raise
    except Exception as exc:  # calamine errors on a damaged sheet
        raise Corrupt(_corrupt_message(source, exc)) from exc
    finally:
        workbook.close()
    doc = Document(source=source, format=_format(data), sha256=sha256, blocks=blocks)
    stem = file_stem(source)
    if stem:
        doc.page_info["file_name"] = stem
    doc.notes.extend(notes)
    return doc


def file_stem(source: str) -> str:
    """Given a path or URL, return its last name without extension, URL-decoded."""
    path = urlsplit(source).path if "://" in source else source
    return unquote(PurePosixPath(path.replace("\\", "/")).stem)


def _format(data: bytes) -> str:
    return "xls" if data.startswith(b"\xd0\xcf\x11\xe0") else "xlsx"


def _open(data: bytes, source: str, limits: Limits):
    from python_calamine import CalamineWorkbook

    if data.startswith(b"PK"):
        from .docx_reader import check_package

        check_package(data, source, limits)  # the same ZIP-bomb and DTD checks as DOCX
    else:
        from .legacy_word import ole_streams

        if "EncryptedPackage" in ole_streams(data, source):
            raise Encrypted(f"{source} is a password-protected Excel workbook; ask the publisher for an "
                            "unprotected copy, or open it with the password and save it again without one.")
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # CalamineError, password-protected xls, truncated files ...
        message = str(exc)
        if "password" in message.lower() or "encrypt" in message.lower():
            raise Encrypted(f"{source} is a password-protected Excel workbook ({message}); ask the publisher "
                            "for an unprotected copy.") from exc
        raise Corrupt(_corrupt_message(source, exc)) from exc


def _corrupt_message(source: str, exc: BaseException) -> str:
    return (f"{source} is not a readable Excel workbook ({type(exc).__name__}: {exc}); "
            "open it in Excel or WPS and save it again as XLSX, or export the table as PDF.")


def sheet_grid(sheet, source: str, number: int, limits: Limits) -> list[list[str]]:
    """Given a calamine sheet, return its cells as text from A1, merged
    ranges expanded (text once across, repeated down)."""
    if sheet.total_height * max(sheet.total_width, 1) > limits.max_cells_per_table * 4:
        raise TooLarge(
            f"{source}: sheet {number} {sheet.name!r} spans {sheet.total_height:,} rows x {sheet.total_width} "
            f"columns, over 4 x the max_cells_per_table limit of {limits.max_cells_per_table:,}."
        )
    grid = [[cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]
    width = max((len(r) for r in grid), default=0)
    for row in grid:
        row.extend([""] * (width - len(row)))
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        if top >= len(grid) or left >= width:
            continue
        text = grid[top][left]
        for r in range(top, min(bottom, len(grid) - 1) + 1):
            for c in range(left, min(right, width - 1) + 1):
                grid[r][c] = text if c == left else ""
    return grid


def cell_text(value) -> str:
    """Given a calamine cell value, return it as printed text."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def grid_blocks(grid: list[list[str]], sheet_number: int) -> list[Paragraph | Table]:
    """Given a sheet's grid, return its blocks: runs between blank rows, with
    leading/trailing one-cell rows as paragraphs and the rest as a table."""
    blocks: list[Paragraph | Table] = []
    run: list[int] = []
    for index, row in enumerate(grid + [[]]):
        if any(c.strip() for c in row):
            run.append(index)
            continue
        if run:
            blocks.extend(_run_blocks(grid, run, sheet_number))
        run = []
    return blocks


def _run_blocks(grid: list[list[str]], run: list[int], sheet: int) -> list[Paragraph | Table]:
    def filled(i: int) -> list[str]:
        return [c for c in grid[i] if c.strip()]

    start, end = 0, len(run)
    while start < end and len(filled(run[start])) == 1 and not _is_group(filled(run[start])[0]):
        start += 1
    while end > start and len(filled(run[end - 1])) == 1:
        end -= 1
    out: list[Paragraph | Table] = []
    out.extend(Paragraph(filled(i)[0], Origin(page=sheet, line=i + 1)) for i in run[:start])
    if start < end:
        width = max(_last_filled(grid[i]) for i in run[start:end]) + 1
        rows = [Row(grid[i][:width], Origin(page=sheet, line=i + 1)) for i in run[start:end]]
        out.append(Table(rows=rows, origin=Origin(page=sheet, line=run[start] + 1)))
    out.extend(Paragraph(filled(i)[0], Origin(page=sheet, line=i + 1)) for i in run[end:])
    return out


def _is_group(text: str) -> bool:
    """A one-cell row above the header that may be a group row (`县(市)政府`:
    short, no figure, no bracketed note) stays in the table, where the
    interpretation reads it as a group; a title, a 统计时间 line or a date
    row (a figure, or longer) is a paragraph."""
    name = clean_name(text)
    return len(name) <= _GROUP_MAX_CHARS and not re.search(r"\d|[一二三四]季度|年", name) and not name.startswith("(")


def _last_filled(row: list[str]) -> int:
    for index in range(len(row) - 1, -1, -1):
        if row[index].strip():
            return index
    return 0
