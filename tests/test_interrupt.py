"""Ctrl-C during a load: a clean stop, a non-zero exit, nothing rejected, and a re-run completes the set.

Real signals to a real `tongbao ingest` process: SIGINT to its whole process
group as a terminal sends it (parse children and pool workers get it too),
or to the command alone as a scheduler's `kill -INT` does. The signal is
sent once the third bulletin is written (`--verbose` prints a line per
bulletin loaded when stderr is not a terminal), so it lands during the load.

The 40 bulletins are seed 000 with its year changed (1980 … 2019): 40
different bulletins (different periods), 220 figures each.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.support import FIXTURES

pytestmark = pytest.mark.slow  # three real ingests of 40 bulletins each

TONGBAO = str(Path(sys.executable).with_name("tongbao"))
SEED = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"
COUNT, FIGURES_EACH = 40, 220


def _bulletins(folder: Path) -> Path:
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    for i in range(COUNT):
        (folder / f"b{i:02d}.txt").write_text(text.replace("2020", str(1980 + i)), encoding="utf-8")
    return folder


def _interrupted_run(folder: Path, warehouse: Path, runner: str, to_group: bool, presses: int = 1):
    process = subprocess.Popen(
        [TONGBAO, "ingest", str(folder), "-w", str(warehouse), "--verbose", "--runner", runner],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith("load 3/"):
            for _ in range(presses):
                os.killpg(process.pid, signal.SIGINT) if to_group else process.send_signal(signal.SIGINT)
            break
    stderr = "".join(seen) + process.stderr.read()
    stdout = process.stdout.read()
    process.wait(timeout=300)
    assert any(line.startswith("load 3/") for line in seen), stderr[-3000:]
    return process.returncode, stdout, stderr


def _counts(warehouse: Path) -> tuple[int, int, list]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return (con.execute("SELECT count(*) FROM bulletins").fetchone()[0],
                con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0],
                con.execute("SELECT reason FROM rejections").fetchall())
    finally:
        con.close()


def _flow_run_state(warehouse: Path) -> tuple[str, str]:
    """The state of the flow run that wrote `warehouse`, from the Prefect API the command used."""
    runs = httpx.post(f"{os.environ['PREFECT_API_URL']}/flow_runs/filter",
                      json={"sort": "START_TIME_DESC", "limit": 50}, timeout=10).json()
    (run,) = [r for r in runs if r["parameters"].get("warehouse") == str(warehouse)]
    return run["state"]["type"], run["state"]["message"] or ""


def _rerun_completes_the_set(folder: Path, warehouse: Path, loaded_before: int) -> None:
    rerun = subprocess.run([TONGBAO, "ingest", str(folder), "-w", str(warehouse), "--json"],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    counts = json.loads(rerun.stdout)["counts"]
    assert counts == {"loaded": COUNT - loaded_before, "skipped": loaded_before}
    bulletins, figures, rejections = _counts(warehouse)
    assert (bulletins, figures, rejections) == (COUNT, COUNT * FIGURES_EACH, [])


@pytest.mark.parametrize("runner,to_group", [("thread", True), ("process", False)],
                         ids=["ctrl-c-to-the-group-thread-runner", "kill-int-to-the-command-process-runner"])
def test_an_interrupt_during_the_load_stops_cleanly_and_a_rerun_completes_the_set(tmp_path, runner, to_group):
    folder, warehouse = _bulletins(tmp_path / "in"), tmp_path / "w.duckdb"
    code, stdout, stderr = _interrupted_run(folder, warehouse, runner, to_group)
    assert code == 130, stderr[-3000:]
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "stopped" in stderr and "run the same command again" in stderr
    bulletins, figures, rejections = _counts(warehouse)
    assert 3 <= bulletins < COUNT and figures == bulletins * FIGURES_EACH  # whole bulletins only
    assert rejections == []  # nothing loaded (or not) is reported load_failed, or rejected at all
    assert "load_failed" not in stdout and ", 0 rejected" in stdout
    state, message = _flow_run_state(warehouse)
    assert state == "CANCELLED" and f"{bulletins} loaded" in message
    _rerun_completes_the_set(folder, warehouse, bulletins)


def test_a_second_interrupt_aborts_at_once_and_the_warehouse_keeps_whole_bulletins(tmp_path):
    folder, warehouse = _bulletins(tmp_path / "in"), tmp_path / "w.duckdb"
    code, _, stderr = _interrupted_run(folder, warehouse, "thread", to_group=True, presses=2)
    assert code == 130, stderr[-3000:]
    assert "Traceback" not in stderr
    bulletins, figures, rejections = _counts(warehouse)
    assert bulletins < COUNT and figures == bulletins * FIGURES_EACH and rejections == []
    _rerun_completes_the_set(folder, warehouse, bulletins)


class _SlowBulletins(BaseHTTPRequestHandler):
    """Serves /b<i>.txt, bulletin i of `_bulletins`, after i × 0.4 s: the downloads end one by one."""

    folder: Path

    def log_message(self, *args):
        pass

    def do_GET(self):
        name = self.path.strip("/")
        path = self.folder / name
        if not path.is_file():
            self.send_response(404)
            self.end_headers()
            return
        time.sleep(0.4 * int(name[1:3]))
        body = path.read_bytes()
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def test_an_interrupt_during_downloads_rejects_nothing_and_the_next_fetch_completes_the_set(tmp_path):
    folder = _bulletins(tmp_path / "site")
    _SlowBulletins.folder = folder
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowBulletins)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}/b{i:02d}.txt" for i in range(12)]
    sources = tmp_path / "sources.toml"
    sources.write_text('[defaults]\ntimeout_s = 30\n\n[cities."吉林市"]\nurls = [' + ", ".join(f'"{u}"' for u in urls) + "]\n",
                       encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    try:
        process = subprocess.Popen([TONGBAO, "fetch", str(sources), "-w", str(warehouse), "--verbose"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        seen = []
        for line in process.stderr:
            seen.append(line)
            if line.startswith("fetch 2/"):
                os.killpg(process.pid, signal.SIGINT)
                break
        stderr = "".join(seen) + process.stderr.read()
        process.stdout.read()
        assert process.wait(timeout=300) == 130, stderr[-3000:]
        assert "Traceback" not in stderr and "stopped" in stderr
        bulletins, _, rejections = _counts(warehouse)
        assert bulletins < 12 and rejections == []  # a download not made is not a failed download
        again = subprocess.run([TONGBAO, "fetch", str(sources), "-w", str(warehouse)],
                               capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert _counts(warehouse) == (12, 12 * FIGURES_EACH, [])
    finally:
        server.shutdown()
        server.server_close()
