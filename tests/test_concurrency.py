"""Two processes, one warehouse: waits, clear refusals naming the holder, nothing half-loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.support import FIXTURES
from tests.test_crash_safety import COPIES, _check_whole_or_absent, inbox  # noqa: F401  (fixture)
from warehouse.connection import connect

pytestmark = pytest.mark.slow  # two real CLI processes at once: CI runs it (`dev.py test --all`)

EXE = str(Path(sys.executable).with_name("tongbao"))


@pytest.fixture()
def holder(tmp_path):
    """A separate process that keeps the warehouse open for writing."""
    path = tmp_path / "held.duckdb"
    connect(path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ready', flush=True); time.sleep(120)"],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    yield path, proc.pid
    proc.kill()
    proc.wait()


@pytest.mark.parametrize("command", [["status"], ["query", "select 1"], ["ingest", str(FIXTURES / "seeds")]])
def test_a_command_waits_for_a_held_warehouse_then_names_the_holder(holder, command):
    path, pid = holder
    env = {**os.environ, "TONGBAO_LOCK_WAIT_S": "1", "PREFECT_LOGGING_LEVEL": "ERROR"}
    result = subprocess.run([EXE, *command, "-w", str(path)], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 3, result.stderr
    message = " ".join(result.stderr.split())
    assert f"PID {pid}" in message and "waited 1s" in message


def test_two_ingests_at_once_load_every_bulletin_exactly_once(inbox, tmp_path):  # noqa: F811
    warehouse = tmp_path / "w.duckdb"
    env = {**os.environ, "TONGBAO_LOCK_WAIT_S": "120", "PREFECT_LOGGING_LEVEL": "ERROR"}
    runs = [
        subprocess.Popen([EXE, "ingest", str(inbox), "-w", str(warehouse), "--json"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in runs]
    for code, _, err in results:
        assert code == 0, err
    assert _check_whole_or_absent(warehouse) == 2 * COPIES
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT bulletin_id) FROM bulletins").fetchone() == (2 * COPIES, 2 * COPIES)
    con.close()
