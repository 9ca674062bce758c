"""The wheel carries what an installed tongbao reads at run time: SQL, data files, every runtime dependency."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.slow  # builds a wheel; CI also installs it in a fresh venv (.ci/run)

TEST_TOOLS = {"pytest", "hypothesis", "reportlab", "setuptools", "wheel"}


def _tracked(*patterns: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True, check=True)
    return {line for line in out.stdout.splitlines() if line}


def test_the_wheel_holds_the_sql_the_data_files_and_every_runtime_dependency(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "parsers", "units", "warehouse", "ingest", "flows", "tongbao", "sql"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", str(source),
                    "-w", str(tmp_path / "dist")], check=True, capture_output=True, timeout=300)
    [wheel] = (tmp_path / "dist").glob("tongbao-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        metadata = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    needed = _tracked("sql", "parsers/data", "units/data")
    assert any(n.startswith("sql/staging/") for n in needed) and any(n.endswith(".csv") for n in needed)
    assert needed - names == set()
    required = {re.split(r"[<>=!;\s\[]", line.removeprefix("Requires-Dist: "), maxsplit=1)[0].lower()
                for line in metadata.splitlines() if line.startswith("Requires-Dist: ") and "extra ==" not in line}
    runtime = {re.split(r"[<>=!\s\[]", line, maxsplit=1)[0].lower()
               for line in (ROOT / "requirements.in").read_text().splitlines() if line.strip() and not line.startswith("#")}
    assert runtime - TEST_TOOLS - required == set(), "add these to pyproject.toml dependencies"
    assert {"openpyxl", "prefect-dask"} <= required
