"""Re-apply unit normalisation to everything loaded, without re-parsing.

The identity is decided by the same function (`units.normalise_unit`) and
turned into columns by the same one (`units.identity_columns`) as when the
rows were first built (`warehouse.rows`); here the analyst's aliases join in.

The unit identity (`unit_name`, `unit_function`, `unit_kind`, `match_rule`)
is a function of what the bulletin printed (`unit_raw`), its city and its
table group, plus the catalog and the analyst's alias file. All three inputs
are already in the warehouse, so when the catalog grows or an analyst adds an
alias, the identities are recomputed from the loaded rows in one transaction,
one computation per distinct name; nothing is read from the documents again.
The best catalog candidates of every name that needs review are kept in
`unit_candidates`, for the `unresolved_units` view.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd

from units import MAX_CANDIDATES, AliasTable, UnitIdentity, identity_columns, normalise_unit
from units.identity import IDENTITY_COLUMNS

_IDENTITY_COLUMNS = (*IDENTITY_COLUMNS, "match_score")


def reapply_units(
    con: duckdb.DuckDBPyConnection,
    aliases_path: str | Path | None = None,
    aliases: AliasTable | None = None,
) -> dict:
    """Given a read-write warehouse connection and the analyst's alias file (or
    an already loaded table), recompute the unit identity of every
    `unit_metrics` and `unit_findings` row from its `unit_raw`, city and group,
    refresh `unit_candidates`, and return counts of what was done."""
    table = aliases if aliases is not None else AliasTable.from_csv(aliases_path)
    metric_keys = con.execute("SELECT DISTINCT city, unit_group, unit_raw FROM unit_metrics").fetchall()
    # an account or site with no owning unit has no unit_raw: nothing to identify
    finding_keys = con.execute("SELECT DISTINCT city, unit_raw FROM unit_findings WHERE unit_raw IS NOT NULL").fetchall()
    identities: dict[tuple, UnitIdentity] = {}
    for city, group, raw in metric_keys:
        identities[(city, group, raw)] = normalise_unit(raw, city, group, table)
    finding_ids = {(city, raw): normalise_unit(raw, city, None, table) for city, raw in finding_keys}

    metric_frame = _frame([(c, g, r, i) for (c, g, r), i in identities.items()])
    finding_frame = _frame([(c, None, r, i) for (c, r), i in finding_ids.items()])
    candidates = _candidate_frame({**{(c, r): i for (c, _, r), i in identities.items()}, **finding_ids})

    counts: dict = {"aliases": len(table), "distinct_names": len(identities) + len(finding_ids)}
    con.execute("BEGIN TRANSACTION")
    try:
        counts["unit_metrics_changed"] = _update(con, "unit_metrics", metric_frame, with_group=True)
        counts["unit_findings_changed"] = _update(con, "unit_findings", finding_frame, with_group=False)
        con.execute("DELETE FROM unit_candidates")
        if len(candidates):
            con.register("_tongbao_candidates", candidates)
            try:
                con.execute(
                    "INSERT INTO unit_candidates SELECT city, unit_raw, rank, candidate_code, candidate_name, score "
                    "FROM _tongbao_candidates"
                )
            finally:
                con.unregister("_tongbao_candidates")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    rules = Counter(i.rule for i in list(identities.values()) + list(finding_ids.values()))
    counts["by_rule"] = dict(sorted(rules.items()))
    counts["needs_review"] = sum(1 for i in list(identities.values()) + list(finding_ids.values()) if i.needs_review)
    return counts


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """Given (city, group, unit_raw, identity) tuples, return them as a DataFrame of text columns."""
    frame = pd.DataFrame(
        [(c, g, r, *identity_columns(i).values(), i.score) for c, g, r, i in rows],
        columns=["city", "unit_group", "unit_raw", *_IDENTITY_COLUMNS],
    )
    return frame.astype(object).where(frame.notna(), None)


def _candidate_frame(identities: dict[tuple, UnitIdentity]) -> pd.DataFrame:
    """Given (city, unit_raw) -> identity, return the candidates of those that need review."""
    rows = [
        (city, raw, rank, c.code, c.name, c.score)
        for (city, raw), identity in identities.items()
        if identity.needs_review
        for rank, c in enumerate(identity.candidates[:MAX_CANDIDATES], 1)
    ]
    frame = pd.DataFrame(rows, columns=["city", "unit_raw", "rank", "candidate_code", "candidate_name", "score"])
    return frame.astype(object).where(frame.notna(), None)


def _update(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, with_group: bool) -> int:
    """Given a table and its distinct names' identities, update its rows and
    return how many of them changed."""
    if frame.empty:
        return 0
    present = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
    columns = [c for c in _IDENTITY_COLUMNS if c in present]
    casts = {"match_score": "DOUBLE"}
    join = "t.unit_raw = i.unit_raw AND t.city IS NOT DISTINCT FROM i.city"
    if with_group:
        join += " AND t.unit_group IS NOT DISTINCT FROM i.unit_group"
    source = "(SELECT " + ", ".join(
        [f"CAST({c} AS VARCHAR) AS {c}" for c in ("city", "unit_group", "unit_raw")]
        + [f"CAST({c} AS {casts.get(c, 'VARCHAR')}) AS {c}" for c in columns]
    ) + " FROM _tongbao_identities)"
    changed_if = " OR ".join(f"t.{c} IS DISTINCT FROM i.{c}" for c in columns)
    con.register("_tongbao_identities", frame)
    try:
        changed = con.execute(f"SELECT count(*) FROM {table} AS t JOIN {source} AS i ON {join} WHERE {changed_if}").fetchone()[0]
        assignments = ", ".join(f"{c} = i.{c}" for c in columns)
        con.execute(f"UPDATE {table} AS t SET {assignments} FROM {source} AS i WHERE {join} AND ({changed_if})")
    finally:
        con.unregister("_tongbao_identities")
    return int(changed)
