"""Time unit-name normalisation at warehouse scale (issue 5).

Normalisation runs once per unit row at ingest and again for every distinct
name on `tongbao units --apply`, so it must stay cheap: the target is 100,000
names in under 2 s. The mix is realistic: the seeds' and held-out printed
forms (repeats, as every quarter repeats the same departments), places, and
names outside the catalog that go through fuzzy matching (misses).

Usage: .venv/bin/python bench/bench_units.py [N]   (default 100000)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.expected_files import read_expected  # noqa: E402
from units import rules as units  # noqa: E402


def name_mix(n: int, seed: int = 5) -> list[tuple[str, str, str | None]]:
    """Given a count, return that many (raw, city, group) with repeats and misses."""
    rng = random.Random(seed)
    known = [(r["unit_raw"], "吉林市", r["unit_group"]) for r in read_expected("seed000_units.csv")]
    known += [(r["unit_raw"], "景德镇市", None) for r in read_expected("seed004_units.csv")]
    known += [(r["form"], r["city"], None) for r in read_expected("unit_forms_heldout.csv")]
    chars = "安宝昌诚达德丰港国海和华惠吉嘉江金景康乐利林民宁平普清荣瑞山盛泰通文祥新信兴阳业永源云政志中"
    tails = ["局", "办", "中心", "委员会", "管理处", "服务中心"]
    cities = ["吉林市", "景德镇市", "洛阳市", "杭州市", "成都市", "南昌市"]
    misses = [("市" + "".join(rng.choice(chars) for _ in range(rng.randint(2, 4))) + rng.choice(tails), rng.choice(cities), None)
              for _ in range(2000)]
    out = []
    for _ in range(n):
        pool = known if rng.random() < 0.9 else misses
        out.append(rng.choice(pool))
    return out


def main(n: int = 100_000) -> None:
    names = name_mix(n)
    distinct = len(set(names))
    t0 = time.perf_counter()
    units.catalog(), units.wording(), units.divisions()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    rules: dict[str, int] = {}
    for raw, city, group in names:
        identity = units.normalise_unit(raw, city, group)
        rules[identity.rule] = rules.get(identity.rule, 0) + 1
    cold_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for raw, city, group in names:
        units.normalise_unit(raw, city, group)
    warm_s = time.perf_counter() - t0
    units._normalise.cache_clear()
    units._fuzzy_cached.cache_clear()
    t0 = time.perf_counter()
    for raw, city, group in set(names):
        units.normalise_unit(raw, city, group)
    per_distinct_us = (time.perf_counter() - t0) / distinct * 1e6
    print(f"names: {n:,} ({distinct:,} distinct (raw, city, group))")
    print(f"load catalog + wording + divisions: {load_s * 1000:.0f} ms")
    print(f"normalise {n:,} names, empty cache: {cold_s:.3f} s")
    print(f"normalise {n:,} names, warm cache: {warm_s:.3f} s")
    print(f"uncached cost per distinct name: {per_distinct_us:.0f} µs")
    print("rules:", ", ".join(f"{k} {v:,}" for k, v in sorted(rules.items(), key=lambda kv: -kv[1])))
    reapply(names)


def reapply(names: list[tuple[str, str, str | None]]) -> None:
    """Given the name mix, load it as unit_metrics rows (4 metrics each) into an
    in-memory warehouse and time `reapply_units` over all of them."""
    import duckdb
    import pandas as pd

    from warehouse.unit_identities import reapply_units
    from warehouse.schema import column_names, ensure_schema

    con = duckdb.connect(":memory:")
    ensure_schema(con)
    columns = column_names("unit_metrics")
    rows = [{"bulletin_id": f"b{i // 50}", "city": c, "unit_group": g, "unit_raw": r, "metric": m, "value": 1.0}
            for i, (r, c, g) in enumerate(names) for m in ("rank", "submitted", "adopted", "score")]
    frame = pd.DataFrame.from_records(rows, columns=columns)
    con.register("_rows", frame.astype(object).where(frame.notna(), None))
    con.execute("INSERT INTO unit_metrics SELECT * FROM _rows")
    units._normalise.cache_clear()
    units._fuzzy_cached.cache_clear()
    t0 = time.perf_counter()
    counts = reapply_units(con)
    print(f"reapply_units over {len(rows):,} unit_metrics rows ({counts['distinct_names']:,} distinct names, "
          f"{counts['unit_metrics_changed']:,} changed): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
