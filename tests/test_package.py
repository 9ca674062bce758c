"""The package as users get it: a built wheel, installed in a fresh venv.

The wheel must carry the SQL models, every data file and a dependency list
covering every third-party import of the code; installed in a venv of its
own and run from a folder outside the checkout, `tongbao models` must build
every model and `tongbao ingest` must load a bulletin.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import venv
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import pytest

from tests.support import FIXTURES, ROOT

pytestmark = pytest.mark.slow

CODE = ("parsers", "units", "warehouse", "report", "ingest", "flows", "tongbao")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel the way `dev.py wheel` does (no build isolation, nothing fetched)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (built,) = out.glob("tongbao-*.whl")
    return built


def _names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_wheel_carries_every_sql_and_data_file(wheel):
    names = _names(wheel)
    repo_sql = {f"warehouse/sql/{p.relative_to(ROOT / 'sql').as_posix()}" for p in (ROOT / "sql").rglob("*") if p.suffix in (".sql", ".md")}
    assert repo_sql <= names, sorted(repo_sql - names)
    # Written by hand: a model of each layer, a data test and its doc.
    for name in ("warehouse/sql/staging/stg_unit_metrics.sql", "warehouse/sql/intermediate/int_city_periods.sql",
                 "warehouse/sql/marts/unit_quarter.sql", "warehouse/sql/marts/unit_quarter.md",
                 "warehouse/sql/tests/rates_between_0_and_1.sql"):
        assert name in names
    for package in ("parsers", "units", "warehouse", "report"):
        data = {f"{package}/data/{p.name}" for p in (ROOT / package / "data").glob("*.csv")}
        assert data and data <= names, sorted(data - names)
    templates = {f"report/templates/{p.name}" for p in (ROOT / "report" / "templates").glob("*") if p.is_file()}
    assert templates <= names, sorted(templates - names)
    assert {"parsers/data/header_synonyms.csv", "units/data/departments.csv", "warehouse/data/metric_labels.csv"} <= names
    assert not any(n.startswith(("tests/", "fixtures/", "bench/")) for n in names)


def _third_party_imports() -> set[str]:
    """Every top-level module the code imports that is neither ours nor the standard library."""
    found: set[str] = set()
    for package in CODE:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return {m for m in found if m not in CODE and m not in sys.stdlib_module_names and m != "__future__"}


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def test_the_wheel_requires_every_package_the_code_imports(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (meta,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        requires = Parser().parsestr(archive.read(meta).decode()).get_all("Requires-Dist") or []
    declared = {_canonical(r.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].split("!")[0].strip())
                for r in requires if "extra ==" not in r}
    providers = metadata.packages_distributions()
    missing = {}
    for module in _third_party_imports():
        dists = {_canonical(d) for d in providers.get(module, [module])}
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not in pyproject dependencies: {missing}"
    # By hand: the two the issue found missing.
    assert {"openpyxl", "prefect-dask"} <= declared


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed, its dependencies borrowed from
    this test venv (the lock's pins) through a path file, so nothing is
    fetched. The wheel goes in first, before the borrowed path exists."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=True).create(home)
    py = home / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    (site,) = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.split()
    borrowed = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "zz_borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n")
    return home


def _run(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TONGBAO_WAREHOUSE")}
    return subprocess.run([str(home / "bin" / "tongbao"), *args], cwd=cwd, env={**env, "COLUMNS": "200"},
                          capture_output=True, text=True, timeout=300)


def test_the_installed_code_is_the_wheels_not_the_checkout(installed, tmp_path):
    probe = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "import warehouse.models as m, parsers.vocab as v; print(m.__file__); print(m.SQL_DIR); print(v.__file__)"],
        cwd=tmp_path, capture_output=True, text=True, check=True,
    ).stdout.split()
    for line in probe:
        assert Path(line).is_relative_to(installed), line
    assert probe[1].endswith("warehouse/sql")


def test_models_builds_every_model_from_the_installed_wheel(installed, tmp_path):
    result = _run(installed, "models", "-w", str(tmp_path / "w.duckdb"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    expected = sorted(p.stem for layer in ("staging", "intermediate", "marts") for p in (ROOT / "sql" / layer).glob("*.sql"))
    text = " ".join(result.stdout.split())  # the console wraps long lines
    assert text.startswith(f"built {len(expected)} models: ")
    assert sorted(text.split(": ", 1)[1].split(", ")) == expected
    assert "unit_quarter" in expected and "city_quarter" in expected


def test_ingest_and_query_from_the_installed_wheel(installed, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    ingest = _run(installed, "ingest", str(FIXTURES / "text" / "synthetic_webcopy_pipe_rows.txt"), "-w", str(warehouse), cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert "1 loaded" in ingest.stdout
    query = _run(installed, "query", "select unit_raw_names, submitted, adopted from unit_quarter order by submitted desc",
                 "-w", str(warehouse), "--csv", cwd=tmp_path)
    assert query.returncode == 0, query.stderr
    # From the fixture: 市水务局 30/25, 市档案局 22/20, 市气象局 18/11.
    assert query.stdout.splitlines()[1:] == ["市水务局,30.0,25.0", "市档案局,22.0,20.0", "市气象局,18.0,11.0"]
