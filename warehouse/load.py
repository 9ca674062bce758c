"""Write one bulletin, or one rejection, to the warehouse.

A bulletin is loaded in a single transaction: its previous rows (from an
older parser) are deleted and the new ones inserted together, so a crash
leaves the warehouse as it was before that bulletin. Values always travel as
parameters or DataFrames; no SQL is built from document text.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

import duckdb

from . import copies
from .schema import PER_BULLETIN_TABLES, column_names

def loaded_versions(con: duckdb.DuckDBPyConnection, ids: list[str] | None = None) -> dict[str, tuple[str, str]]:
    """Return bulletin_id -> (parser_version, source_file) for every loaded
    bulletin, or only for those among `ids`."""
    # Copies of a bulletin that are not its canonical copy count as loaded too.
    sql = ("SELECT * FROM (SELECT bulletin_id, parser_version, source_file FROM bulletins UNION ALL "
           "SELECT copy_id, parser_version, source_file FROM bulletin_copies WHERE NOT is_canonical)")
    params: list = []
    if ids is not None:
        if not ids:
            return {}
        sql += " WHERE bulletin_id IN (SELECT unnest(?))"
        params = [list(ids)]
    return {bid: (version, source) for bid, version, source in con.execute(sql, params).fetchall()}


def load_bulletin(con: duckdb.DuckDBPyConnection, prepared, now: datetime | None = None, exists: bool | None = None) -> str:
    """Given a prepared bulletin, load it in one transaction and return
    `loaded` (new) or `replaced` (an older parse was swapped out). A caller
    that has just read which bulletins exist, on this same connection, may
    pass `exists` and save a query per bulletin."""
    now = now or _now()
    con.execute("BEGIN TRANSACTION")
    try:
        existed = exists if exists is not None else con.execute(
            "SELECT count(*) FROM bulletins WHERE bulletin_id = ?", [prepared.bulletin_id]).fetchall()[0][0] or \
            con.execute("SELECT count(*) FROM bulletin_copies WHERE copy_id = ?", [prepared.bulletin_id]).fetchall()[0][0]
        if existed:
            for table in PER_BULLETIN_TABLES:
                con.execute(f"DELETE FROM {table} WHERE bulletin_id = ?", [prepared.bulletin_id])
            con.execute("DELETE FROM bulletins WHERE bulletin_id = ?", [prepared.bulletin_id])
            copies.forget_copy(con, prepared.bulletin_id)
        if not copies.place(con, prepared, now).canonical:
            con.execute("COMMIT")  # a copy of a loaded bulletin: its cells are kept, its facts not counted again
            return "replaced" if existed else "loaded"
        _insert(con, "bulletins", [{**prepared.bulletin, "ingested_at": now}])
        _insert(con, "unit_metrics", prepared.unit_metrics)
        _insert(con, "bulletin_tables", prepared.bulletin_tables)
        _insert(con, "table_totals", prepared.table_totals)
        _insert(con, "bulletin_statistics", prepared.bulletin_statistics)
        _insert(con, "unit_findings", [_with_period_key(row) for row in prepared.unit_findings])
        _insert(con, "table_cells", prepared.table_cells)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return "replaced" if existed else "loaded"


def record_rejection(
    con: duckdb.DuckDBPyConnection,
    source_file: str,
    content_sha256: str | None,
    reason: str,
    message: str,
    parser_version: str,
    now: datetime | None = None,
) -> None:
    """Given a document that could not be loaded, append it to the rejection log."""
    con.execute(
        "INSERT INTO rejection_log VALUES (?, ?, ?, ?, ?, ?)",
        [source_file, content_sha256, reason, message, now or _now(), parser_version],
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert rows with one statement whose parameters are whole columns:
    DuckDB's cost is per statement (about 1.5 ms), so a bulletin's rows go
    in as one INSERT per table, whatever their number."""
    if not rows:
        return
    columns = column_names(table)
    con.execute(_column_insert_sql(table, len(columns)), [[row.get(c) for row in rows] for c in columns])


@lru_cache(maxsize=None)
def _column_insert_sql(table: str, width: int) -> str:
    return f"INSERT INTO {table} SELECT " + ", ".join(f"unnest(${i})" for i in range(1, width + 1))


def _with_period_key(row: dict) -> dict:
    """Given a fact row, return it with `period_key` (year * 10 + quarter, NULL
    without a quarter), as the marts key periods."""
    year, quarter = row.get("period_year"), row.get("period_quarter")
    return {**row, "period_key": year * 10 + quarter if year is not None and quarter is not None else None}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
