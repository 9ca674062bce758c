"""Write one model to a file analysts open in Excel, pandas or R.

Many analysts of these bulletins live in Excel: an xlsx gets the Chinese
column labels from the data dictionary (and a sheet explaining each column),
and a CSV starts with a UTF-8 byte-order mark so Excel does not read Chinese
as mojibake. Parquet keeps the types for everyone else. Text that a
spreadsheet would run as a formula is neutralised (`cells.py`), and the file
is written under a temporary name and renamed when complete.

Only a model name from `sql/` is ever put into SQL text; the city and year
filters are bound parameters.
"""

from __future__ import annotations

import csv
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from .cells import neutralise_formula, xlsx_cell
from .models import SQL_DIR, discover_models, read_model_doc

FORMATS = ("csv", "parquet", "xlsx")
BATCH_ROWS = 10_000
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row


class ExportError(ValueError):
    """The export was asked for something that cannot be done; the message says what."""


class NothingToExport(ExportError):
    """The filters match no row; nothing was written (an existing file is kept)."""


def format_for(path: Path, fmt: str | None) -> str:
    """Given the output path and the --format asked for (or None), return the
    format: the one asked for, else the path's suffix (`x.xlsx` is Excel), else csv."""
    if fmt:
        return fmt.lower()
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "csv"


def export_model(
    con: duckdb.DuckDBPyConnection,
    model: str,
    path: Path,
    fmt: str = "csv",
    city: str | None = None,
    year: int | None = None,
    sql_dir: Path = SQL_DIR,
) -> int:
    """Given a model name, an output path, a format and optional city/year
    filters, write the model's rows there and return how many were written.
    A filter that matches no row is an ExportError, and the file (an earlier
    export, say) is left as it was: it is written whole or not at all."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    models = {m.name: m for m in discover_models(sql_dir)}
    if model not in models:
        raise ExportError(f"no model called {model!r}; models: {', '.join(sorted(models))}")
    columns = [row[0] for row in con.execute(f'DESCRIBE "{model}"').fetchall()]
    sql, params = _select(model, columns, city, year)
    _check_matches(con, model, columns, sql, params, city, year)
    path.parent.mkdir(parents=True, exist_ok=True)
    with replaced_whole(path) as tmp:
        if fmt == "parquet":
            relation = con.sql(sql, params=params)
            relation.write_parquet(str(tmp))
            return con.execute(f"SELECT count(*) FROM ({sql}) AS exported", params).fetchone()[0]
        result = con.execute(sql, params)
        if fmt == "csv":
            return _write_csv(result, columns, tmp)
        doc = read_model_doc(models[model])
        return _write_xlsx(result, columns, tmp, model, doc)


@contextmanager
def replaced_whole(path: Path) -> Iterator[Path]:
    """Yield a temporary name beside `path`; when the block succeeds, rename
    it over `path` (atomic), so a kill mid-export never leaves a truncated
    file where a good one was. On failure the temporary file is removed."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _select(model: str, columns: list[str], city: str | None, year: int | None) -> tuple[str, list]:
    where, params = [], []
    for column, value in (("city", city), ("period_year", year)):
        if value is None:
            continue
        if column not in columns:
            raise ExportError(f"model {model} has no {column} column to filter on")
        where.append(f"{column} = ?")
        params.append(value)
    order = [c for c in ("city", "period_year", "period_quarter", "unit_name", "unit_function") if c in columns]
    sql = f'SELECT * FROM "{model}"'
    if where:
        sql += " WHERE " + " AND ".join(where)
    if order:
        sql += " ORDER BY " + ", ".join(f"{c} NULLS LAST" for c in order)
    return sql, params


def _check_matches(con, model: str, columns: list[str], sql: str, params: list,
                   city: str | None, year: int | None) -> None:
    """Refuse, before any file is opened, a filter that matches no row, naming
    the values the model does have (`--city 吉林` when it holds `吉林市`)."""
    if not params or con.execute(f"SELECT count(*) FROM ({sql}) AS matched", params).fetchall()[0][0]:
        return
    asked = ", ".join(f"{flag} {value}" for flag, value in (("--city", city), ("--year", year)) if value is not None)
    known = []
    for column, value in (("city", city), ("period_year", year)):
        if value is not None:
            values = [str(v) for (v,) in con.execute(
                f'SELECT DISTINCT {column} FROM "{model}" WHERE {column} IS NOT NULL ORDER BY 1 LIMIT 30').fetchall()]
            known.append(f"{column}: {', '.join(values) or 'none'}")
    raise NothingToExport(f"no rows of {model} match {asked}; nothing written. The model has {'; '.join(known)}")


def _batches(result):
    while True:
        rows = result.fetchmany(BATCH_ROWS)
        if not rows:
            return
        yield rows


def _write_csv(result, columns: list[str], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for rows in _batches(result):
            writer.writerows([[neutralise_formula(v) for v in row] for row in rows])
            count += len(rows)
    return count


def _write_xlsx(result, columns: list[str], path: Path, model: str, doc) -> int:
    """Write an Excel sheet an analyst can read at once: Chinese headers,
    rates as percentages, columns as wide as their labels, the header frozen."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.utils import get_column_letter
    except ImportError as exc:  # pragma: no cover - openpyxl is a pinned dependency
        raise ExportError("xlsx export needs openpyxl: pip install openpyxl") from exc
    from .xlsx_layout import CODE_COLUMNS, PERCENT, code_label, column_widths, is_fraction_column, row_is_rate

    labels = {c.name: c for c in doc.columns} if doc else {}
    header = [labels[c].label_zh if c in labels else c for c in columns]
    fractions = [is_fraction_column(c) for c in columns]
    codes = [c in CODE_COLUMNS for c in columns]
    metric_at = columns.index("metric") if "metric" in columns else None
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(model[:31])
    sheet.freeze_panes = "A2"
    batches = _batches(result)
    first = next(batches, [])
    shown_first = [[code_label(v) if codes[i] else v for i, v in enumerate(row)] for row in first]
    for i, width in enumerate(column_widths(header, shown_first), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.append(header)

    def cells(row) -> list:
        rate_row = metric_at is not None and row_is_rate(row[metric_at])
        out = []
        for i, value in enumerate(row):
            if codes[i]:
                value = code_label(value)
            if isinstance(value, float) and (fractions[i] or (rate_row and columns[i] == "value")):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = PERCENT
                value = cell
            out.append(xlsx_cell(value))
        return out

    count = 0
    for rows in _chain(first, batches):
        if count + len(rows) > XLSX_MAX_ROWS:
            raise ExportError(f"{model} has more rows than an Excel sheet holds; filter with --city/--year or use csv/parquet")
        for row in rows:
            sheet.append(cells(row))
        count += len(rows)
    notes = workbook.create_sheet("字段说明")
    notes.append(["中文", "column", "type", "meaning"])
    for c in columns:
        entry = labels.get(c)
        notes.append([entry.label_zh if entry else c, c, entry.type if entry else "", entry.meaning if entry else ""])
    for i, width in enumerate((16, 28, 10, 80), start=1):
        notes.column_dimensions[get_column_letter(i)].width = width
    workbook.save(str(path))
    return count


def _chain(first: list, rest):
    if first:
        yield first
    yield from rest
