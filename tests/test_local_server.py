"""The shared local Prefect server: the first command starts it, the next connects, it stops when idle.

Real processes throughout: the `tongbao` command, the keeper it leaves
behind, the uvicorn server, and Prefect's own API to count the flow runs.
"""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from flows.prefect_template import TEMPLATE
from tests.support import FIXTURES

pytestmark = pytest.mark.slow  # real server start-ups: in CI (`dev.py test --all`), not the default run

TONGBAO = str(Path(sys.executable).with_name("tongbao"))
SEED = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"


def _env(home: Path, **extra: str) -> dict:
    """The environment of a user with no Prefect server configured."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(home), **extra}


def _block_type_ids(database: Path) -> list[tuple[str, str]]:
    """Block-type ids are random UUIDs made when a database is first set up, so equal ids mean the same origin."""
    with sqlite3.connect(database) as con:
        return con.execute("SELECT slug, id FROM block_type ORDER BY slug").fetchall()


def _template() -> Path:
    unpacked = Path(tempfile.mkdtemp()) / "template.db"
    with gzip.open(TEMPLATE) as source:
        unpacked.write_bytes(source.read())
    return unpacked


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_second_command_connects_to_the_server_the_first_started_and_it_stops_when_idle(tmp_path):
    home = tmp_path / "prefect-home"
    # idle long enough for the second command to arrive on a busy machine, short enough to wait out
    env = _env(home, TONGBAO_PREFECT_IDLE_S="30")
    state_file = home / "tongbao-server" / "server.json"
    first = subprocess.run([TONGBAO, "ingest", str(SEED), "-w", str(tmp_path / "a.duckdb")],
                           env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert "Starting temporary server" not in first.stderr + first.stdout
    state = json.loads(state_file.read_text())
    try:
        assert _alive(state["keeper_pid"]) and _alive(state["server_pid"])  # outlived the command
        second = subprocess.run([TONGBAO, "ingest", str(SEED), "-w", str(tmp_path / "b.duckdb")],
                                env=env, capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr
        assert json.loads(state_file.read_text())["keeper_pid"] == state["keeper_pid"]  # the same server
        runs = httpx.post(f"{state['url']}/flow_runs/filter", json={}, timeout=10).json()
        assert [r["state"]["type"] for r in runs] == ["COMPLETED", "COMPLETED"]  # both commands' flow runs
        assert _block_type_ids(home / "prefect.db") == _block_type_ids(_template())  # the shipped database, not migrated anew
        for name in ("a", "b"):
            con = duckdb.connect(str(tmp_path / f"{name}.duckdb"), read_only=True)
            assert con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0] == 220  # seed 000's figures
            con.close()
        # no command holds it now: after the idle time the keeper stops the server and clears its state
        deadline = time.monotonic() + 180
        while _alive(state["keeper_pid"]) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not _alive(state["keeper_pid"]) and not state_file.exists()
        assert not _alive(state["server_pid"])
    finally:
        for pid in (state["keeper_pid"], state["server_pid"]):
            if _alive(pid):
                os.kill(pid, 15)


def test_a_held_warehouse_is_refused_before_prefect_starts(tmp_path):
    home = tmp_path / "prefect-home"
    warehouse = tmp_path / "held.duckdb"
    holder = duckdb.connect(str(warehouse))
    try:
        started = time.monotonic()
        result = subprocess.run([TONGBAO, "ingest", str(SEED), "-w", str(warehouse)],
                                env=_env(home, TONGBAO_LOCK_WAIT_S="0.5"), capture_output=True, text=True, timeout=120)
        seconds = time.monotonic() - started
    finally:
        holder.close()
    assert result.returncode == 3, result.stderr
    assert "held by another process" in result.stderr or "busy" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr  # one line
    assert not (home / "tongbao-server").exists(), "Prefect was started for a run that could not write"
    assert seconds < 60


def test_two_commands_started_together_on_a_fresh_home_share_one_server(tmp_path):
    home = tmp_path / "prefect-home"
    env = _env(home, TONGBAO_PREFECT_IDLE_S="30")
    commands = [subprocess.Popen([TONGBAO, "ingest", str(SEED), "-w", str(tmp_path / f"{name}.duckdb")],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for name in ("a", "b")]
    results = [(c.wait(timeout=300), c.stderr.read()) for c in commands]
    state = json.loads((home / "tongbao-server" / "server.json").read_text())
    try:
        assert [code for code, _ in results] == [0, 0], results
        runs = httpx.post(f"{state['url']}/flow_runs/filter", json={}, timeout=10).json()
        assert sorted(r["parameters"]["warehouse"] for r in runs) == [str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb")]
        keepers = subprocess.run(["pgrep", "-f", f"flows.local_server {home}"], capture_output=True, text=True)
        assert keepers.stdout.split() == [str(state["keeper_pid"])]  # one keeper for both
    finally:
        for pid in (state["keeper_pid"], state.get("server_pid")):
            if pid and _alive(pid):
                os.kill(pid, 15)
