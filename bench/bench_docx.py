"""Benchmark DOCX parsing: time per bulletin and peak memory.

Why: DOCX bulletins arrive in batches of hundreds; this measures whether the
reader (python-docx + lxml + the format-free shaping and interpretation) keeps
up, and how much memory one parse needs.

Run from the repository root: `.venv/bin/python bench/bench_docx.py [N]`
(default 200). It generates N synthetic DOCX bulletins in a temporary folder
with scripts/make_docx_fixtures.py's builders (the six synthetic layouts,
each with different figures), parses each with `parse_bulletin`, and prints
a markdown section ready for BENCHMARKS.md (`## DOCX parsing (issue 4)`).
Memory is tracemalloc's peak of Python allocations during one parse (the
largest over all documents), plus the process's max RSS at the end.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402
from parsers.bulletin import parse_bulletin  # noqa: E402


def load_builders():
    """Return the fixture generator module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_docx_fixtures", ROOT / "scripts" / "make_docx_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def generate(folder: Path, count: int) -> list[Path]:
    """Given a folder and a count, write that many synthetic DOCX bulletins
    there (cycling through the synthetic layouts, new figures each) and return their paths."""
    builders = load_builders()
    paths = []
    for i in range(count):
        make = builders.SYNTHETIC[i % len(builders.SYNTHETIC)]
        bulletin = make(seed=1000 + i)
        path = folder / f"{i:04d}_{bulletin.name}.docx"
        path.write_bytes(builders.render_docx(bulletin))
        paths.append(path)
    return paths


def measure(paths: list[Path]) -> tuple[list[float], int, int]:
    """Given DOCX paths, return per-document parse seconds, the largest
    tracemalloc peak (bytes) of one parse, and the number of unit facts."""
    times: list[float] = []
    peak = 0
    facts = 0
    for path in paths:
        data = path.read_bytes()
        started = time.perf_counter()
        parsed = parse_bulletin(data, path.name)
        times.append(time.perf_counter() - started)
        facts += len(parsed.metrics)
    for path in paths[: min(len(paths), 24)]:  # memory pass, separate so tracing does not skew the times
        data = path.read_bytes()
        tracemalloc.start()
        parse_bulletin(data, path.name)
        peak = max(peak, tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    return times, peak, facts


def report(count: int, times: list[float], peak: int, facts: int, sizes: list[int]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return "\n".join(
        [
            "## DOCX parsing (issue 4)",
            "",
            f"Measured {dt.date.today().isoformat()} on {machine()}.",
            f"`.venv/bin/python bench/bench_docx.py {count}`: {count} synthetic DOCX bulletins "
            f"(six layouts: vMerge group column, two-row header, section-split table, nested table, "
            f"multi-paragraph cells, text-box metadata; {statistics.mean(sizes) / 1024:.0f} KiB each on average, "
            f"14 units per table), each parsed with `parse_bulletin` (read, shape, interpret).",
            "",
            "| measure | value |",
            "| --- | --- |",
            f"| documents | {count} |",
            f"| unit facts extracted | {facts:,} |",
            f"| parse time per document, mean | {statistics.mean(times) * 1000:.1f} ms |",
            f"| parse time per document, median | {statistics.median(times) * 1000:.1f} ms |",
            f"| parse time per document, p95 | {p95 * 1000:.1f} ms |",
            f"| parse time per document, max | {max(times) * 1000:.1f} ms (first includes imports) |",
            f"| throughput | {count / sum(times):.0f} documents/s on one core |",
            f"| peak Python allocations during one parse (tracemalloc) | {peak / 1024 / 1024:.1f} MiB |",
            f"| process max RSS after the run | {rss_mib:.0f} MiB |",
            "",
        ]
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory(prefix="tongbao-bench-docx-") as tmp:
        paths = generate(Path(tmp), count)
        sizes = [p.stat().st_size for p in paths]
        times, peak, facts = measure(paths)
    print(report(count, times, peak, facts, sizes))


if __name__ == "__main__":
    main()
