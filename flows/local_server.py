"""One local Prefect API server that tongbao commands share, stopped when idle.

Without `PREFECT_API_URL`, Prefect starts a temporary API server for every
command and stops it at exit: 8–12 s of a one-file ingest that does 0.6 s of
work. Instead the first command starts a keeper (its own session, so it
outlives the command) that runs the server; later commands connect to it.
Each command holds a lease (a file named by its pid) while it runs; the
keeper stops the server once no live command holds one and none has used it
for `TONGBAO_PREFECT_IDLE_S` seconds (default 600).

`PREFECT_API_URL`, when set, wins (a server of your own, with its UI);
`TONGBAO_PREFECT_SERVER=temporary` keeps Prefect's start-and-stop per command.
The state lives in `$PREFECT_HOME/tongbao-server/` (`server.json`: url and
pids; `leases/`; `keeper.log`). No Prefect import here: the keeper runs the
server as a child process (uvicorn with Prefect's app factory, as Prefect's
own temporary server does).
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

DEFAULT_IDLE_S = 600.0
START_TIMEOUT_S = 120.0


def prefect_home() -> Path:
    return Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def state_dir() -> Path:
    return prefect_home() / "tongbao-server"


def idle_seconds() -> float:
    raw = os.environ.get("TONGBAO_PREFECT_IDLE_S", str(DEFAULT_IDLE_S))
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"TONGBAO_PREFECT_IDLE_S={raw!r} is not a number of seconds") from exc


def use_shared_server(timeout_s: float = START_TIMEOUT_S) -> str | None:
    """Point this process (and its children) at the shared local server,
    starting it if none answers; return its API URL, or None when
    PREFECT_API_URL is already set or the temporary mode is asked for."""
    if os.environ.get("PREFECT_API_URL") or os.environ.get("TONGBAO_PREFECT_SERVER", "shared") == "temporary":
        return None
    folder = state_dir()
    (folder / "leases").mkdir(parents=True, exist_ok=True)
    with _locked(folder / "lock"):
        url = running_url(folder)
        if url is None:
            url = _start_keeper(folder, timeout_s)
        _take_lease(folder)
    os.environ["PREFECT_API_URL"] = url
    return url


def running_url(folder: Path) -> str | None:
    """Given the state folder, return the shared server's API URL if its keeper
    lives and the server answers its health check, else None."""
    state = read_state(folder)
    if not state or not _alive(state.get("keeper_pid")):
        return None
    return state["url"] if healthy(state["url"]) else None


def read_state(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "server.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def healthy(api_url: str, timeout_s: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout_s) as response:
            return response.status == 200
    except OSError:
        return False


def stop_shared_server(folder: Path | None = None, timeout_s: float = 15.0) -> bool:
    """Stop the shared server's keeper (and so the server); return True if one ran."""
    state = read_state(folder or state_dir())
    if not state or not _alive(state.get("keeper_pid")):
        return False
    os.kill(state["keeper_pid"], signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while _alive(state["keeper_pid"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return True


# --- the command's side ---


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _start_keeper(folder: Path, timeout_s: float) -> str:
    (folder / "server.json").unlink(missing_ok=True)
    log = open(folder / "keeper.log", "ab")
    keeper = subprocess.Popen(
        [sys.executable, "-m", "flows.local_server", str(folder)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    log.close()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = read_state(folder)
        if state and state.get("keeper_pid") == keeper.pid:
            return state["url"]
        if keeper.poll() is not None:
            break
        time.sleep(0.05)
    keeper.kill()
    tail = (folder / "keeper.log").read_text(encoding="utf-8", errors="replace")[-2000:]
    raise RuntimeError(f"the local Prefect server did not start within {timeout_s:g}s; "
                       f"see {folder / 'keeper.log'} or set PREFECT_API_URL. {tail}")


def _take_lease(folder: Path) -> None:
    lease = folder / "leases" / str(os.getpid())
    lease.touch()

    def release() -> None:
        lease.unlink(missing_ok=True)
        (folder / "last_used").touch()

    atexit.register(release)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the keeper's side ---


def keep(folder: Path, poll_s: float = 1.0) -> None:
    """Run the server until it has been idle for the idle time (no live lease,
    nothing used since), or until SIGTERM; then stop it and clear the state."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
        env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"},
        stdin=subprocess.DEVNULL,
    )
    stopping = False

    def on_term(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(url, timeout_s=1.0):
            if server.poll() is not None or time.monotonic() > deadline or stopping:
                return
            time.sleep(0.1)
        (folder / "last_used").touch()
        state = {"url": url, "keeper_pid": os.getpid(), "server_pid": server.pid, "started_at": time.time()}
        (folder / "server.json.tmp").write_text(json.dumps(state), encoding="utf-8")
        os.replace(folder / "server.json.tmp", folder / "server.json")
        idle = idle_seconds()
        while not stopping and server.poll() is None:
            time.sleep(poll_s)
            with _locked(folder / "lock"):
                if not _leased(folder) and time.time() - _last_used(folder) > idle:
                    (folder / "server.json").unlink(missing_ok=True)
                    break
    finally:
        state = read_state(folder)
        if state and state.get("keeper_pid") == os.getpid():
            (folder / "server.json").unlink(missing_ok=True)
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _leased(folder: Path) -> bool:
    """Return True if a live command holds a lease; drop the leases of dead ones."""
    held = False
    for lease in (folder / "leases").glob("*"):
        if lease.name.isdigit() and _alive(int(lease.name)):
            held = True
        else:
            lease.unlink(missing_ok=True)
            (folder / "last_used").touch()
    return held


def _last_used(folder: Path) -> float:
    try:
        return (folder / "last_used").stat().st_mtime
    except OSError:
        return 0.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    keep(Path(sys.argv[1]))
