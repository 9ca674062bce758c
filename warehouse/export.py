"""Write one model to a file analysts open in Excel, pandas or R.

Many analysts of these bulletins live in Excel: an xlsx gets the Chinese
column labels from the data dictionary (and a sheet explaining each column),
and a CSV starts with a UTF-8 byte-order mark so Excel does not read Chinese
as mojibake. Parquet keeps the types for everyone else.

Only a model name from `sql/` is ever put into SQL text; the city and year
filters are bound parameters.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from .models import SQL_DIR, discover_models, read_model_doc

FORMATS = ("csv", "parquet", "xlsx")
BATCH_ROWS = 10_000
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row


class ExportError(ValueError):
    """The export was asked for something that cannot be done; the message says what."""


def format_for(path: Path | None, fmt: str | None) -> str:
    """Given the output path and --format (or None), return the format: the one
    asked for, else the path's suffix when it names one (`x.xlsx`), else csv."""
    if fmt:
        return fmt
    suffix = path.suffix.lower().lstrip(".") if path else ""
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
    if (city is not None or year is not None) and not con.execute(f"SELECT count(*) FROM ({sql}) AS x", params).fetchall()[0][0]:
        raise ExportError(_nothing_matches(con, model, columns, city, year))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        if fmt == "parquet":
            con.sql(sql, params=params).write_parquet(str(partial))
            count = con.execute(f"SELECT count(*) FROM ({sql}) AS exported", params).fetchone()[0]
        elif fmt == "csv":
            count = _write_csv(con.execute(sql, params), columns, partial)
        else:
            count = _write_xlsx(con.execute(sql, params), columns, partial, model, read_model_doc(models[model]))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return count


def _nothing_matches(con, model: str, columns: list[str], city: str | None, year: int | None) -> str:
    asked = " and ".join(f for f in (f"--city {city}" if city is not None else "",
                                     f"--year {year}" if year is not None else "") if f)
    hint = ""
    if city is not None and "city" in columns:
        cities = [r[0] for r in con.execute(f'SELECT DISTINCT city FROM "{model}" WHERE city IS NOT NULL ORDER BY city').fetchall()]
        hint = f"; cities in {model}: {', '.join(cities[:20]) or 'none'}"
    return f"no row of {model} matches {asked}; nothing written{hint}"


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
            writer.writerows(rows)
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
    labels = {c.name: c for c in doc.columns} if doc else {}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(model[:31])
    sheet.freeze_panes = "A2"
    header = [labels[c].label_zh if c in labels else c for c in columns]
    for i, label in enumerate(header, start=1):  # CJK characters are about two columns wide
        sheet.column_dimensions[get_column_letter(i)].width = min(40, max(10, 2 * len(label) + 4))
    sheet.append(header)
    rates = [i for i, c in enumerate(columns) if c.endswith("_rate")]
    count = 0
    for rows in _batches(result):
        if count + len(rows) > XLSX_MAX_ROWS:
            raise ExportError(f"{model} has more rows than an Excel sheet holds; filter with --city/--year or use csv/parquet")
        for row in rows:
            values = list(row)
            for i in rates:
                if values[i] is not None:
                    values[i] = WriteOnlyCell(sheet, value=values[i])
                    values[i].number_format = "0.0%"
            sheet.append(values)
        count += len(rows)
    notes = workbook.create_sheet("字段说明")
    notes.append(["中文", "column", "type", "meaning"])
    for c in columns:
        entry = labels.get(c)
        notes.append([entry.label_zh if entry else c, c, entry.type if entry else "", entry.meaning if entry else ""])
    workbook.save(str(path))
    return count
