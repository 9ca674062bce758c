"""SIGKILL during loading: every bulletin is wholly present or absent, and a re-run completes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.support import FIXTURES, ROOT

pytestmark = pytest.mark.slow  # real SIGKILLs of real processes: CI runs them (`dev.py test --all`)

SEED_ROWS = {"000": 220, "004": 48 + 33 * 3}  # unit_metrics rows per seed bulletin (from the seed text)
COPIES = 10


@pytest.fixture()
def inbox(tmp_path):
    """Twenty distinct bulletins: each seed with a different closing remark,
    and — since copies of one bulletin load as one (warehouse/copies.py) —
    a different identity: seed 004 its own document number, seed 000 (which
    prints none) its own year."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    for seed in sorted((FIXTURES / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        for i in range(COPIES):
            own = text.replace("景府办明〔2021〕2号", f"景府办明〔2021〕{100 + i}号").replace("2020年", f"{2000 + i}年")
            (folder / f"{seed.name[:3]}_copy{i:02d}.txt").write_text(own + f"\n(副本{i})\n", encoding="utf-8")
    return folder


def _check_whole_or_absent(warehouse: Path) -> int:
    """Open the warehouse (it must open) and return how many bulletins are loaded,
    asserting each has exactly its rows and no rows belong to an absent bulletin."""
    con = duckdb.connect(str(warehouse))
    try:
        if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'bulletins'").fetchone()[0]:
            return 0  # killed before the schema was created: nothing loaded, nothing lost
        per_bulletin = con.execute(
            "SELECT b.source_file, count(m.bulletin_id) FROM bulletins b "
            "LEFT JOIN unit_metrics m USING (bulletin_id) GROUP BY b.source_file"
        ).fetchall()
        for source, rows in per_bulletin:
            assert rows == SEED_ROWS[Path(source).name[:3]], (source, rows)
        orphans = con.execute(
            "SELECT count(*) FROM unit_metrics WHERE bulletin_id NOT IN (SELECT bulletin_id FROM bulletins)"
        ).fetchone()[0]
        assert orphans == 0
        return len(per_bulletin)
    finally:
        con.close()


def _driver(inbox: Path, warehouse: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "crash_driver.py"), str(inbox), str(warehouse)],
        stdout=subprocess.PIPE, text=True,
    )


def test_sigkill_at_random_points_while_loading_loses_nothing(inbox, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    rng = random.Random(7)
    kills = 0
    for attempt in range(8):
        proc = _driver(inbox, warehouse)
        line = proc.stdout.readline().strip()
        if line == "loading":
            time.sleep(rng.uniform(0.0, 0.25))
            proc.send_signal(signal.SIGKILL)
            kills += proc.wait() == -signal.SIGKILL
        else:
            proc.wait()
        loaded = _check_whole_or_absent(warehouse)
        if loaded == 2 * COPIES:
            break
    assert kills >= 1, "no run was killed while loading"
    proc = _driver(inbox, warehouse)
    assert proc.stdout.read().split() == ["loading", "done"]
    assert proc.wait() == 0
    assert _check_whole_or_absent(warehouse) == 2 * COPIES


def test_sigkill_of_the_real_cli_mid_run_then_rerun_completes(inbox, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    exe = str(Path(sys.executable).with_name("tongbao"))
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": "ERROR"}
    # Its own process group, killed whole, as a scheduler kills a job: Prefect's
    # temporary API server (a child process) dies with it instead of lingering.
    proc = subprocess.Popen([exe, "ingest", str(inbox), "-w", str(warehouse)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # The flow holds the file twice: briefly to plan, then to load. Kill during the second hold.
    deadline = time.monotonic() + 120
    holds, held = 0, False
    while time.monotonic() < deadline and proc.poll() is None and holds < 2:
        if warehouse.exists():
            try:
                duckdb.connect(str(warehouse), read_only=True).close()
                held = False
            except duckdb.Error:
                holds += not held
                held = True
        time.sleep(0.005)
    assert holds == 2 and proc.poll() is None, "the run ended or never reached loading before the kill"
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL
    # killed mid-load: the load had begun (second hold) and had not finished
    assert _check_whole_or_absent(warehouse) < 2 * COPIES
    rerun = subprocess.run([exe, "ingest", str(inbox), "-w", str(warehouse)], env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert _check_whole_or_absent(warehouse) == 2 * COPIES
