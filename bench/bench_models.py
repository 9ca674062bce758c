"""Time the SQL models on a warehouse the size of ten years of 300 cities' bulletins.

Targets (issue 7): rebuilding every model under 30 s, and each mart's typical
analyst query under 1 s, on this machine. The warehouse is made by
`bench/make_big_warehouse.py` in a temporary folder that is deleted at the end.

    python bench/bench_models.py            # print the figures
    python bench/bench_models.py --write    # and update the models section of BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench.common import machine as common_machine, write_section as common_write_section  # noqa: E402
from make_big_warehouse import make_big_warehouse  # noqa: E402
from warehouse.data_tests import run_data_tests  # noqa: E402
from warehouse.models import build_models, discover_models  # noqa: E402

SECTION = "## SQL models (issue 7)"
QUERY_RUNS = 5

# Each mart's typical question, as an analyst would ask it (latest quarter: 2024 Q4).
QUERIES = {
    "unit_quarter: one city's departments by adoption rate": (
        "select unit_name, submitted, adopted, adoption_rate from unit_quarter "
        "where city = 'city042市' and period_key = 20244 and unit_kind = 'department' "
        "order by adoption_rate, submitted desc limit 10"),
    "city_quarter: cities whose departments answer letters best": (
        "select city, reply_rate, reply_rate_median, units_listed from city_quarter "
        "where period_key = 20244 and reply_rate is not null order by reply_rate desc limit 10"),
    "unit_trend: improved adoption rate since last quarter": (
        "select city, unit_name, adoption_rate, adoption_rate_qoq from unit_trend "
        "where period_key = 20244 and unit_kind = 'department' and adoption_rate_qoq > 0 "
        "order by adoption_rate_qoq desc limit 20"),
    "unit_trend: zero submissions three quarters running": (
        "select city, unit_name, period_key from unit_trend where zero_submission_streak >= 3 "
        "order by city, unit_name, period_key"),
    "unit_trend: whose rank fell most": (
        "select city, unit_name, previous_rank, rank, rank_change from unit_trend "
        "where period_key = 20244 order by rank_change desc nulls last limit 10"),
    "function_comparison: 公安局 across cities": (
        "select city, submitted, submitted_percentile, updates, updates_percentile from function_comparison "
        "where unit_function = 'public_security' and period_key = 20244 "
        "order by coalesce(submitted_percentile, updates_percentile) desc"),
    "reconciliation: disagreements in one year": (
        "select city, period_quarter, check_name, expected, found from reconciliation "
        "where period_year = 2024 and not agrees"),
}


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def machine() -> str:
    return f"{common_machine()}, DuckDB {duckdb.__version__}"


def run(cities: int, years: int) -> dict:
    """Given a size, build the warehouse, time the models and queries; return the figures."""
    load_before = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="tongbao-bench-models-"))
    try:
        path = folder / "big.duckdb"
        make_s, counts = timed(lambda: make_big_warehouse(path, cities, years))
        con = duckdb.connect(str(path))
        try:
            builds = [timed(lambda: build_models(con))[0] for _ in range(2)]
            sizes = {name: con.execute(f"select count(*) from {name}").fetchone()[0]
                     for name in ("unit_quarter", "city_quarter", "unit_trend", "function_comparison", "reconciliation")}
            queries = {}
            for label, sql in QUERIES.items():
                runs = [timed(lambda: con.execute(sql).fetchall()) for _ in range(QUERY_RUNS)]
                queries[label] = (statistics.median(t for t, _ in runs), max(t for t, _ in runs), len(runs[0][1]))
            tests_s, failures = timed(lambda: run_data_tests(con))
        finally:
            con.close()
        file_mb = path.stat().st_size / 1024 / 1024
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"counts": counts, "make_s": make_s, "builds": builds, "sizes": sizes, "queries": queries,
            "tests_s": tests_s, "failures": [f.summary() for f in failures], "file_mb": file_mb,
            "load": (load_before, os.getloadavg()[0])}


def report(figures: dict) -> str:
    c = figures["counts"]
    lines = [
        SECTION, "",
        f"Measured {dt.date.today().isoformat()} on {machine()}. Other jobs (other sessions' tests and "
        "benchmarks) may have been running on the machine at the same time: 1-minute load average "
        f"{figures['load'][0]:.1f} before and {figures['load'][1]:.1f} after the run.",
        f"`.venv/bin/python bench/bench_models.py`: a synthetic warehouse written directly with DuckDB by "
        f"`bench/make_big_warehouse.py` — {c['bulletins']:,} bulletins (300 cities × 40 quarters, some quarters "
        f"missing), {c['unit_metrics']:,} `unit_metrics` rows, {figures['file_mb']:.0f} MiB on disk "
        f"(made in {figures['make_s']:.1f} s, deleted afterwards).", "",
        "| measure | value | target |", "| --- | --- | --- |",
        f"| rebuild all models (`build_models`), first | {figures['builds'][0]:.1f} s | < 30 s |",
        f"| rebuild all models, second | {figures['builds'][1]:.1f} s | < 30 s |",
        f"| run the data tests (`tongbao check`'s queries) | {figures['tests_s']:.1f} s | |",
    ]
    for name, rows in figures["sizes"].items():
        lines.append(f"| rows in `{name}` | {rows:,} | |")
    lines += ["", f"Typical queries (median and worst of {QUERY_RUNS} runs):", "",
              "| query | median | worst | rows | target |", "| --- | --- | --- | --- | --- |"]
    for label, (median, worst, rows) in figures["queries"].items():
        lines.append(f"| {label} | {median * 1000:.0f} ms | {worst * 1000:.0f} ms | {rows} | < 1 s |")
    models = discover_models()
    tables = ", ".join(f"`{m.name}`" for m in models if m.materialized == "table")
    views = ", ".join(f"`{m.name}`" for m in models if m.materialized == "view")
    lines += ["", f"Materialised as tables (`-- materialized: table`), so queries read precomputed rows: {tables}. "
              f"Views: {views}."]
    if figures["failures"]:
        lines += ["", "Data-test failures on the synthetic warehouse: " + "; ".join(figures["failures"])]
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    common_write_section(SECTION, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=300)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="update the models section of BENCHMARKS.md")
    args = parser.parse_args()
    text = report(run(args.cities, args.years))
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
