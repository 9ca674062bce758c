"""End to end: a real Prefect server on loopback, `tongbao serve`, a triggered run, rows in the warehouse."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.support import FIXTURES, ROOT

pytestmark = pytest.mark.slow

SERVE = "from tongbao.cli import app; app()"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(home: Path, api_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PREFECT_LOGGING_LEVEL="INFO", PREFECT_UI_ENABLED="false", PREFECT_RUNNER_POLL_FREQUENCY="1")
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            return


def _wait_healthy(api_url: str, proc: subprocess.Popen, log: Path, timeout: float = 150) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"prefect server exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"prefect server not healthy after {timeout}s:\n{log.read_text()[-3000:]}")


def test_a_served_deployment_runs_on_a_real_prefect_server(tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in (FIXTURES / "seeds").iterdir():
        shutil.copy(seed, inbox / seed.name)
    warehouse = tmp_path / "w.duckdb"
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    server_log, serve_log = tmp_path / "server.log", tmp_path / "serve.log"
    server = serve = None
    try:
        server = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            env=_env(tmp_path / "server-home", None), stdout=server_log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True, cwd=tmp_path,
        )
        _wait_healthy(api_url, server, server_log)
        serve = subprocess.Popen(
            [sys.executable, "-c", SERVE, "serve", str(inbox), "-w", str(warehouse), "--runner", "thread",
             "--name", "e2e", "--cron", "0 2 * * *"],
            env=_env(tmp_path / "serve-home", api_url), stdout=serve_log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True, cwd=ROOT,
        )
        with temporary_settings({PREFECT_API_URL: api_url}):
            deployment = _wait_for_deployment("tongbao-ingest/e2e", serve, serve_log)
            assert [s.schedule.cron for s in deployment.schedules] == ["0 2 * * *"]
            run = run_deployment("tongbao-ingest/e2e", timeout=150, poll_interval=1)
            assert run.state.is_completed(), f"{run.state}\n{serve_log.read_text()[-4000:]}"
            with get_client(sync_client=True) as client:
                from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

                artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
            assert any(a.key == "tongbao-ingest-summary" and "loaded" in str(a.data) for a in artifacts)
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            assert con.execute("SELECT city, count(*) FROM bulletins GROUP BY city ORDER BY city").fetchall() == [
                ("吉林市", 1), ("景德镇市", 1)]
            assert con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0] == 220 + 147
        finally:
            con.close()
    finally:
        _stop(serve)
        _stop(server)


def _wait_for_deployment(name: str, serve: subprocess.Popen, log: Path, timeout: float = 90):
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            if serve.poll() is not None:
                raise AssertionError(f"`tongbao serve` exited:\n{log.read_text()[-4000:]}")
            try:
                return client.read_deployment_by_name(name)
            except ObjectNotFound:
                time.sleep(0.5)
    raise AssertionError(f"deployment {name} never appeared:\n{log.read_text()[-4000:]}")
