#!/usr/bin/env python3
"""Set up and run tongbao with nothing but Python 3.11+ and pip.

    python3 dev.py demo    # install into .venv, ingest the bundled fixtures, query them
    python3 dev.py test    # install into .venv (with test tools), run the tests not marked slow
    python3 dev.py test --all   # every test, as CI runs them
    python3 dev.py wheel   # build the wheel, install it in a fresh venv, run the demo from it

Both create `.venv/` on first use and install the exact versions pinned in
requirements.lock, then tongbao itself in editable mode. Extra arguments
after `test` go to pytest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".tongbao-installed"
OFFLINE = {"DO_NOT_TRACK": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def run(*args: str, **kwargs) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True, cwd=ROOT, **kwargs)


PACKAGES = ("parsers", "units", "warehouse", "report", "ingest", "flows", "tongbao")


def install() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"tongbao needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = ROOT / "requirements.lock"
    wanted = f"{lock.stat().st_mtime_ns}:{(ROOT / 'pyproject.toml').stat().st_mtime_ns}"
    if not (STAMP.exists() and STAMP.read_text() == wanted):
        run(str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(lock))
        run(str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-deps", "--no-build-isolation", "-e", ".")
        STAMP.write_text(wanted)
    # An editable install gets no bytecode from pip (a wheel does), and where
    # PYTHONDONTWRITEBYTECODE is set none is ever written: every command would
    # compile tongbao's modules again (~0.4 s of a one-file ingest). Up-to-date files are skipped.
    run(str(PY), "-m", "compileall", "-q", *[str(ROOT / p) for p in PACKAGES])


def demo(tongbao: str | None = None, cwd: Path = ROOT) -> None:
    """Ingest the bundled fixtures and print a summary query, with the
    `tongbao` command given (default: the one in .venv)."""
    if tongbao is None:
        install()
        tongbao = str(BIN / "tongbao")
    env = {**os.environ, **OFFLINE}
    warehouse = os.environ.get("TONGBAO_WAREHOUSE", str(ROOT / "warehouse.duckdb"))
    fixtures = ROOT / "fixtures"
    steps = [
        [tongbao, "ingest", str(fixtures / "seeds"), str(fixtures / "bad"), "--warehouse", warehouse],
        [tongbao, "query", "-w", warehouse,
         "select city, period_year, period_quarter, count(*) as units, sum(submitted) as submitted, "
         "sum(adopted) as adopted, sum(updates) as updates, sum(messages_received) as letters "
         "from unit_quarter group by all order by all"],
    ]
    for args in steps:
        print("+", " ".join(args), flush=True)
        subprocess.run(args, check=True, cwd=cwd, env=env)
    print(f"\nwarehouse: {warehouse}  (try: {tongbao} query \"select * from unit_quarter\" -w {warehouse})")


def build_wheel(out: Path) -> Path:
    """Build tongbao's wheel into `out` with the build tools pinned in the lock
    (no build isolation, so nothing is fetched) and return its path."""
    install()
    run(str(PY), "-m", "pip", "wheel", "--disable-pip-version-check", "-q", "--no-deps",
        "--no-build-isolation", "-w", str(out), ".")
    return next(out.glob("tongbao-*.whl"))


def wheel() -> None:
    """Build the wheel, install it in a fresh venv (the lock's pins, then the
    wheel without resolving again) and run the demo from a folder outside the
    checkout, so nothing is read from the source tree but the fixtures."""
    work = Path(tempfile.mkdtemp(prefix="tongbao-wheel-"))
    try:
        built = build_wheel(work / "dist")
        env_dir = work / "venv"
        venv.EnvBuilder(with_pip=True).create(env_dir)
        py = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
        run(str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(ROOT / "requirements.lock"))
        run(str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", "--no-deps", str(built))
        run(str(py), "-m", "pip", "check")
        os.environ.setdefault("TONGBAO_WAREHOUSE", str(work / "warehouse.duckdb"))
        demo(str(py.parent / "tongbao"), cwd=work)
        print(f"wheel {built.name}: installed in a fresh venv and ran the demo")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test(pytest_args: list[str]) -> int:
    """Run pytest: without `--all` (and without a -m of the caller's own), the
    tests marked slow (real kills, server start-ups, installs) are left out."""
    install()
    env = {**os.environ, **OFFLINE}
    if "--all" in pytest_args:
        pytest_args = [a for a in pytest_args if a != "--all"]
    elif "-m" not in pytest_args:
        pytest_args = ["-m", "not slow", *pytest_args]
    return subprocess.run([str(PY), "-m", "pytest", *pytest_args], cwd=ROOT, env=env).returncode


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "demo":
        demo()
        return 0
    if command == "test":
        return test(sys.argv[2:])
    if command == "wheel":
        wheel()
        return 0
    if command == "install":
        install()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
