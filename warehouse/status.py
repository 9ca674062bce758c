"""What the warehouse holds, for `tongbao status` (table or JSON): loaded
bulletins, each bulletin's copies with their disagreements, and rejections.

Read-only and tolerant of a warehouse made by an older tongbao (no
`bulletin_copies` yet: every bulletin is its own only copy)."""

from __future__ import annotations

from datetime import datetime

import duckdb


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchall()[0][0])


def status_report(con: duckdb.DuckDBPyConnection, city: str | None = None, since: datetime | None = None,
                  rejected_only: bool = False) -> dict:
    """Given a connection, return {"bulletins": [...], "copies": [...], "rejections": [...]}:
    only `city`'s bulletins (exact name) and what was loaded or rejected `since`
    when given; no bulletins or copies when `rejected_only`."""
    bulletins = [] if rejected_only else _rows(con, """
        SELECT b.bulletin_id, b.city, b.period_year, b.period_quarter, b.format, b.source_file, b.parser_version,
               (SELECT count(*) FROM unit_metrics m WHERE m.bulletin_id = b.bulletin_id) AS unit_rows
        FROM bulletins b WHERE (? IS NULL OR b.city = ?) AND (? IS NULL OR b.ingested_at >= ?)
        ORDER BY b.city, b.period_year, b.period_quarter, b.source_file""", [city, city, since, since])
    shown = {b["bulletin_id"] for b in bulletins}
    copies: list[dict] = []
    if _exists(con, "bulletin_copies"):
        disagreeing = "(SELECT count(*) FROM copy_disagreements d WHERE d.copy_id = c.copy_id)" \
            if _exists(con, "copy_disagreements") else "NULL"
        copies = _rows(con, f"""
            SELECT c.bulletin_id, b.city, b.period_year, b.period_quarter, c.copy_id, c.format, c.source_file,
                   c.is_canonical, c.facts, CASE WHEN c.is_canonical THEN 0 ELSE {disagreeing} END AS disagreements
            FROM bulletin_copies c JOIN bulletins b ON b.bulletin_id = c.bulletin_id
            ORDER BY b.city, b.period_year, b.period_quarter, c.bulletin_id, NOT c.is_canonical, c.format, c.source_file""")
        copies = [c for c in copies if c["bulletin_id"] in shown]
    counts = {c["bulletin_id"]: 0 for c in copies}
    for copy in copies:
        counts[copy["bulletin_id"]] += 0 if copy["is_canonical"] else 1
    for bulletin in bulletins:
        bulletin["copies"] = counts.get(bulletin["bulletin_id"], 0)
    rejections = _rows(con, "SELECT source_file, reason, message, rejected_at FROM rejections "
                            "WHERE (? IS NULL OR rejected_at >= ?) ORDER BY rejected_at, source_file", [since, since])
    return {"bulletins": bulletins, "copies": copies, "rejections": rejections}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    result = con.execute(sql, params or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]
