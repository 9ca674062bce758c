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


def use_shared_server(timeout_s: float = START_TIMEOUT_S, wait: bool = True) -> str | None:
    """Point this process (and its children) at the shared local server,
    starting it if no keeper runs; return its API URL, or None when
    PREFECT_API_URL is already set or the temporary mode is asked for.
    With wait=False it returns as soon as the keeper is started, so the
    command's own imports overlap the server's start; call `wait_until_ready`
    before the first API call."""
    if os.environ.get("PREFECT_API_URL") or os.environ.get("TONGBAO_PREFECT_SERVER", "shared") == "temporary":
        return None
    folder = state_dir()
    (folder / "leases").mkdir(parents=True, exist_ok=True)
    with _locked(folder / "lock"):
        url = running_url(folder)
        if url is None:
            url = _start_keeper(folder)
        _take_lease(folder)
    os.environ["PREFECT_API_URL"] = url
    if wait:
        wait_until_ready(url, timeout_s, folder)
    return url


def wait_until_ready(url: str | None = None, timeout_s: float = START_TIMEOUT_S, folder: Path | None = None) -> None:
    """Return once the shared server answers; raise RuntimeError (with the
    keeper's log) if its keeper died or it did not answer in time."""
    folder = folder or state_dir()
    url = url or os.environ.get("PREFECT_API_URL")
    state = read_state(folder)
    if not url or not state or state.get("url") != url:
        return  # a server of the user's own, or the temporary mode
    deadline = time.monotonic() + timeout_s
    while not healthy(url, timeout_s=1.0):
        if not _is_keeper(state.get("keeper_pid")) or time.monotonic() > deadline:
            tail = _log_tail(folder)
            why = "stopped" if not _is_keeper(state.get("keeper_pid")) else f"did not answer within {timeout_s:g}s"
            raise RuntimeError(f"the local Prefect server {why}; see {folder / 'keeper.log'} "
                               f"or set PREFECT_API_URL. {tail}")
        time.sleep(0.05)


def running_url(folder: Path) -> str | None:
    """Given the state folder, return the shared server's API URL if its keeper
    lives (the server may still be starting), else None."""
    state = read_state(folder)
    if not state or not _is_keeper(state.get("keeper_pid")):
        return None
    if state.get("ready") and not healthy(state["url"]):
        return None  # a keeper whose server no longer answers
    return state["url"]


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
    if not state or not _is_keeper(state.get("keeper_pid")):
        return False
    os.kill(state["keeper_pid"], signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    while _is_keeper(state["keeper_pid"]) and time.monotonic() < deadline:
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


def _start_keeper(folder: Path) -> str:
    """Start a keeper on a free port and record it (state "starting"); the
    caller holds the lock, so the keeper's own "ready" write comes after."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    log = open(folder / "keeper.log", "ab")
    keeper = subprocess.Popen(
        [sys.executable, "-m", "flows.local_server", str(folder), str(port)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    log.close()
    _write_state(folder, {"url": url, "keeper_pid": keeper.pid, "ready": False, "started_at": time.time()})
    return url


def _write_state(folder: Path, state: dict) -> None:
    partial = folder / f"server.json.{os.getpid()}.tmp"
    partial.write_text(json.dumps(state), encoding="utf-8")
    os.replace(partial, folder / "server.json")


def _log_tail(folder: Path) -> str:
    try:
        return (folder / "keeper.log").read_text(encoding="utf-8", errors="replace")[-2000:]
    except OSError:
        return ""


def _take_lease(folder: Path) -> None:
    lease = folder / "leases" / str(os.getpid())
    lease.touch()

    def release() -> None:
        lease.unlink(missing_ok=True)
        (folder / "last_used").touch()

    atexit.register(release)


def _is_keeper(pid: int | None) -> bool:
    """Return True if pid is a live keeper (not a stranger that reused the pid)."""
    if not _alive(pid):
        return False
    try:
        return b"flows.local_server" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # no /proc here: trust the pid
        return True


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


def keep(folder: Path, port: int, poll_s: float = 1.0) -> None:
    """Run the server until it has been idle for the idle time (no live lease,
    nothing used since), or until SIGTERM; then stop it and clear the state.
    A fresh Prefect home gets the shipped migrated database first."""
    from flows.prefect_template import seed_database

    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    if seed_database(prefect_home()):
        # The template holds this Prefect's block types already; registering
        # them again costs ~1.5 s. The next start registers (and memoizes) as usual.
        env["PREFECT_API_BLOCKS_REGISTER_ON_START"] = "false"
    url = f"http://127.0.0.1:{port}/api"
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
        env=env,
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
        with _locked(folder / "lock"):
            (folder / "last_used").touch()
            state = read_state(folder) or {}
            if state.get("keeper_pid") in (None, os.getpid()):
                _write_state(folder, {"url": url, "keeper_pid": os.getpid(), "server_pid": server.pid,
                                      "ready": True, "started_at": time.time()})
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
    keep(Path(sys.argv[1]), int(sys.argv[2]))
