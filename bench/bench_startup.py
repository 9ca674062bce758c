"""Start-up cost of a one-file `tongbao ingest` (issue 18), against the bare work.

Each scenario runs the real command under `/usr/bin/time` (wall seconds), on
seed 000 (one small text bulletin) into a new warehouse, `--repeat` times:

- bare: the same store, parse, load and model build as plain functions in one
  Python process, without Prefect (imports included);
- cold: a fresh Prefect home, no server configured: the command copies the
  shipped migrated database in (flows/prefect_template.py) and starts the
  shared local server (flows/local_server.py) while it imports;
- cold-migrate: the same with `TONGBAO_PREFECT_TEMPLATE=0`: Prefect runs its
  migrations on the new home (the behaviour before the template);
- warm: the shared server already running (started by an untimed command);
- server: `PREFECT_API_URL` pointing at that running server;
- temporary: `TONGBAO_PREFECT_SERVER=temporary`, Prefect's own temporary
  server started and stopped by the command (the behaviour before issue 18),
  with an existing Prefect home.

    .venv/bin/python bench/bench_startup.py [--repeat 3] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, write_section  # noqa: E402

SECTION = "## Start-up of a one-file ingest (issue 18)"
NOTE = "What the cold and warm figures owe to what (issue 18, second pass): the shipped migrated Prefect database (cold-migrate minus cold, about 10 s); starting the server before the command's own imports and importing Prefect's lazily loaded engine modules while it starts (about 1 s); ending a flow command without the interpreter's teardown after draining Prefect's log and event workers (0.5–0.7 s on every scenario but bare); bytecode for tongbao's own modules (`dev.py install` compiles it, as pip does for a wheel; 0.4 s where PYTHONDONTWRITEBYTECODE is set, as on this machine)."
SEED = ROOT / "fixtures" / "seeds" / "000_a18ab1c51e121e01.txt"
TONGBAO = str(Path(sys.executable).with_name("tongbao"))
BARE = """
import sys
from pathlib import Path
from ingest.outcomes import apply_outcome
from ingest.parsing import parse_document
from ingest.planning import discover_files, plan_documents
from ingest.rawstore import RawStore, store_local_files
from parsers.limits import Limits
from warehouse.connection import open_warehouse
from warehouse.load import loaded_versions
from warehouse.models import build_models
warehouse = Path(sys.argv[2])
docs, _ = store_local_files(discover_files([sys.argv[1]]), RawStore.for_warehouse(warehouse))
with open_warehouse(warehouse) as con:
    plan = plan_documents(docs, loaded_versions(con))
    for doc in plan.to_parse:
        apply_outcome(con, parse_document(doc, Limits()))
    build_models(con)
"""


def timed(command: list[str], env: dict) -> float:
    """Run a command under /usr/bin/time; return its wall seconds."""
    out = subprocess.run(["/usr/bin/time", "-f", "WALL %e", *command], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    if out.returncode:
        raise SystemExit(f"{command} failed:\n{out.stderr[-3000:]}")
    return float(next(line for line in out.stderr.splitlines() if line.startswith("WALL ")).split()[1])


def env_for(home: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(home), "DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}


def run(repeat: int) -> dict[str, list[float]]:
    from flows.local_server import read_state, stop_shared_server

    folder = Path(tempfile.mkdtemp(prefix="tongbao-bench-startup-"))
    times: dict[str, list[float]] = {k: [] for k in ("bare", "cold", "cold-migrate", "warm", "server", "temporary")}
    ingest = lambda w: [TONGBAO, "ingest", str(SEED), "-w", str(w)]  # noqa: E731
    try:
        warm_home = folder / "warm-home"
        timed(ingest(folder / "first.duckdb"), env_for(warm_home))  # creates the home and starts the server
        url = read_state(warm_home / "tongbao-server")["url"]
        for i in range(repeat):  # interleaved, so a burst of load hits every scenario alike
            times["bare"].append(timed([sys.executable, "-c", BARE, str(SEED), str(folder / f"bare{i}.duckdb")],
                                       env_for(warm_home)))
            cold_home = folder / f"cold-home-{i}"
            times["cold"].append(timed(ingest(folder / f"cold{i}.duckdb"), env_for(cold_home)))
            stop_shared_server(cold_home / "tongbao-server")
            migrate_home = folder / f"migrate-home-{i}"
            times["cold-migrate"].append(timed(ingest(folder / f"migrate{i}.duckdb"),
                                               env_for(migrate_home, TONGBAO_PREFECT_TEMPLATE="0")))
            stop_shared_server(migrate_home / "tongbao-server")
            times["warm"].append(timed(ingest(folder / f"warm{i}.duckdb"), env_for(warm_home)))
            times["server"].append(timed(ingest(folder / f"server{i}.duckdb"), env_for(warm_home, PREFECT_API_URL=url)))
            times["temporary"].append(timed(ingest(folder / f"temp{i}.duckdb"),
                                            env_for(warm_home, TONGBAO_PREFECT_SERVER="temporary")))
    finally:
        stop_shared_server(folder / "warm-home" / "tongbao-server")
        shutil.rmtree(folder, ignore_errors=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="replace this section of BENCHMARKS.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    times = run(args.repeat)
    load_after = os.getloadavg()[0]
    rows = [f"| {name} | {statistics.median(t):.1f} | {min(t):.1f} | {max(t):.1f} |" for name, t in times.items()]
    text = "\n".join([
        SECTION, "",
        f"Measured {dt.date.today().isoformat()} on {machine()}; load average {load_before:.1f} before, "
        f"{load_after:.1f} after (other sessions' jobs share the 2 cores). `python bench/bench_startup.py "
        f"--repeat {args.repeat}`: wall seconds of `tongbao ingest` on one small text bulletin, under `/usr/bin/time`.",
        "", "| scenario | median s | min s | max s |", "|---|---|---|---|", *rows, "",
        "bare = store, parse, load and models as plain functions (no Prefect); cold = fresh Prefect home, the command "
        "copies the shipped migrated Prefect database in and starts the shared server while it imports; cold-migrate = "
        "the same with `TONGBAO_PREFECT_TEMPLATE=0` (Prefect migrates the new database); warm = the shared server running; server = `PREFECT_API_URL` set; temporary = "
        "`TONGBAO_PREFECT_SERVER=temporary` (Prefect's own server per command, the old behaviour).",
        "", NOTE,
    ])
    print(text)
    print(json.dumps(times))
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
