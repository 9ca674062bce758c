"""Build a synthetic warehouse the size of ten years of bulletins from 300 cities.

The SQL models must stay fast when the warehouse is big: ~12,000 quarterly
bulletins and ~5 million `unit_metrics` rows. Parsing that many documents
would measure the parsers, not the models, so this writes the loaded tables
directly with DuckDB (generate_series), shaped like real loads: 104 units per
city (50 catalog departments, 54 districts), two table styles (submissions
with score and rank; page updates with letters), some zero submissions,
some missing quarters, a printed total and a stated total per bulletin.

    python bench/make_big_warehouse.py /tmp/big.duckdb [--cities 300] [--years 10]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
import sys  # noqa: E402

sys.path.insert(0, str(ROOT))

from units import catalog  # noqa: E402
from warehouse.schema import ensure_schema  # noqa: E402

UNITS_PER_CITY = 104
DEPARTMENTS_PER_CITY = 50


def ensure_all_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Given a new warehouse, create the loaded tables every model reads."""
    ensure_schema(con)


def make_big_warehouse(path: Path, cities: int = 300, years: int = 10) -> dict:
    """Given a path and a size, write the synthetic warehouse; return row counts."""
    con = duckdb.connect(str(path))
    try:
        ensure_all_tables(con)
        departments, _ = catalog()
        codes = sorted(departments)[:DEPARTMENTS_PER_CITY]
        con.execute("CREATE TEMP TABLE dept(i INTEGER, code VARCHAR, name VARCHAR)")
        con.executemany("INSERT INTO dept VALUES (?, ?, ?)",
                        [(i, c, departments[c].canonical_name) for i, c in enumerate(codes)])
        con.execute(f"SET VARIABLE cities = {int(cities)}")
        con.execute(f"SET VARIABLE quarters = {int(years) * 4}")
        con.execute("BEGIN TRANSACTION")
        for statement in SQL:
            con.execute(statement)
        con.execute("COMMIT")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("bulletins", "unit_metrics", "bulletin_tables", "table_totals", "bulletin_statistics")}
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


SQL = [
    # One bulletin per city and quarter, except every 17th city misses one quarter (a gap).
    """
    INSERT INTO bulletins (bulletin_id, city, issuer, title, published_date, period_year, period_quarter,
                           source_file, format, parser_version, ingested_at, tables_found)
    SELECT
        'b' || c || '_' || q AS bulletin_id,
        'city' || lpad(c::varchar, 3, '0') || '市' AS city,
        'city' || c || '市人民政府办公室' AS issuer,
        'synthetic bulletin' AS title,
        make_date(2015 + q // 4, (q % 4) * 3 + 1, 10) + INTERVAL 3 MONTH AS published_date,
        2015 + q // 4 AS period_year,
        q % 4 + 1 AS period_quarter,
        'synthetic/' || c || '/' || q || '.txt',
        CASE WHEN c % 3 = 0 THEN 'pdf' WHEN c % 3 = 1 THEN 'docx' ELSE 'text' END,
        'bench', now(), 1
    FROM range(getvariable('cities')) AS cs(c), range(getvariable('quarters')) AS qs(q)
    WHERE NOT (c % 17 = 0 AND q = 7)
    """,
    # Units: 50 departments then 54 districts; figures from a hash so they are stable.
    """
    CREATE TEMP TABLE unit_figures AS
    SELECT
        b.bulletin_id, b.city, b.period_year, b.period_quarter,
        u AS row_index,
        CASE WHEN u < 50 THEN '市政府工作部门' ELSE '区政府' END AS unit_group,
        CASE WHEN u < 50 THEN d.name ELSE 'district' || u || '区' END AS unit_name,
        CASE WHEN u < 50 THEN d.code END AS unit_function,
        CASE WHEN u < 50 THEN 'department' ELSE 'district' END AS unit_kind,
        CASE WHEN hash(b.bulletin_id, u) % 20 = 0 OR (u = 7 AND b.period_quarter < 4) THEN 0
             ELSE 1 + hash(b.bulletin_id, u, 's') % 300 END::DOUBLE AS submitted,
        (hash(b.bulletin_id, u, 'a') % 1000) / 1000.0 AS adopted_share,
        (1 + hash(b.bulletin_id, u, 'u') % 400)::DOUBLE AS updates,
        (hash(b.bulletin_id, u, 'm') % 60)::DOUBLE AS messages_received,
        (hash(b.bulletin_id, u, 'r') % 1000) / 1000.0 AS replied_share,
        regexp_extract(b.city, '\\d+')::INTEGER % 3 = 0 AS letters_style
    FROM bulletins AS b, range(104) AS us(u)
    LEFT JOIN dept AS d ON d.i = u
    """,
    """
    CREATE TEMP TABLE unit_long AS
    WITH figures AS (
        SELECT *, floor(submitted * adopted_share) AS adopted, floor(messages_received * replied_share) AS replied
        FROM unit_figures
    ),
    scored AS (
        SELECT *, adopted * 5 AS score,
               rank() OVER (PARTITION BY bulletin_id, unit_group ORDER BY adopted * 5 DESC) AS score_rank
        FROM figures
    )
    SELECT bulletin_id, city, period_year, period_quarter, row_index, unit_group, unit_name, unit_function, unit_kind,
           metric, value
    FROM scored,
    LATERAL (
        SELECT * FROM (VALUES
            ('submitted', submitted), ('adopted', adopted), ('score', score), ('rank', score_rank::DOUBLE),
            ('updates', updates), ('messages_received', messages_received), ('messages_replied', replied),
            ('reply_rate', replied / nullif(messages_received, 0))
        ) AS m(metric, value)
        WHERE (NOT letters_style AND metric IN ('submitted', 'adopted', 'score', 'rank'))
           OR (letters_style AND metric IN ('updates', 'messages_received', 'messages_replied', 'reply_rate'))
    )
    """,
    """
    INSERT INTO unit_metrics (bulletin_id, table_index, city, period_year, period_quarter, unit_group, unit_raw,
                              unit_name, unit_function, unit_kind, metric, value, value_raw, header_raw, row_index,
                              match_rule)
    SELECT bulletin_id, 1, city, period_year, period_quarter, unit_group, '市' || unit_name, unit_name,
           unit_function, unit_kind, metric, value, value::VARCHAR, metric, row_index,
           CASE WHEN unit_function IS NULL THEN 'place' ELSE 'admin_prefix' END
    FROM unit_long
    """,
    """
    INSERT INTO bulletin_tables (bulletin_id, table_index, caption, period_year, period_quarter, unit_rows)
    SELECT bulletin_id, 1, 'synthetic table', period_year, period_quarter, 104 FROM bulletins
    """,
    """
    INSERT INTO table_totals (bulletin_id, table_index, label_raw, metric, value, value_raw)
    SELECT bulletin_id, 1, '合计', metric, sum(value), sum(value)::VARCHAR
    FROM unit_long WHERE metric IN ('submitted', 'adopted', 'messages_received', 'messages_replied')
    GROUP BY bulletin_id, metric
    """,
    """
    INSERT INTO bulletin_statistics (bulletin_id, city, period_year, period_quarter, statistic, value, sentence)
    SELECT bulletin_id, any_value(city), any_value(period_year), any_value(period_quarter),
           'info_submitted_total', sum(value), '共报送信息' || sum(value)::BIGINT || '条'
    FROM unit_long WHERE metric = 'submitted'
    GROUP BY bulletin_id
    """,
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--cities", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    if args.path.exists():
        raise SystemExit(f"{args.path} exists; choose a new path")
    started = time.perf_counter()
    counts = make_big_warehouse(args.path, args.cities, args.years)
    print(counts, f"in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
