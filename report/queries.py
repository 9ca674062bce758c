"""What the report shows, read from the warehouse's marts as plain rows.

Every function takes a read-only connection and a Scope and returns lists of
dicts (or small dataclasses) that the charts and the template render; none
renders anything itself. Relations or columns that later work adds
(`bulletin_copies`, `unit_findings.polarity`, `unmapped_*`) are used when
present and skipped when not.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb

from .scope import Scope, period_label, short_label

DATA = Path(__file__).resolve().parent / "data"
COMPARISON_METRICS = ("adoption_rate", "submitted", "updates", "reply_rate", "messages_received", "score", "adopted")
TREND_UNITS = 5


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """Given SQL and its parameters, return the result as a list of dicts."""
    result = con.execute(sql, params or [])
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def relation_columns(con: duckdb.DuckDBPyConnection, name: str) -> set[str]:
    """Return the columns of a table or view in the main schema (empty when it does not exist)."""
    found = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?", [name]
    ).fetchall()
    return {r[0] for r in found}


def column_of(con: duckdb.DuckDBPyConnection, relation: str, name: str) -> str:
    """Given a column name from a vocabulary file or an option, return it if
    `relation` has it; raise ValueError otherwise (names are checked, never
    pasted into SQL unchecked)."""
    if name not in relation_columns(con, relation):
        raise ValueError(f"{relation} has no column {name!r}")
    return name


@lru_cache(maxsize=None)
def _csv(name: str) -> tuple[dict, ...]:
    text = (DATA / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(csv.DictReader(lines))


def table_kinds() -> tuple[dict, ...]:
    """The ranking table kinds of report/data/table_kinds.csv."""
    return _csv("table_kinds.csv")


def finding_vocabulary() -> dict[str, dict]:
    """finding code -> {polarity, label_zh}, from report/data/findings.csv."""
    return {row["finding"]: row for row in _csv("findings.csv")}


@lru_cache(maxsize=None)
def column_labels(model: str = "unit_quarter") -> dict[str, str]:
    """Given a mart, return column -> Chinese label from its data dictionary (sql/<layer>/<model>.md)."""
    from warehouse.models import discover_models, read_model_doc

    for m in discover_models():
        if m.name == model:
            doc = read_model_doc(m)
            return {c.name: c.label_zh for c in doc.columns} if doc else {}
    return {}


def metric_label(metric: str) -> str:
    return column_labels().get(metric) or column_labels("unit_trend").get(metric) or metric


# --- heading: cities, periods, sources ----------------------------------------


def cities_and_periods(con, scope: Scope) -> tuple[list[str], list[int]]:
    """Return the cities and the quarters (period_keys) in scope that have a row in city_quarter."""
    where, params = scope.where()
    found = rows(con, f"SELECT DISTINCT city, period_key FROM city_quarter WHERE period_key IS NOT NULL AND {where}", params)
    return sorted({r["city"] for r in found}), sorted({r["period_key"] for r in found})


def sources(con, scope: Scope) -> list[dict]:
    """The bulletins whose title period or table periods fall in scope: what the report was made from."""
    where, params = scope.where("b.city", "b.period_key")
    where_t, params_t = scope.where("m.city", "m.period_key")
    return rows(con, f"""
        SELECT b.city, b.period_key, b.title, b.issuer, b.published_date, b.format, b.source_file, b.bulletin_id
        FROM stg_bulletins AS b
        WHERE ({where})
           OR b.bulletin_id IN (SELECT m.bulletin_id FROM stg_unit_metrics AS m WHERE {where_t})
        ORDER BY b.city, b.period_key, b.source_file
    """, params + params_t)


# --- rankings -------------------------------------------------------------------


@dataclass
class Ranking:
    city: str
    kind: str
    kind_label: str
    metric: str
    metric_label: str
    period_key: int
    previous_key: int | None
    rows: list[dict] = field(default_factory=list)
    previous_is_gap: bool = False

    @property
    def period(self) -> str:
        return period_label(self.period_key)


def rankings(con, scope: Scope) -> list[Ranking]:
    """Per city and table kind, the latest period in scope with figures for the
    kind's metric: every unit's value, group, printed rank and change since
    the previous quarter (NULL across a gap), largest value first."""
    cities, _ = cities_and_periods(con, scope)
    out = []
    for city in cities:
        for kind in table_kinds():
            for metric, change in zip(kind["metric"].split("|"), kind["change"].split("|")):
                metric, change = column_of(con, "unit_quarter", metric), column_of(con, "unit_trend", change)
                where, params = scope.where()
                latest = con.execute(
                    f"SELECT max(period_key) FROM unit_quarter WHERE city = ? AND {metric} IS NOT NULL "
                    f"AND period_quarter IS NOT NULL AND {where}", [city] + params).fetchone()[0]
                if latest is None:
                    continue
                order = "DESC" if kind["order"] == "desc" else "ASC"
                found = rows(con, f"""
                    SELECT q.unit_name, coalesce(q.unit_group, '(未分组)') AS unit_group, q.unit_kind,
                           q.{metric} AS value, t.{change} AS change, q.rank, t.rank_percentile,
                           t.previous_rank, t.is_gap AS is_gap, t.previous_quarter_is_gap
                    FROM unit_quarter AS q
                    LEFT JOIN unit_trend AS t
                        ON t.city = q.city AND t.unit_name = q.unit_name AND t.period_key = q.period_key
                    WHERE q.city = ? AND q.period_key = ? AND q.{metric} IS NOT NULL
                    ORDER BY q.{metric} {order}, q.unit_name
                """, [city, latest])
                previous = con.execute(
                    "SELECT period_key, is_gap FROM city_quarter WHERE city = ? AND period_key < ? "
                    "ORDER BY period_key DESC LIMIT 1", [city, latest]).fetchone()
                out.append(Ranking(city, kind["kind"], kind["label_zh"], metric, metric_label(metric), latest,
                                   previous[0] if previous else None, found, bool(previous and previous[1])))
                break
    return out


# --- trends and comparisons --------------------------------------------------------


def trend_lines(con, scope: Scope, metric: str, units: list[str] | None = None, function: str | None = None,
                ranked: list[Ranking] | None = None) -> list[dict]:
    """Quarter-over-quarter values of `metric` for the units asked for (by name,
    or every city's unit of a catalog `function`), else each city's top units
    of its first ranking; one row per city × unit × quarter, gaps as NULL."""
    metric = column_of(con, "unit_trend", metric)
    where, params = scope.where("t.city", "t.period_key")
    if function:
        chosen = "t.unit_function = ?"
        chosen_params: list = [function]
    elif units:
        chosen = "t.unit_name IN (SELECT unnest(?::VARCHAR[]))"
        chosen_params = [list(units)]
    else:
        pairs = [(r.city, row["unit_name"]) for r in (ranked or []) if r.metric == metric for row in r.rows[:TREND_UNITS]]
        if not pairs:
            return []
        chosen = "(t.city || '|' || t.unit_name) IN (SELECT unnest(?::VARCHAR[]))"
        chosen_params = [[f"{c}|{u}" for c, u in pairs]]
    return rows(con, f"""
        SELECT t.city, t.unit_name, t.period_key, t.{metric} AS value, t.is_gap
        FROM unit_trend AS t
        WHERE {chosen} AND {where}
        ORDER BY t.city, t.unit_name, t.period_key
    """, chosen_params + params)


def comparison_metric(con, scope: Scope) -> str | None:
    """The metric most cities in scope report in function_comparison (ties: COMPARISON_METRICS order)."""
    where, params = scope.where()
    best, best_cities = None, 0
    for metric in COMPARISON_METRICS:
        n = con.execute(f"SELECT count(DISTINCT city) FROM function_comparison WHERE {metric} IS NOT NULL AND {where}",
                        params).fetchone()[0]
        if n > best_cities:
            best, best_cities = metric, n
    return best


def comparison(con, scope: Scope, metric: str) -> dict:
    """For the latest quarter in scope in which the most cities report `metric`:
    every catalog function's value and percentile within its own city, per city,
    and each city's median and interquartile range of the metric."""
    metric = column_of(con, "function_comparison", metric)
    where, params = scope.where()
    latest = con.execute(f"""
        SELECT period_key FROM function_comparison
        WHERE {metric} IS NOT NULL AND period_key IS NOT NULL AND {where}
        GROUP BY period_key ORDER BY count(DISTINCT city) DESC, period_key DESC LIMIT 1
    """, params).fetchone()
    if latest is None:
        return {"metric": metric, "period_key": None, "rows": [], "cities": []}
    period_key = latest[0]
    percentile = f"{metric}_percentile" if f"{metric}_percentile" in relation_columns(con, "function_comparison") else None
    found = rows(con, f"""
        SELECT unit_function, city, unit_name, {metric} AS value,
               {percentile if percentile else 'NULL'} AS percentile, peers_in_city
        FROM function_comparison
        WHERE period_key = ? AND {metric} IS NOT NULL AND {where}
        ORDER BY unit_function, city
    """, [period_key] + params)
    stats_columns = relation_columns(con, "city_quarter")
    median = f"{metric}_median" if f"{metric}_median" in stats_columns else "NULL"
    iqr = f"{metric}_iqr" if f"{metric}_iqr" in stats_columns else "NULL"
    cities = rows(con, f"""
        SELECT city, {median} AS median, {iqr} AS iqr, units_listed
        FROM city_quarter WHERE period_key = ? AND {where} ORDER BY city
    """, [period_key] + params)
    return {"metric": metric, "metric_label": metric_label(metric), "period_key": period_key,
            "period": period_label(period_key), "rows": found, "cities": cities}


# --- zero reports, criticism, praise -------------------------------------------------


def zero_reports(con, scope: Scope) -> list[dict]:
    """Units listed with 0 submitted in each city's latest quarter in scope, with
    how many quarters running (unit_trend.zero_submission_streak)."""
    where, params = scope.where()
    return rows(con, f"""
        WITH latest AS (
            SELECT city, max(period_key) AS period_key FROM unit_trend
            WHERE submitted IS NOT NULL AND {where} GROUP BY city
        )
        SELECT t.city, t.period_key, t.unit_name, t.unit_group, t.zero_submission_streak AS streak
        FROM unit_trend AS t JOIN latest USING (city, period_key)
        WHERE t.zero_submission_streak > 0
        ORDER BY t.city, t.zero_submission_streak DESC, t.unit_name
    """, params)


def findings(con, scope: Scope) -> dict[str, list[dict]]:
    """Units named in the bulletins' prose, split into `criticism` and `praise`
    (unit_findings.polarity when the warehouse has it, else report/data/findings.csv),
    each with its streak: how many quarters running, up to its latest in scope,
    the unit was named for the same finding."""
    columns = relation_columns(con, "unit_findings")
    polarity = "f.polarity" if "polarity" in columns else "NULL"
    label = "f.label" if "label" in columns else "NULL"
    where, params = scope.where("f.city", "f.period_year * 10 + f.period_quarter")
    found = rows(con, f"""
        SELECT f.city, f.period_year * 10 + f.period_quarter AS period_key, f.unit_name, f.finding,
               {polarity} AS polarity, {label} AS label, f.sentence, b.source_file
        FROM unit_findings AS f JOIN bulletins AS b USING (bulletin_id)
        WHERE f.unit_name IS NOT NULL AND {where}
        ORDER BY f.city, f.unit_name, f.finding, period_key
    """, params)
    vocabulary = finding_vocabulary()
    grouped: dict[tuple, dict] = {}
    for row in found:
        entry = vocabulary.get(row["finding"], {})
        row["polarity"] = row["polarity"] or entry.get("polarity") or "neutral"
        row["finding_label"] = row["label"] or entry.get("label_zh") or row["finding"]
        key = (row["city"], row["unit_name"], row["finding"])
        g = grouped.setdefault(key, {**row, "periods": set()})
        if row["period_key"] is not None:
            g["periods"].add(row["period_key"])
        g["period_key"] = max(g["periods"]) if g["periods"] else None
    out: dict[str, list[dict]] = {"criticism": [], "praise": []}
    for g in grouped.values():
        g["streak"] = _streak(g["periods"])
        g["periods"] = "、".join(short_label(p) for p in sorted(g["periods"]))
        if g["polarity"] in out:
            out[g["polarity"]].append(g)
    for items in out.values():
        items.sort(key=lambda g: (g["city"], -g["streak"], g["unit_name"]))
    return out


def _streak(periods: set[int]) -> int:
    """Given the period_keys a unit was named in, return how many consecutive
    quarters end at the latest one."""
    if not periods:
        return 0
    index = {(p // 10) * 4 + p % 10 - 1 for p in periods}
    latest, run = max(index), 0
    while latest - run in index:
        run += 1
    return run


# --- reconciliation and coverage -------------------------------------------------------


def disagreements(con, scope: Scope) -> list[dict]:
    """Every reconciliation check in scope that disagrees (prose vs tables, printed
    totals, and copies of one bulletin when the warehouse checks them), with where."""
    where, params = scope.where("r.city", "r.period_year * 10 + r.period_quarter")
    return rows(con, f"""
        SELECT r.city, r.period_year * 10 + r.period_quarter AS period_key, r.check_name, r.expected, r.found,
               r.location, r.detail, b.source_file, b.title
        FROM reconciliation AS r LEFT JOIN bulletins AS b USING (bulletin_id)
        WHERE NOT r.agrees AND {where}
        ORDER BY r.city, period_key, r.check_name
    """, params)


def copies(con, scope: Scope) -> list[dict] | None:
    """The bulletins published in several copies (`bulletin_copies`), or None
    when this warehouse does not record copies yet."""
    columns = relation_columns(con, "bulletin_copies")
    if not columns:
        return None
    wanted = [c for c in ("bulletin_id", "copy_id", "format", "source", "source_file", "is_canonical") if c in columns]
    where, params = scope.where("b.city", "b.period_key")
    return rows(con, f"""
        SELECT b.city, b.period_key, b.title, {', '.join('c.' + c for c in wanted)}
        FROM bulletin_copies AS c JOIN stg_bulletins AS b USING (bulletin_id)
        WHERE {where} ORDER BY b.city, b.period_key
    """, params)


def coverage(con, scope: Scope) -> list[dict]:
    """city_quarter's quarters in scope: present or a gap, with why and which bulletin covers it."""
    columns = relation_columns(con, "city_quarter")
    extra = [c for c in ("titled_bulletins", "gap_reason", "tables_cover", "covered_by") if c in columns]
    where, params = scope.where()
    return rows(con, f"""
        SELECT city, period_key, is_gap, bulletins, units_listed, reconciliation_disagreements
               {''.join(', ' + c for c in extra)}
        FROM city_quarter WHERE period_key IS NOT NULL AND {where}
        ORDER BY city, period_key
    """, params)


def rejections(con) -> list[dict]:
    """Every document that could not be loaded, with its reason and what to do."""
    return rows(con, "SELECT source_file, reason, message, rejected_at FROM rejections ORDER BY rejected_at, source_file")
