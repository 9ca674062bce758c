"""Load cost per bulletin, statement by statement (issue 9).

DuckDB's cost is mostly per statement, so this times every statement the
loader issues while it writes N prepared text bulletins (seed and multicity
fixtures, each under a fresh id) into a new warehouse, one transaction each.

    .venv/bin/python bench/bench_load.py [--n 300] [--dir /dev/shm/x]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402
from parsers.bulletin import parse_bulletin  # noqa: E402
from ingest.planning import discover_files  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.load import load_bulletin  # noqa: E402
from warehouse.rows import prepare  # noqa: E402


class TimedConnection:
    """Given a connection, time each statement by its first words."""

    def __init__(self, con):
        self.con = con
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def execute(self, sql, *args):
        t0 = time.perf_counter()
        result = self.con.execute(sql, *args)
        key = " ".join(sql.split()[:3])
        self.seconds[key] += time.perf_counter() - t0
        self.calls[key] += 1
        return result


def prepared_bulletins(n: int) -> list:
    files = [p for p in discover_files([ROOT / "fixtures" / "seeds", ROOT / "fixtures" / "multicity"]) if p.suffix in (".txt", ".md")]
    out = []
    for i in range(n):
        path = files[i % len(files)]
        prepared = prepare(parse_bulletin(path.read_bytes(), str(path)), str(path))
        new_id = f"{i:064x}"
        prepared.bulletin_id = prepared.bulletin["bulletin_id"] = new_id
        for rows in (prepared.unit_metrics, prepared.bulletin_tables, prepared.table_totals,
                     prepared.bulletin_statistics, prepared.unit_findings):
            for row in rows:
                row["bulletin_id"] = new_id
        out.append(prepared)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--dir", help="where to put the warehouse (default: a new temp dir)")
    args = parser.parse_args()
    bulletins = prepared_bulletins(args.n)
    rows = sum(len(b.unit_metrics) for b in bulletins) / len(bulletins)
    folder = Path(args.dir or tempfile.mkdtemp(prefix="tongbao-load-"))
    folder.mkdir(parents=True, exist_ok=True)
    with open_warehouse(folder / "w.duckdb") as con:
        timed = TimedConnection(con)
        t0 = time.perf_counter()
        for prepared in bulletins:
            load_bulletin(timed, prepared, exists=False)
        wall = time.perf_counter() - t0
    print(f"{machine()}\n{args.n} bulletins, {rows:.0f} unit_metrics rows each on average, warehouse in {folder}")
    print(f"{1000 * wall / args.n:.2f} ms per bulletin")
    for key in sorted(timed.seconds, key=timed.seconds.get, reverse=True):
        print(f"  {1000 * timed.seconds[key] / args.n:5.2f} ms  {timed.calls[key] / args.n:4.1f}×  {key}")
    if not args.dir:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
