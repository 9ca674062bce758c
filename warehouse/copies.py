"""One bulletin, however many copies: place each loaded document in its bulletin.

An office's bulletin reaches us as a PDF, a DOCX, a web page and a text copy:
four files, four sha256s, one bulletin. Counting each would triple every sum,
so documents with the same identity (``parsers.identity.identity_key``: city
+ document number, or city + period + title subject) are one bulletin:

* one copy is **canonical** — the most complete (see ``completeness``): its
  rows are the bulletin's rows in `bulletins`, `unit_metrics` and the other
  fact tables, under its own `bulletin_id`;
* every copy (the canonical one too) has a `bulletin_copies` row naming the
  canonical `bulletin_id`, its format and source;
* the cells of the other copies are kept in `copy_cells` (their
  `unit_metrics`-level rows), so the `copy_disagreements` model can compare
  them cell for cell with the canonical copy.

A later copy that is more complete takes over: the old canonical copy's rows
move to `copy_cells` and the new one loads as the bulletin. Everything runs
inside the caller's transaction (``warehouse.load.load_bulletin``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from parsers.identity import identity_key

# Tie-breaker between equally complete copies: formats that keep structure first.
FORMAT_RANK = {"docx": 6, "doc": 5, "pdf": 4, "xlsx": 3, "xls": 3, "html": 2, "text": 1}
CELL_COLUMNS = ("table_index", "row_index", "period_year", "period_quarter", "unit_group", "unit_raw",
                "unit_name", "metric", "header_raw", "value", "value_raw", "source_line", "source_page",
                "scope", "outlet", "col_index")


@dataclass(frozen=True)
class Placement:
    bulletin_id: str  # the canonical copy's id
    canonical: bool  # whether the document being loaded is it


def completeness(facts: int, statements: int, tables: int, fmt: str | None) -> tuple[int, int, int, int]:
    """Given a copy's counts, return its completeness, compared in order:
    figures read from tables (unit_metrics rows with a value), then figures
    and findings stated in the prose, then tables found, then the format
    (DOCX > DOC > PDF > XLSX/XLS > HTML > text)."""
    return facts, statements, tables, FORMAT_RANK.get(fmt or "", 0)


def key_of(bulletin: dict, tables: list[dict] = ()) -> str | None:
    """Given a bulletin row (and its table rows), return its copies' shared key. A
    bulletin that prints no title of its own is known by its first table's caption
    (the annex caption every copy of it prints)."""
    caption = next((t["caption"] for t in tables if t.get("caption")), None)
    # A caption's lines are joined with " / "; the line above the table names it (`附件1 / …排名表`).
    title = bulletin.get("title") or (caption.split(" / ")[-1] if caption else None)
    return identity_key(bulletin.get("city"), bulletin.get("doc_number"), title,
                        bulletin.get("period_year"), bulletin.get("period_quarter"))


def forget_copy(con: duckdb.DuckDBPyConnection, copy_id: str) -> None:
    """Remove a document's copy record and kept cells (before it is re-placed)."""
    con.execute("DELETE FROM copy_cells WHERE copy_id = ?", [copy_id])
    con.execute("DELETE FROM bulletin_copies WHERE copy_id = ?", [copy_id])


def place(con: duckdb.DuckDBPyConnection, prepared, now: datetime) -> Placement:
    """Given a prepared bulletin about to load, decide whether it is its
    bulletin's canonical copy (demoting a less complete one) or a copy of an
    existing bulletin; record its `bulletin_copies` row (and, for a copy, its
    cells). The caller loads the fact rows only for a canonical copy."""
    bulletin = prepared.bulletin
    own_id = prepared.bulletin_id
    key = key_of(bulletin, prepared.bulletin_tables)
    facts = sum(1 for r in prepared.unit_metrics if r.get("value") is not None)
    statements = len(prepared.bulletin_statistics) + len(prepared.unit_findings)
    mine = completeness(facts, statements, bulletin.get("tables_found") or 0, bulletin.get("format"))
    current = _canonical_for(con, key, own_id) if key else None
    canonical = current is None or mine > completeness(*current[1:])
    target = own_id if canonical else current[0]
    if canonical and current is not None:
        _demote(con, current[0], own_id)
    _record(con, target, own_id, bulletin, key, canonical, facts, statements, now)
    if not canonical:
        _keep_cells(con, own_id, prepared.unit_metrics)
    return Placement(target, canonical)


def _canonical_for(con, key: str, own_id: str):
    row = con.execute(
        """SELECT c.copy_id, c.facts, c.statements, b.tables_found, c.format
           FROM bulletin_copies c JOIN bulletins b ON b.bulletin_id = c.copy_id
           WHERE c.identity_key = ? AND c.is_canonical AND c.copy_id <> ?""", [key, own_id]).fetchall()
    return row[0] if row else None


def _demote(con, old_id: str, new_id: str) -> None:
    """Move the old canonical copy's rows out of the fact tables into
    copy_cells and point its bulletin's copies at the new canonical id."""
    from .schema import PER_BULLETIN_TABLES

    columns = ", ".join(CELL_COLUMNS)
    con.execute(f"INSERT INTO copy_cells SELECT ?, {columns} FROM unit_metrics WHERE bulletin_id = ?", [old_id, old_id])
    for table in PER_BULLETIN_TABLES:
        con.execute(f"DELETE FROM {table} WHERE bulletin_id = ?", [old_id])
    con.execute("DELETE FROM bulletins WHERE bulletin_id = ?", [old_id])
    con.execute("UPDATE bulletin_copies SET bulletin_id = ?, is_canonical = false WHERE bulletin_id = ?", [new_id, old_id])


def _record(con, target: str, own_id: str, bulletin: dict, key: str | None, canonical: bool,
            facts: int, statements: int, now: datetime) -> None:
    con.execute(
        "INSERT INTO bulletin_copies VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [target, own_id, bulletin.get("format"), bulletin.get("source_file"), key, canonical, facts, statements,
         bulletin.get("parser_version"), now],
    )


def _keep_cells(con, copy_id: str, rows: list[dict]) -> None:
    if not rows:
        return
    width = len(CELL_COLUMNS) + 1
    sql = "INSERT INTO copy_cells SELECT " + ", ".join(f"unnest(${i})" for i in range(1, width + 1))
    con.execute(sql, [[copy_id] * len(rows)] + [[r.get(c) for r in rows] for c in CELL_COLUMNS])
