"""Issue 20's attack classes, each at growing sizes, parsed the way ingest
parses: in a killable child under hard limits (`ingest.guard`).

Usage: python bench/fuzz_attacks.py [--write]
Per class: inputs, outcomes, the slowest input, the peak memory of a child
that finished (a killed child is bounded by max_parse_memory_bytes), and
escaped exceptions (a `parser_error` outcome or an exception out of the
guard; the target is 0). With --write, the figures replace the
`## Attack classes (issue 20)` section of BENCHMARKS.md.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import make_attack_fixtures as attacks  # noqa: E402
from bench.common import machine, write_section  # noqa: E402
from ingest.guard import parse_guarded  # noqa: E402
from ingest.parsing import parse_document  # noqa: E402
from ingest.rawstore import StoredDocument  # noqa: E402
from parsers.limits import Limits  # noqa: E402

LIMITS = Limits(parse_timeout_s=5, ocr_timeout_s=5, max_parse_memory_bytes=1024 * 1024 * 1024)


def _deep_repeats(depth: int) -> bytes:
    """A content stream of `depth` nested saves and arrays: `q q q … [[[[ … ]]]] Q Q Q`."""
    body = b"q " * depth + b"[" * depth + b"]" * depth + b" Q" * depth
    return attacks.pdf(attacks._page_objects(4) + [attacks.stream(body, compress=True)])


CLASSES = {
    "operator fan-out (PDF forms drawing forms)": [
        (f"depth {d}, fan {f}.pdf", lambda d=d, f=f: attacks.operator_fan_out(d, f)) for d, f in ((10, 2), (16, 2), (25, 2), (12, 4))
    ],
    "no-op floods (PDF `q Q`)": [
        (f"{mb} MB.pdf", lambda mb=mb: attacks.noop_flood(mb)) for mb in (1, 20, 200)
    ],
    "deep repeats (nested q / arrays)": [
        (f"depth {d}.pdf", lambda d=d: _deep_repeats(d)) for d in (1_000, 10_000, 100_000)
    ],
    "separator floods (pipes, tables in a row, DOCX siblings)": [
        ("80,000 pipes.txt", lambda: attacks.separator_flood(80_000)),
        ("1,000,000 pipes.txt", lambda: attacks.separator_flood(1_000_000)),
        ("4,000 tables.md", lambda: attacks.tables_in_a_row(4000)),
        ("10,000 sibling tables.docx", lambda: attacks.docx_sibling_tables(10_000)),
    ],
    "stream bombs (flate)": [
        (f"{mb} MB inflated.pdf", lambda mb=mb: attacks.flate_bomb(mb)) for mb in (64, 512, 2048)
    ],
}


def measured(doc, limits):
    """Parse in the child, and report the child's own peak memory."""
    outcome = parse_document(doc, limits)
    outcome.peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return outcome


def run() -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="tongbao-attacks-") as tmp:
        for name, cases in CLASSES.items():
            outcomes: collections.Counter = collections.Counter()
            escaped, slowest, peak = 0, (0.0, ""), 0.0
            for label, build in cases:
                data = build()
                path = Path(tmp) / label.replace(" ", "_").replace(",", "")
                path.write_bytes(data)
                doc = StoredDocument(label, str(path), hashlib.sha256(data).hexdigest(), len(data))
                t0 = time.perf_counter()
                try:
                    outcome = parse_guarded(doc, LIMITS, measured)
                except Exception as exc:  # the guard itself failed: escaped
                    escaped += 1
                    print(f"escaped: {label}: {exc!r}")
                    continue
                seconds = time.perf_counter() - t0
                key = outcome.status if outcome.status != "rejected" else f"rejected:{outcome.reason}"
                outcomes[key] += 1
                escaped += outcome.reason == "parser_error"
                peak = max(peak, getattr(outcome, "peak_mib", 0.0))
                if seconds > slowest[0]:
                    slowest = (seconds, f"{label} ({len(data):,} bytes)")
                print(f"{name} / {label}: {key} in {seconds:.1f}s", flush=True)
                path.unlink()
            results[name] = {"outcomes": outcomes, "escaped": escaped, "slowest": slowest, "peak_mib": peak,
                             "inputs": len(cases)}
    return results


def markdown(results: dict) -> str:
    lines = [
        "## Attack classes (issue 20)",
        "",
        f"`python bench/fuzz_attacks.py --write` on {dt.date.today().isoformat()}, {machine()}; other jobs may "
        f"have been running. Each input is parsed as ingest parses it: in a child process with "
        f"parse_timeout_s={LIMITS.parse_timeout_s:g} (ocr_timeout_s={LIMITS.ocr_timeout_s:g} once OCR starts) and max_parse_memory_bytes={LIMITS.max_parse_memory_bytes:,} "
        f"(max_inflated_bytes={LIMITS.max_inflated_bytes:,}). Inputs are built by `scripts/make_attack_fixtures.py`.",
        "",
        "| class | inputs | outcomes | slowest input | peak memory of a finished child | escaped exceptions |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))
        lines.append(f"| {name} | {r['inputs']} | {outcomes} | {r['slowest'][0]:.1f} s ({r['slowest'][1]}) | "
                     f"{r['peak_mib']:.0f} MiB | {r['escaped']} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    result = run()
    text = markdown(result)
    print(text)
    if "--write" in sys.argv:
        write_section("## Attack classes (issue 20)", text)
