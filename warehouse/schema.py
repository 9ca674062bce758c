"""The warehouse's loaded tables and contract views.

Names and columns of `bulletins`, `unit_metrics`, `bulletin_statistics`,
`unit_findings` and `rejections` are the public contract
(shared/design/warehouse-contract.md): add columns, never rename.
"""

from __future__ import annotations

import duckdb

SCHEMA_VERSION = 1

TABLES = {
    "bulletins": """
        bulletin_id VARCHAR PRIMARY KEY,
        city VARCHAR,
        issuer VARCHAR,
        doc_number VARCHAR,
        title VARCHAR,
        published_date DATE,
        period_year INTEGER,
        period_quarter INTEGER,
        source_file VARCHAR,
        format VARCHAR,
        parser_version VARCHAR,
        ingested_at TIMESTAMP,
        tables_found INTEGER,
        warnings VARCHAR,
        ocr BOOLEAN,
        ocr_confidence DOUBLE,
        period_grain VARCHAR,
        period_start DATE,
        period_end DATE,
        period_month INTEGER,
        admin_level VARCHAR,
        prefecture VARCHAR,
        province VARCHAR,
        admin_code VARCHAR,
        published_date_source VARCHAR
    """,
    "unit_metrics": """
        bulletin_id VARCHAR,
        table_index INTEGER,
        city VARCHAR,
        period_year INTEGER,
        period_quarter INTEGER,
        unit_group VARCHAR,
        unit_raw VARCHAR,
        unit_name VARCHAR,
        unit_function VARCHAR,
        unit_kind VARCHAR,
        metric VARCHAR,
        value DOUBLE,
        value_raw VARCHAR,
        header_raw VARCHAR,
        row_index INTEGER,
        match_rule VARCHAR,
        match_score DOUBLE,
        source_line INTEGER,
        source_page INTEGER,
        scope VARCHAR,
        outlet VARCHAR,
        evidence VARCHAR,
        col_index INTEGER,
        sentence VARCHAR,
        ocr_confidence DOUBLE,
        period_grain VARCHAR,
        period_start DATE,
        period_end DATE,
        period_month INTEGER
    """,
    # Every printed cell of every table; unit_metrics is its interpretation,
    # re-derived from here when the vocabulary changes (warehouse/vocabulary.py).
    "table_cells": """
        bulletin_id VARCHAR,
        table_index INTEGER,
        row_index INTEGER,
        col_index INTEGER,
        header_raw VARCHAR,
        row_role VARCHAR,
        unit_raw VARCHAR,
        text VARCHAR,
        number DOUBLE,
        source_line INTEGER,
        source_page INTEGER,
        unit_group VARCHAR,
        unit_row INTEGER,
        col_role VARCHAR,
        ocr_confidence DOUBLE
    """,
    "bulletin_tables": """
        bulletin_id VARCHAR,
        table_index INTEGER,
        caption VARCHAR,
        period_year INTEGER,
        period_quarter INTEGER,
        columns VARCHAR,
        unit_rows INTEGER,
        source_line INTEGER,
        source_page INTEGER,
        period_grain VARCHAR,
        period_start DATE,
        period_end DATE,
        period_month INTEGER,
        source_file VARCHAR
    """,
    "table_totals": """
        bulletin_id VARCHAR,
        table_index INTEGER,
        label_raw VARCHAR,
        metric VARCHAR,
        value DOUBLE,
        value_raw VARCHAR,
        source_line INTEGER,
        source_page INTEGER,
        ocr_confidence DOUBLE
    """,
    "bulletin_statistics": """
        bulletin_id VARCHAR,
        city VARCHAR,
        period_year INTEGER,
        period_quarter INTEGER,
        statistic VARCHAR,
        value DOUBLE,
        sentence VARCHAR,
        label VARCHAR,
        source_line INTEGER,
        source_page INTEGER,
        source_block INTEGER,
        ocr_confidence DOUBLE,
        period_grain VARCHAR,
        period_start DATE,
        period_end DATE,
        period_month INTEGER
    """,
    "unit_findings": """
        bulletin_id VARCHAR,
        city VARCHAR,
        period_year INTEGER,
        period_quarter INTEGER,
        unit_raw VARCHAR,
        unit_name VARCHAR,
        unit_function VARCHAR,
        unit_kind VARCHAR,
        finding VARCHAR,
        sentence VARCHAR,
        evidence VARCHAR,
        match_rule VARCHAR,
        match_score DOUBLE,
        source_line INTEGER,
        source_page INTEGER,
        label VARCHAR,
        polarity VARCHAR,
        subject_kind VARCHAR,
        subject_name VARCHAR,
        platform VARCHAR,
        source_block INTEGER,
        ocr_confidence DOUBLE,
        period_grain VARCHAR,
        period_start DATE,
        period_end DATE,
        period_month INTEGER,
        period_key INTEGER
    """,
    "rejection_log": """
        source_file VARCHAR,
        content_sha256 VARCHAR,
        reason VARCHAR,
        message VARCHAR,
        rejected_at TIMESTAMP,
        parser_version VARCHAR
    """,
    # Best catalog candidates of the unit names that need review; refreshed by
    # warehouse.unit_identities.reapply_units (after every ingest and `tongbao units --apply`).
    "unit_candidates": """
        city VARCHAR,
        unit_raw VARCHAR,
        rank INTEGER,
        candidate_code VARCHAR,
        candidate_name VARCHAR,
        score DOUBLE
    """,
    # Where each document's bytes came from (a file path or URL), with the
    # HTTP validators used for conditional re-downloads; see ingest/rawstore.py.
    "source_documents": """
        content_sha256 VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        city VARCHAR,
        etag VARCHAR,
        last_modified VARCHAR,
        fetched_at TIMESTAMP,
        raw_path VARCHAR,
        final_url VARCHAR,
        PRIMARY KEY (content_sha256, source)
    """,
    # Closest vocabulary entries of each unmapped header and `other` statistic
    # label (rapidfuzz); refreshed by warehouse.vocabulary.refresh_candidates
    # after every ingest and `tongbao vocab --apply`, for the review models.
    "vocabulary_candidates": """
        kind VARCHAR,
        text VARCHAR,
        rank INTEGER,
        candidate_code VARCHAR,
        candidate_text VARCHAR,
        score DOUBLE
    """,
    # The analyst's decision files as last applied (unit aliases, vocabulary
    # overrides): re-applied after every load, so no ingest undoes them.
    "analyst_decisions": """
        kind VARCHAR PRIMARY KEY,
        path VARCHAR,
        content VARCHAR,
        applied_at TIMESTAMP
    """,
    # Every document of a bulletin (one row per copy, the canonical one too);
    # see warehouse/copies.py. bulletin_id is the canonical copy's id.
    "bulletin_copies": """
        bulletin_id VARCHAR,
        copy_id VARCHAR PRIMARY KEY,
        format VARCHAR,
        source_file VARCHAR,
        identity_key VARCHAR,
        is_canonical BOOLEAN,
        facts INTEGER,
        statements INTEGER,
        parser_version VARCHAR,
        loaded_at TIMESTAMP
    """,
    # The unit_metrics-level cells of the copies that are not canonical, for
    # the cell-for-cell comparison (model copy_disagreements).
    "copy_cells": """
        copy_id VARCHAR,
        table_index INTEGER,
        row_index INTEGER,
        period_year INTEGER,
        period_quarter INTEGER,
        unit_group VARCHAR,
        unit_raw VARCHAR,
        unit_name VARCHAR,
        metric VARCHAR,
        header_raw VARCHAR,
        value DOUBLE,
        value_raw VARCHAR,
        source_line INTEGER,
        source_page INTEGER,
        scope VARCHAR,
        outlet VARCHAR,
        col_index INTEGER
    """,
    "schema_info": """
        schema_version INTEGER
    """,
}

# Columns computed from others of the same row: filled on load (warehouse.load)
# and, for a warehouse made before the column existed, when ensure_schema adds it.
DERIVED_COLUMNS = {("unit_findings", "period_key"): "period_year * 10 + period_quarter"}

# Tables holding one bulletin's rows: replaced together when it is re-parsed.
PER_BULLETIN_TABLES = ("unit_metrics", "bulletin_tables", "table_totals", "bulletin_statistics", "unit_findings", "table_cells")

REJECTIONS_VIEW = """
CREATE OR REPLACE VIEW rejections AS
SELECT source_file, content_sha256, reason, message, rejected_at
FROM (
    SELECT *, row_number() OVER (PARTITION BY source_file ORDER BY rejected_at DESC) AS latest
    FROM rejection_log
) AS events
WHERE latest = 1
  AND (content_sha256 IS NULL OR content_sha256 NOT IN (SELECT bulletin_id FROM bulletins))
  AND (content_sha256 IS NULL OR content_sha256 NOT IN (SELECT copy_id FROM bulletin_copies))
  -- a file refused before its bytes were read (too large, unreadable) and loaded since
  AND NOT EXISTS (SELECT 1 FROM bulletins b WHERE b.source_file = events.source_file AND b.ingested_at >= events.rejected_at)
"""


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Given a read-write connection, create any missing table, column and view.

    Columns are only ever added (the contract grows, never renames), so a
    warehouse made by an older tongbao gains the new columns as NULLs."""
    for name, columns in TABLES.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        present = {row[0] for row in con.execute(f"DESCRIBE {name}").fetchall()}
        for column, column_type in _column_definitions(columns):
            if column not in present:
                con.execute(f"ALTER TABLE {name} ADD COLUMN {column} {column_type}")
                if (name, column) in DERIVED_COLUMNS:
                    con.execute(f"UPDATE {name} SET {column} = {DERIVED_COLUMNS[(name, column)]}")
    con.execute(REJECTIONS_VIEW)
    if con.execute("SELECT count(*) FROM schema_info").fetchone()[0] == 0:
        con.execute("INSERT INTO schema_info VALUES (?)", [SCHEMA_VERSION])


def _column_definitions(columns: str) -> list[tuple[str, str]]:
    """Given a table's column block, return (name, type) pairs, constraints skipped."""
    pairs = []
    for line in columns.strip().splitlines():
        words = line.strip().rstrip(",").split()
        if words and words[0].upper() not in ("PRIMARY", "UNIQUE", "CHECK", "FOREIGN"):
            pairs.append((words[0], words[1]))
    return pairs


def column_names(table: str) -> list[str]:
    return [name for name, _ in _column_definitions(TABLES[table])]
