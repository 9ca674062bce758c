"""Against a Prefect server of the user's own (`PREFECT_API_URL`), a `tongbao
ingest` is a flow run that the Prefect UI shows, with its summary artifact.

Real parts: `prefect server start` with its UI, the `tongbao` command, and
Debian's Chromium driven by Playwright opening the UI's page of the run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flows.local_server import _free_port, healthy
from flows.prefect_template import seed_database
from report.render import CHROMIUM_FLAGS, find_chromium
from tests.support import FIXTURES

pytestmark = pytest.mark.slow
CHROMIUM = find_chromium()
TONGBAO = str(Path(sys.executable).with_name("tongbao"))
PREFECT = str(Path(sys.executable).with_name("prefect"))
SEED = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"


@pytest.fixture()
def own_server(tmp_path):
    home = tmp_path / "prefect-home"
    seed_database(home)  # skip the migrations: this test is about the UI, not the database
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1")
    # the UI asks the API at PREFECT_UI_API_URL (else port 4200), not at the port the server was started on
    server = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env={**env, "PREFECT_UI_API_URL": f"http://127.0.0.1:{port}/api"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while not healthy(f"{url}/api"):
            assert server.poll() is None and time.monotonic() < deadline, "prefect server start did not come up"
            time.sleep(0.5)
        yield url, env
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install chromium; .ci/run does)")
def test_an_ingest_against_your_own_server_is_a_flow_run_its_ui_shows(own_server, tmp_path):
    url, env = own_server
    result = subprocess.run([TONGBAO, "ingest", str(SEED), "-w", str(tmp_path / "w.duckdb")],
                            env={**env, "PREFECT_API_URL": f"{url}/api"}, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not (Path(env["PREFECT_HOME"]) / "tongbao-server").exists()  # no shared server of ours was started
    (run,) = httpx.post(f"{url}/api/flow_runs/filter", json={}, timeout=10).json()
    assert run["state"]["type"] == "COMPLETED" and run["parameters"]["warehouse"] == str(tmp_path / "w.duckdb")
    artifacts = httpx.post(f"{url}/api/artifacts/filter", json={}, timeout=10).json()
    assert [a["key"] for a in artifacts if a["flow_run_id"] == run["id"]] == ["tongbao-ingest-summary"]

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=[a for a in CHROMIUM_FLAGS if a != "--headless"])
        try:
            page = browser.new_page()
            page.goto(f"{url}/runs/flow-run/{run['id']}", wait_until="domcontentloaded")
            page.get_by_text(run["name"]).first.wait_for(timeout=60_000)  # the run, by its name
            page.get_by_text("tongbao-ingest").first.wait_for(timeout=60_000)  # of our flow
            page.get_by_text("Completed").first.wait_for(timeout=60_000)
            page.get_by_text("1 Task run").first.wait_for(timeout=60_000)  # the parse task
        finally:
            browser.close()
