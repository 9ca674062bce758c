"""Benchmark the PDF reader against bare pdfplumber, on the same files in one run.

    .venv/bin/python bench/bench_pdf.py            # fixtures + synthetic 50- and 200-page bulletins

For every file: our time per page (`parsers.pdf.read_pdf`) against bare
pdfplumber (open, then `extract_tables()` on every page), best of --repeat
runs; and the peak memory of each, each measured in a fresh subprocess
(peak RSS, and tracemalloc's peak of Python allocations), so that 50 and 200
pages can be compared: the reader releases every page after use, so its peak
should not grow with the page count.

The synthetic bulletins are laid out with reportlab (WenQuanYi Zen Hei if
installed, else reportlab's built-in STSong-Light CID font) in a temp dir.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_synthetic(path: Path, pages_wanted: int) -> None:
    """Given a path and a page count, write a bulletin of prose and a long unruled ranking table."""
    from scripts import make_pdf_fixtures as fx

    rng = random.Random(pages_wanted)
    names = [f"{fx.DEPARTMENTS[i % len(fx.DEPARTMENTS)]}{i // len(fx.DEPARTMENTS) or ''}" for i in range(pages_wanted * 29)]
    bulletin = fx.Bulletin(f"bench_{pages_wanted}", footer="— {n} —", running_head="某市政府网站工作通报")
    bulletin.blocks = [
        ("title", "某市人民政府办公室关于2021年第一季度政府网站信息报送情况的通报"),
        *fx.prose("某市", "2021年第一季度"),
        ("caption", "附件1"),
        ("center", "2021年第一季度政府网站信息报送情况排名表"),
        ("table", fx.TableSpec(["排名", "单位", "报送", "采用", "得分"], fx.units_block(rng, names), [1, 3, 1.2, 1.2, 1.2], repeat_header=True)),
        *fx.signature("某市人民政府办公室", "2021年4月12日"),
    ]
    try:
        fx.register_font()
        font = "WQY"
    except Exception:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        font = "STSong-Light"
    layout = fx.Layout(path, bulletin, font=font)
    for kind, payload in bulletin.blocks:
        if kind == "table":
            layout.table(payload)
        elif kind == "title":
            layout.paragraph(str(payload), 20, align="center", leading=1.5)
        else:
            layout.paragraph(str(payload), 14, indent=28)
    layout.finish()


def run_ours(path: Path) -> int:
    from parsers.pdf import read_pdf
    from parsers.limits import Limits

    data = path.read_bytes()
    doc = read_pdf(data, str(path), "", Limits(max_pdf_pages=10_000, parse_timeout_s=3600))
    return len(doc.blocks)


def run_bare(path: Path) -> int:
    import pdfplumber

    tables = 0
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
            page.close()
    return tables


def measure_one(path: Path, mode: str) -> dict:
    """Given a file and `ours` or `bare`, return seconds, peak RSS (MiB) and tracemalloc peak (MiB)."""
    run = run_ours if mode == "ours" else run_bare
    tracemalloc.start()
    started = time.perf_counter()
    run(path)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "rss_mib": rss, "traced_peak_mib": peak / 2**20}


def page_count(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return len(pdf.pages)


def timed(path: Path, mode: str, repeat: int) -> float:
    run = run_ours if mode == "ours" else run_bare
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run(path)
        best = min(best, time.perf_counter() - started)
    return best


def in_subprocess(path: Path, mode: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", str(path), mode], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=2, metavar=("PATH", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(Path(args.one[0]), args.one[1])))
        return
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
        for pages in (50, 215):
            path = Path(tmp) / f"synthetic_bench_{pages}p.pdf"
            make_synthetic(path, pages)
            files.append(path)
        print(f"{'file':42} {'pages':>5} {'ours ms/p':>9} {'bare ms/p':>9} {'ratio':>6}")
        totals = {"ours": 0.0, "bare": 0.0, "pages": 0}
        for path in files:
            n = page_count(path)
            ours, bare = timed(path, "ours", args.repeat), timed(path, "bare", args.repeat)
            totals["ours"] += ours
            totals["bare"] += bare
            totals["pages"] += n
            print(f"{path.name:42} {n:5d} {1000 * ours / n:9.1f} {1000 * bare / n:9.1f} {ours / bare:6.2f}")
        print(f"{'all':42} {totals['pages']:5d} {1000 * totals['ours'] / totals['pages']:9.1f} "
              f"{1000 * totals['bare'] / totals['pages']:9.1f} {totals['ours'] / totals['bare']:6.2f}")
        print()
        print(f"{'memory (fresh process each)':42} {'pages':>5} {'ours RSS':>9} {'bare RSS':>9} {'ours traced':>11} {'bare traced':>11}")
        for path in files[-2:]:
            ours, bare = in_subprocess(path, "ours"), in_subprocess(path, "bare")
            print(f"{path.name:42} {page_count(path):5d} {ours['rss_mib']:8.0f}M {bare['rss_mib']:8.0f}M "
                  f"{ours['traced_peak_mib']:10.1f}M {bare['traced_peak_mib']:10.1f}M")


if __name__ == "__main__":
    main()
