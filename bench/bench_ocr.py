"""Benchmark OCR of scanned bulletins: speed, peak memory, and accuracy against
the text-layer twins.

    .venv/bin/python bench/bench_ocr.py            # print the table
    .venv/bin/python bench/bench_ocr.py --write    # and replace its section of BENCHMARKS.md

Every scan in fixtures/scans/ (`<name>_<dpi>dpi.pdf`, made by
scripts/make_scan_fixtures.py from fixtures/pdf/<name>.pdf) is parsed in a
fresh subprocess, so its peak RSS is its own: pages per second (OCR and
interpretation, model load included) and peak memory. Its metric facts are
compared with those of its text-layer twin, fact by fact: a fact is equal
when table, row, metric, unit group, printed unit name and value all match.
Memory against page count: the 150-dpi seed 000 scan is repeated to 2× its
pages; pages are recognised one at a time, so the peak should stay flat.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, write_section  # noqa: E402

SCANS = ROOT / "fixtures" / "scans"
PDFS = ROOT / "fixtures" / "pdf"
HEADING = "## OCR of scanned bulletins"

CHILD = r"""
import json, resource, sys, time
from parsers.bulletin import parse_bulletin
path = sys.argv[1]
data = open(path, "rb").read()
started = time.monotonic()
parsed = parse_bulletin(data, path)
seconds = time.monotonic() - started
facts = [[m.table_index, m.row_index, m.metric, m.unit_group, m.unit_raw, m.value] for m in parsed.metrics]
print(json.dumps({
    "seconds": seconds,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "facts": facts,
    "ocr": parsed.document.ocr,
    "confidence": parsed.document.ocr_confidence,
    "notes": parsed.document.notes,
    "warnings": len(parsed.warnings),
}, ensure_ascii=False))
"""


def run_child(path: Path) -> dict:
    """Given a document, parse it in a fresh interpreter and return its measurements."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def page_count(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def accuracy(twin: list[list], scan: list[list]) -> tuple[int, int]:
    """Given the text-layer twin's facts and the scan's, return (equal, twin facts)."""
    found = {tuple(f[:3]): tuple(f[3:]) for f in scan}
    equal = sum(1 for f in twin if found.get(tuple(f[:3])) == tuple(f[3:]))
    return equal, len(twin)


def repeated(path: Path, times: int, target: Path) -> Path:
    """Given a scan, write a PDF with its pages repeated `times` times."""
    import pypdfium2

    source = pypdfium2.PdfDocument(str(path))
    out = pypdfium2.PdfDocument.new()
    for _ in range(times):
        out.import_pages(source)
    out.save(str(target))
    out.close()
    source.close()
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="replace the OCR section of BENCHMARKS.md")
    parser.add_argument("--no-memory", action="store_true", help="skip the repeated-pages memory run")
    args = parser.parse_args()
    rows, totals = [], {}
    for scan in sorted(SCANS.glob("*_*dpi.pdf")):
        name, dpi = re.match(r"(.+)_(\d+)dpi\.pdf$", scan.name).groups()
        twin = run_child(PDFS / f"{name}.pdf")
        result = run_child(scan)
        pages = page_count(scan)
        equal, total = accuracy(twin["facts"], result["facts"])
        rows.append((name, int(dpi), pages, result, equal, total))
        t = totals.setdefault(int(dpi), [0, 0.0, 0, 0, 0.0])
        t[0] += pages
        t[1] += result["seconds"]
        t[2] += equal
        t[3] += total
        t[4] = max(t[4], result["peak_rss_mb"])
        print(f"{scan.name}: {pages} pages in {result['seconds']:.1f} s, peak {result['peak_rss_mb']:.0f} MB, "
              f"{equal}/{total} facts equal, mean confidence {result['confidence']}", flush=True)
    memory = []
    if not args.no_memory:
        with tempfile.TemporaryDirectory() as tmp:
            base = SCANS / "000_a18ab1c51e121e01_150dpi.pdf"
            for times in (1, 2):
                path = repeated(base, times, Path(tmp) / f"repeat{times}.pdf")
                result = run_child(path)
                memory.append((page_count(path), result["seconds"], result["peak_rss_mb"]))
                print(f"repeated x{times}: {memory[-1]}", flush=True)
    text = report(rows, totals, memory)
    print(text)
    if args.write:
        write_section(HEADING, text)
    return 0


def report(rows: list, totals: dict, memory: list) -> str:
    lines = [
        HEADING,
        "",
        f"`bench/bench_ocr.py`, {date.today().isoformat()}, {machine()}; load average {os.getloadavg()[0]:.1f} at the end "
        "(other jobs share the 2 cores: seconds are an upper bound).",
        "Each scan (fixtures/scans/, made by scripts/make_scan_fixtures.py: rendered, stamped, turned 0.3–0.8°, noise,",
        "JPEG) is parsed in a fresh process (model load included); its metric facts are compared with its",
        "text-layer twin's (table, row, metric, group, printed unit and value all equal).",
        "",
        "| dpi | pages | pages/s | s/page | peak RSS | facts equal | accuracy |",
        "|---|---|---|---|---|---|---|",
    ]
    for dpi, (pages, seconds, equal, total, peak) in sorted(totals.items()):
        lines.append(f"| {dpi} | {pages} | {pages / seconds:.3f} | {seconds / pages:.1f} | {peak:.0f} MB | {equal}/{total} | {equal / total:.4f} |")
    lines += ["", "| scan | dpi | pages | s | peak RSS | facts equal | mean confidence | warnings |", "|---|---|---|---|---|---|---|---|"]
    for name, dpi, pages, result, equal, total in rows:
        lines.append(
            f"| {name} | {dpi} | {pages} | {result['seconds']:.1f} | {result['peak_rss_mb']:.0f} MB | {equal}/{total} | "
            f"{result['confidence']} | {result['warnings']} |"
        )
    if memory:
        lines += ["", "Peak memory against pages (seed 000 at 150 dpi, its pages repeated):", "",
                  "| pages | s | peak RSS |", "|---|---|---|"]
        lines += [f"| {pages} | {seconds:.1f} | {peak:.0f} MB |" for pages, seconds, peak in memory]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
