"""Re-interpret the stored table cells with the vocabulary, without re-parsing.

`unit_metrics` rows read from tables are the interpretation of `table_cells`:
each unit row x figure column is one row, its `metric`, `scope` and `outlet`
given by the column's header (`parsers.vocab.interpret_header`, the analyst's
overrides first). When the vocabulary or the overrides change, this module
recomputes that interpretation from the stored cells in one transaction:
rows change code in place, columns that become figures gain rows, columns
mapped to `ignore` lose theirs. Per-unit identity columns are copied from the
unit's other rows; `reapply_units` runs afterwards and settles them.
"""

from __future__ import annotations

import duckdb
import pandas as pd
from rapidfuzz import fuzz, process

from parsers.table_facts import metric_meanings
from parsers.vocab import METRIC_CODES, HeaderMeaning, header_core, header_roles, interpret_header, statistic_phrases

SUGGESTION_FLOOR = 60.0  # rapidfuzz ratio (0-100) below which no code is suggested
MAX_SUGGESTIONS = 3

# A unit_metrics row that came from a table cell (old warehouses have no evidence column values).
_FROM_TABLE = "coalesce(m.evidence, 'table') = 'table' and m.col_index is not null"
_SAME_COLUMN = "m.bulletin_id = t.bulletin_id and m.table_index = t.table_index and m.col_index = t.col_index"


def reapply_vocabulary(con: duckdb.DuckDBPyConnection, overrides: dict[str, HeaderMeaning] | None = None) -> dict:
    """Given a read-write connection and the analyst's header overrides,
    re-derive every table-read `unit_metrics` row from `table_cells`; return
    counts of the rows changed, added and removed."""
    target = _target_columns(con, overrides or {})
    counts = {"columns": len(target), "changed": 0, "added": 0, "removed": 0}
    if target.empty:
        return counts
    con.register("_tongbao_vocab", target)
    con.execute("BEGIN TRANSACTION")
    try:
        t = "(SELECT bulletin_id, table_index, CAST(col_index AS INTEGER) AS col_index, CAST(metric AS VARCHAR) AS metric, " \
            "CAST(scope AS VARCHAR) AS scope, CAST(outlet AS VARCHAR) AS outlet FROM _tongbao_vocab)"
        counts["removed"] = _count_then(con, f"""
            DELETE FROM unit_metrics AS m WHERE {_FROM_TABLE}
              AND EXISTS (SELECT 1 FROM table_cells c WHERE c.bulletin_id = m.bulletin_id)
              AND NOT EXISTS (SELECT 1 FROM {t} AS t WHERE {_SAME_COLUMN})""")
        differs = "m.metric IS DISTINCT FROM t.metric OR m.scope IS DISTINCT FROM t.scope OR m.outlet IS DISTINCT FROM t.outlet"
        counts["changed"] = con.execute(
            f"SELECT count(*) FROM unit_metrics AS m JOIN {t} AS t ON {_SAME_COLUMN} WHERE {_FROM_TABLE} AND ({differs})"
        ).fetchone()[0]
        con.execute(f"""UPDATE unit_metrics AS m SET metric = t.metric, scope = t.scope, outlet = t.outlet
                        FROM {t} AS t WHERE {_SAME_COLUMN} AND {_FROM_TABLE} AND ({differs})""")
        counts["added"] = _add_missing(con, t)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_tongbao_vocab")
    return counts


def _target_columns(con: duckdb.DuckDBPyConnection, overrides: dict[str, HeaderMeaning]) -> pd.DataFrame:
    """Return, per stored table column, what its unit cells load as (only the
    columns that load): bulletin_id, table_index, col_index, metric, scope, outlet."""
    columns = con.execute(
        """SELECT bulletin_id, table_index, col_index, any_value(header_raw), bool_or(number IS NOT NULL),
                  bool_or(col_role IN ('unit', 'group'))
           FROM table_cells WHERE row_role = 'unit'
           GROUP BY bulletin_id, table_index, col_index ORDER BY bulletin_id, table_index, col_index"""
    ).fetchall()
    tables: dict[tuple, list] = {}
    for bid, table_index, col, header, numeric, structural in columns:
        tables.setdefault((bid, table_index), []).append((col, header or "", numeric, structural))
    rows = []
    for (bid, table_index), cols in tables.items():
        width = max(c for c, *_ in cols)
        meanings = [HeaderMeaning(None)] * width
        roles: list[str | None] = ["unit"] * width  # a column with no unit cell stored holds no figure
        numeric: set[int] = set()
        for col, header, is_numeric, structural in cols:
            meaning = HeaderMeaning("unit") if structural else interpret_header(header, overrides)
            meanings[col - 1], roles[col - 1] = meaning, meaning.role
            if is_numeric:
                numeric.add(col - 1)
        for col, meaning in enumerate(metric_meanings(meanings, roles, numeric), start=1):
            if meaning is not None:
                rows.append((bid, table_index, col, meaning.role, meaning.scope, meaning.outlet))
    frame = pd.DataFrame(rows, columns=["bulletin_id", "table_index", "col_index", "metric", "scope", "outlet"])
    return frame.astype(object).where(frame.notna(), None)


def _add_missing(con: duckdb.DuckDBPyConnection, target: str) -> int:
    """Insert a row for each unit cell of a target column that has none, copying
    the unit's identity from one of its other rows (or, for a unit with no
    other row, from its bulletin and table)."""
    missing = f"""
        SELECT c.*, t.metric AS new_metric, t.scope AS new_scope, t.outlet AS new_outlet
        FROM table_cells AS c JOIN {target} AS t
          ON c.bulletin_id = t.bulletin_id AND c.table_index = t.table_index AND c.col_index = t.col_index
        WHERE c.row_role = 'unit' AND NOT EXISTS (
            SELECT 1 FROM unit_metrics AS m
            WHERE m.bulletin_id = c.bulletin_id AND m.table_index = c.table_index
              AND m.row_index = c.unit_row AND m.col_index = c.col_index)"""
    before = con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0]
    con.execute(f"""
        INSERT INTO unit_metrics BY NAME
        SELECT s.* REPLACE (x.new_metric AS metric, x.number AS value, x.text AS value_raw, x.header_raw AS header_raw,
                            x.col_index AS col_index, x.new_scope AS scope, x.new_outlet AS outlet,
                            x.source_line AS source_line, x.source_page AS source_page, 'table' AS evidence,
                            x.ocr_confidence AS ocr_confidence)
        FROM ({missing}) AS x
        JOIN (SELECT * FROM unit_metrics AS m WHERE {_FROM_TABLE}
              QUALIFY row_number() OVER (PARTITION BY bulletin_id, table_index, row_index ORDER BY col_index) = 1) AS s
          ON s.bulletin_id = x.bulletin_id AND s.table_index = x.table_index AND s.row_index = x.unit_row""")
    con.execute(f"""
        INSERT INTO unit_metrics BY NAME
        SELECT x.bulletin_id, x.table_index, b.city, bt.period_year, bt.period_quarter, x.unit_group, x.unit_raw,
               x.unit_raw AS unit_name, 'other' AS unit_kind, x.new_metric AS metric, x.number AS value,
               x.text AS value_raw, x.header_raw, x.unit_row AS row_index, x.source_line, x.source_page,
               x.new_scope AS scope, x.new_outlet AS outlet, 'table' AS evidence, x.col_index, x.ocr_confidence
        FROM ({missing}) AS x
        JOIN bulletins AS b USING (bulletin_id)
        LEFT JOIN bulletin_tables AS bt ON bt.bulletin_id = x.bulletin_id AND bt.table_index = x.table_index""")
    return con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0] - before


def _count_then(con: duckdb.DuckDBPyConnection, delete_sql: str) -> int:
    """Run a DELETE and return how many rows it removed."""
    before = con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0]
    con.execute(delete_sql)
    return before - con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0]


def refresh_candidates(con: duckdb.DuckDBPyConnection) -> int:
    """Given a read-write connection, recompute `vocabulary_candidates`: for
    each header loaded as `unmapped` and each `other` statistic label, the
    closest vocabulary entries by rapidfuzz (ratio at least
    SUGGESTION_FLOOR), best first. Return how many rows it holds."""
    headers = [r[0] for r in con.execute(
        "SELECT DISTINCT header_raw FROM unit_metrics WHERE metric = 'unmapped' AND header_raw IS NOT NULL").fetchall()]
    labels = [r[0] for r in con.execute(
        "SELECT DISTINCT label FROM bulletin_statistics WHERE statistic = 'other' AND label IS NOT NULL").fetchall()]
    synonyms = [(h, role) for h, role in header_roles().items() if role in METRIC_CODES]
    rows = _suggestions("header", headers, synonyms, header_core) + _suggestions("statistic", labels, statistic_phrases())
    frame = pd.DataFrame(rows, columns=["kind", "text", "rank", "candidate_code", "candidate_text", "score"])
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM vocabulary_candidates")
        if len(frame):
            con.register("_tongbao_vocab_candidates", frame)
            try:
                con.execute("INSERT INTO vocabulary_candidates SELECT kind, text, rank, candidate_code, candidate_text, score "
                            "FROM _tongbao_vocab_candidates")
            finally:
                con.unregister("_tongbao_vocab_candidates")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(frame)


def _suggestions(kind: str, texts: list[str], vocabulary: list[tuple[str, str]], core=lambda text: text) -> list[tuple]:
    """Given texts to place, (phrase, code) pairs and what of a text to
    compare, return up to MAX_SUGGESTIONS distinct codes per text, best phrase
    first (rapidfuzz ratio: a short phrase inside a long header is no match)."""
    phrases = [p for p, _ in vocabulary]
    rows = []
    for text in texts:
        seen: set[str] = set()
        for phrase, score, index in process.extract(core(text), phrases, scorer=fuzz.ratio, limit=12,
                                                    score_cutoff=SUGGESTION_FLOOR):
            code = vocabulary[index][1]
            if code in seen or _negated(text) != _negated(phrase):  # 不合格… is never a …合格… code
                continue
            seen.add(code)
            rows.append((kind, text, len(seen), code, phrase, round(float(score), 1)))
            if len(seen) == MAX_SUGGESTIONS:
                break
    return rows


def _negated(text: str) -> bool:
    """Whether a header or label says what is not (不合格, 未回复, 无…)."""
    return any(word in text for word in ("不", "未", "无", "非"))
