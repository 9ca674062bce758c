"""Ingest at scale (issue 9): serial vs parallel, a no-change re-run, Prefect's overhead.

Generates N synthetic bulletins in mixed formats in a temp dir — text variants
of the seeds and multicity fixtures with perturbed table numbers, plus copies
of the DOCX and PDF fixtures with a few bytes appended (both readers accept
them; the new hash makes each a distinct document) — then, each scenario in a
fresh subprocess (clean peak-memory figures, warm Prefect home):

  plain           the ingest's plain functions, serially, without Prefect
  plain-parallel  the same on the process pool, loading in waves, without Prefect
  thread          the flow with the thread runner (one core: the GIL)
  process         the flow with the process-pool runner (all cores)
  rerun           the process flow again on the same warehouse: nothing new

Prefect's temporary-server start is timed apart (a warm-up flow) and left out.
Prefect overhead = thread flow − plain, and process flow − plain-parallel.

    .venv/bin/python bench/bench_ingest.py [--n 1000] [--repeat 3] [--scenarios plain,plain-parallel,thread,process,rerun]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "fixtures"
sys.path.insert(0, str(ROOT))

from bench.common import machine  # noqa: E402


def generate(folder: Path, n: int, seed: int = 9) -> dict[str, int]:
    """Given a folder and a count, write n synthetic bulletins (about 70 % text,
    20 % DOCX, 10 % PDF) and return how many of each."""
    rng = random.Random(seed)
    texts = sorted((FIX / "seeds").glob("*.txt")) + sorted(p for p in (FIX / "multicity").iterdir() if p.suffix in (".txt", ".md"))
    docx = sorted((FIX / "docx").glob("*.docx"))
    pdfs = sorted((FIX / "pdf").glob("*.pdf"))
    counts = {"text": 0, "docx": 0, "pdf": 0}
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        roll = rng.random()
        if roll < 0.70:
            src = texts[i % len(texts)]
            (folder / f"b{i:05d}_{src.stem}{src.suffix}").write_text(_perturb(src.read_text(encoding="utf-8"), rng), encoding="utf-8")
            counts["text"] += 1
        else:
            src = (docx if roll < 0.90 else pdfs)[i % len(docx if roll < 0.90 else pdfs)]
            (folder / f"b{i:05d}_{src.name}").write_bytes(src.read_bytes() + f"\n%bench {i}\n".encode())
            counts["docx" if roll < 0.90 else "pdf"] += 1
    return counts


_NUMBER = re.compile(r"(?<![\d.])(\d{1,3})(?![\d.年月日号])")


def _perturb(text: str, rng: random.Random) -> str:
    """Given bulletin text, change the small numbers in table rows (not dates)
    and drop one unit row now and then, so every variant has its own figures."""
    lines = []
    for line in text.splitlines():
        if ("|" in line or "\t" in line) and "年" not in line:
            line = _NUMBER.sub(lambda m: str(max(0, int(m.group(1)) + rng.randint(-3, 3))), line)
        lines.append(line)
    return "\n".join(lines) + f"\n\n（基准测试样本 {rng.random():.12f}）\n"


# --- scenarios, each run in a child process --------------------------------


def run_plain(inbox: str, warehouse: str) -> dict:
    """The ingest's work with plain functions, serially, no Prefect."""
    from ingest.parsing import parse_document
    from ingest.outcomes import apply_outcome
    from ingest.planning import discover_files
    from ingest.planning import plan_documents
    from ingest.rawstore import RawStore, record_source_documents, store_local_files
    from ingest.settings import Settings
    from warehouse.connection import open_warehouse
    from warehouse.load import loaded_versions
    from warehouse.models import ModelBuildError, build_models

    settings = Settings.from_env(warehouse=warehouse)
    t0 = time.perf_counter()
    docs, _ = store_local_files(discover_files([inbox]), RawStore.for_warehouse(warehouse))
    with open_warehouse(warehouse) as con:
        plan = plan_documents(docs, loaded_versions(con))
    t1 = time.perf_counter()
    outcomes = [parse_document(d, settings.limits) for d in plan.to_parse]
    t2 = time.perf_counter()
    with open_warehouse(warehouse) as con:
        statuses = [apply_outcome(con, o).status for o in outcomes]
        record_source_documents(con, docs)
        t3 = time.perf_counter()
        try:
            build_models(con)
        except ModelBuildError:
            pass
    t4 = time.perf_counter()
    return {"seconds": {"store+plan": t1 - t0, "parse": t2 - t1, "load": t3 - t2, "models": t4 - t3, "total": t4 - t0},
            "counts": {s: statuses.count(s) for s in set(statuses)}}


def run_plain_parallel(inbox: str, warehouse: str) -> dict:
    """The process runner's work with plain functions, no Prefect: parse on
    the process pool, load in waves as batches finish."""
    from ingest.outcomes import IngestSummary
    from ingest.loader import WaveLoader, wave_size
    from ingest.parsing import batches, parse_in_processes
    from ingest.planning import discover_files
    from ingest.planning import plan_documents
    from ingest.rawstore import RawStore, store_local_files
    from ingest.settings import Settings
    from warehouse.connection import open_warehouse
    from warehouse.load import loaded_versions

    settings = Settings.from_env(warehouse=warehouse)
    summary = IngestSummary()
    workers = os.cpu_count() or 1
    t0 = time.perf_counter()
    docs, _ = store_local_files(discover_files([inbox]), RawStore.for_warehouse(warehouse))
    with open_warehouse(warehouse) as con:
        plan = plan_documents(docs, loaded_versions(con))
    t1 = time.perf_counter()
    loader = WaveLoader(settings, summary, expected=len(plan.to_parse), wave=wave_size(len(plan.to_parse), overlapping=True))
    for outcomes in parse_in_processes(batches(plan.to_parse, workers), settings.limits, workers):
        loader.add(outcomes)
    t2 = time.perf_counter()
    loader.finish([], docs)
    t3 = time.perf_counter()
    statuses = [o.status for o in summary.outcomes]
    return {"seconds": {"store+plan": t1 - t0, "parse": t2 - t1, "load": summary.seconds["load"],
                        "models": summary.seconds.get("models", 0), "total": t3 - t0},
            "counts": {s: statuses.count(s) for s in set(statuses)}}


def run_flow(inbox: str, warehouse: str, runner: str) -> dict:
    from flows.ingest import ingest_flow

    warm = Path(warehouse).with_name("warm.duckdb")
    t0 = time.perf_counter()
    ingest_flow([str(FIX / "multicity" / "synthetic_jilin_2020q4.md")], warehouse=str(warm))  # starts Prefect's temporary server
    startup = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = ingest_flow([inbox], warehouse=warehouse, runner=runner)
    wall = time.perf_counter() - t0
    return {"wall": wall, "server_start_and_first_flow": startup, "seconds": summary["seconds"], "counts": summary["counts"]}


def child(args) -> None:
    if args.scenario in ("plain", "plain-parallel"):
        result = (run_plain if args.scenario == "plain" else run_plain_parallel)(args.inbox, args.warehouse)
        result["wall"] = result["seconds"]["total"]
    else:
        result = run_flow(args.inbox, args.warehouse, "thread" if args.scenario == "thread" else "process")
    result["peak_rss_mb_self"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_rss_mb_children"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def scenario(name: str, inbox: Path, warehouse: Path, env: dict) -> dict:
    cmd = [sys.executable, __file__, "--child", name, "--inbox", str(inbox), "--warehouse", str(warehouse)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - t0
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode or not lines:
        raise SystemExit(f"{name} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(lines[-1][7:])
    result["process_wall"] = elapsed
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--scenarios", default="plain,plain-parallel,thread,process,rerun")
    parser.add_argument("--repeat", type=int, default=1, help="run every scenario this many times, interleaved; report medians")
    parser.add_argument("--child")
    parser.add_argument("--inbox")
    parser.add_argument("--warehouse")
    args = parser.parse_args()
    if args.child:
        args.scenario = args.child
        return child(args)
    work = Path(tempfile.mkdtemp(prefix="tongbao-bench-"))
    try:
        inbox = work / "inbox"
        counts = generate(inbox, args.n)
        env = {**os.environ, "PREFECT_HOME": str(work / "prefect-home"), "PREFECT_LOGGING_LEVEL": "WARNING",
               "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        env.pop("PREFECT_API_URL", None)
        print(f"{machine()}\n{args.n} bulletins: {counts}", flush=True)
        runs: dict[str, list[dict]] = {}
        for rep in range(args.repeat):  # interleaved, so a noisy minute hits every scenario alike
            for name in args.scenarios.split(","):
                warehouse = work / f"rep{rep}" / ("process" if name == "rerun" else name) / "w.duckdb"
                r = scenario(name, inbox, warehouse, env)
                runs.setdefault(name, []).append(r)
                print(f"{name:14s} wall {r['wall']:6.1f}s  phases {json.dumps({k: round(v, 1) for k, v in r['seconds'].items()})}  "
                      f"counts {r['counts']}  peak RSS {r['peak_rss_mb_self']:.0f} MB (+children {r['peak_rss_mb_children']:.0f} MB)  "
                      f"server start {r.get('server_start_and_first_flow', 0):.1f}s", flush=True)
        results = {name: {"wall": statistics.median(r["wall"] for r in rs), "walls": [round(r["wall"], 2) for r in rs], "runs": rs}
                   for name, rs in runs.items()}
        print(f"\nmedian of {args.repeat} run(s): " + ", ".join(f"{n} {r['wall']:.1f}s" for n, r in results.items()))
        if {"thread", "process"} <= set(results):
            print(f"parallel speed-up (thread flow / process flow): {results['thread']['wall'] / results['process']['wall']:.2f}x")
        if {"plain", "plain-parallel"} <= set(results):
            print(f"plain functions, parallel vs serial: {results['plain']['wall'] / results['plain-parallel']['wall']:.2f}x")
        if {"plain", "thread"} <= set(results):
            overhead = results["thread"]["wall"] - results["plain"]["wall"]
            print(f"Prefect overhead, serial (thread flow − plain): {overhead:.1f}s = {100 * overhead / results['thread']['wall']:.1f}% of the flow")
        if {"plain-parallel", "process"} <= set(results):
            overhead = results["process"]["wall"] - results["plain-parallel"]["wall"]
            print(f"Prefect overhead, parallel (process flow − plain parallel): {overhead:.1f}s = "
                  f"{100 * overhead / results['process']['wall']:.1f}% of the flow")
        print("JSON " + json.dumps(results))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
