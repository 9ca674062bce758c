#!/usr/bin/env python3
"""Score tongbao on the real bulletins of ../shared/real: the yardstick of the open-world issues.

    python bench/bench_real.py                # ingest ../shared/real/docs, score, print
    python bench/bench_real.py --misses 5     # also list missed / extra facts per document
    python bench/bench_real.py --write        # and replace the section in BENCHMARKS.md

Runs exactly what a user would: `tongbao ingest` on a copy of the documents
into a fresh warehouse (the input folder is never written), then the corpus's
own `score.py`. The documents stay in shared/; nothing of them is copied into
the project.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import ROOT, machine, write_section  # noqa: E402

HEADING = "## Real bulletins (../shared/real)"


def find_corpus() -> Path | None:
    """Return ../shared/real beside the checkout (or $TONGBAO_REAL_CORPUS), if present."""
    env = os.environ.get("TONGBAO_REAL_CORPUS")
    for cand in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "real", ROOT.parent.parent / "shared" / "real"]:
        if (cand / "score.py").is_file() and (cand / "docs").is_dir():
            return cand
    return None


def tongbao_command() -> list[str]:
    exe = Path(sys.executable).with_name("tongbao")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tongbao.cli"]


def run(corpus: Path, misses: int) -> tuple[dict, str, float]:
    """Given the corpus, ingest its documents into a fresh warehouse and score it;
    return the scorer's JSON, its printed report and the ingest's wall time."""
    with tempfile.TemporaryDirectory(prefix="tongbao-real-") as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(corpus / "docs", docs)
        wh = Path(tmp) / "real.duckdb"
        env = {**os.environ, "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        start = time.perf_counter()
        proc = subprocess.run([*tongbao_command(), "ingest", str(docs), "-w", str(wh), "--json"],
                              capture_output=True, text=True, env=env, cwd=tmp)
        wall = time.perf_counter() - start
        if not wh.exists():
            sys.exit(f"ingest made no warehouse (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        out_json = Path(tmp) / "score.json"
        report = subprocess.run([sys.executable, str(corpus / "score.py"), str(wh), "--corpus", str(corpus),
                                 "--json", str(out_json), "--misses", str(misses)],
                                capture_output=True, text=True, env=env).stdout
        score = json.loads(out_json.read_text(encoding="utf-8"))
        score["period_blind"] = period_blind_f1(corpus, wh)
        return score, report, wall


def period_blind_f1(corpus: Path, warehouse: Path) -> dict:
    """Given the corpus and a scored warehouse, return the in-vocabulary metric
    P / R / F1 with every predicted row given its truth document's city and
    period: how well the tables are read and mapped, apart from metadata."""
    import duckdb

    sys.path.insert(0, str(corpus))
    import score as scorer  # the corpus's own scorer, for its matching rules

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        truth = scorer.load_truth(str(corpus))
        messages: list[str] = []
        data = {v: scorer.read_view(con, v, messages) for v in scorer.VIEWS}
    finally:
        con.close()
    found = scorer.match_bulletins(truth, data["bulletins"], messages)
    matched = predicted = facts = 0
    for t in truth:
        bulletin, _ = found.get(t["file"], (None, None))
        bid = bulletin.get("bulletin_id") if bulletin else None
        tb = t["bulletin"]
        rows = [dict(r, city=tb["city"], period_year=tb["period_year"], period_quarter=tb["period_quarter"])
                for r in data["unit_metrics"] or () if r.get("bulletin_id") == bid and scorer.headline(r)]
        m, p, n, *_ = scorer.score_metrics(t, rows, tb["city"])
        matched, predicted, facts = matched + m, predicted + p, facts + n
    precision, recall, f1 = scorer.prf(matched, predicted, facts)
    return {"precision": precision, "recall": recall, "f1": f1, "matched": matched, "pred": predicted, "facts": facts}


def section(score: dict, kinds: dict[str, str], wall: float) -> str:
    """Given the scorer's JSON and each document's kind, return the BENCHMARKS.md section."""
    o = score["overall"]
    pb = score["period_blind"]
    lines = [HEADING, "",
             f"Measured {date.today().isoformat()} on {machine()} with `python bench/bench_real.py --write`:",
             f"`tongbao ingest` of the {score['documents']} real bulletins into a fresh warehouse "
             f"({wall:.1f} s wall, Prefect start-up included), scored by `../shared/real/score.py`.", "",
             "| measure | value |", "|---|---|",
             f"| documents loaded (matched to a bulletin) | {score['found']}/{score['documents']} |",
             f"| in-vocabulary metric P / R / F1 | {o['precision']:.3f} / {o['recall']:.3f} / {o['f1']:.3f} "
             f"({o['matched']} of {o['facts']} facts, {o['pred']} predicted) |",
             f"| metric P / R / F1 with the truth's city and period (tables read and mapped, metadata aside) | "
             f"{pb['precision']:.3f} / {pb['recall']:.3f} / {pb['f1']:.3f} ({pb['matched']} of {pb['facts']}, {pb['pred']} predicted) |",
             f"| unit-function accuracy | {_f(o['function_accuracy'])} |",
             f"| metadata accuracy (city, date, number, period) | {_f(o['meta_accuracy'])} |",
             f"| statistics recall / precision | {_f(o['stats_recall'])} / {_f(o['stats_precision'])} |",
             f"| findings P / R / F1 | {_f(o['findings_precision'])} / {_f(o['findings_recall'])} / "
             f"{_f(o['findings_f1'])} |"]
    n = score["documents"]
    lines.append("| metadata by field | " + ", ".join(f"{k} {v}/{n}" for k, v in score["meta_by_field"].items()) + " |")
    em = score.get("extra_meta", {})
    lines.append(f"| issuer / title | {em.get('issuer', 0)}/{n} / {em.get('title', 0)}/{n} |")
    for kind, v in score.get("outside", {}).items():
        share = f" ({v['kept'] / v['entries']:.3f})" if v["entries"] else ""
        lines.append(f"| `other:` {kind}s kept anywhere | {v['kept']}/{v['entries']}{share} |")
    lines += ["", "Per document kind (from `sources.json`):", "",
              "| kind | docs | loaded | metric F1 | func | meta | stats recall | findings F1 |", "|---|---|---|---|---|---|---|---|"]
    by_kind = defaultdict(list)
    for name, d in score["per_document"].items():
        by_kind[kinds.get(name, "?")].append(d)
    for kind, ds in sorted(by_kind.items()):
        loaded = sum(1 for d in ds if d.get("matched_by"))
        lines.append(f"| {kind} | {len(ds)} | {loaded} | {_mean(ds, 'f1')} | {_mean(ds, 'function_accuracy')} | "
                     f"{_mean(ds, 'meta_accuracy')} | {_mean(ds, 'stats_recall')} | {_mean(ds, 'findings_f1')} |")
    return "\n".join(lines) + "\n"


def _f(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def _mean(ds: list[dict], key: str) -> str:
    vals = [d[key] for d in ds if d.get(key) is not None]
    return _f(sum(vals) / len(vals)) if vals else "–"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", type=int, default=0)
    ap.add_argument("--write", action="store_true", help="replace the section in BENCHMARKS.md")
    args = ap.parse_args()
    corpus = find_corpus()
    if corpus is None:
        print("bench_real: ../shared/real not found (set TONGBAO_REAL_CORPUS)", file=sys.stderr)
        return 2
    score, report, wall = run(corpus, args.misses)
    print(report)
    sources = json.loads((corpus / "sources.json").read_text(encoding="utf-8"))
    text = section(score, {s["file"]: s.get("kind", "?") for s in sources}, wall)
    print(text)
    if args.write:
        write_section(HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
