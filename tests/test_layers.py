"""Imports run one way: each layer imports only the layers before it.

parsers (bytes → document → facts) → units (names → canonical units) →
warehouse (schema, rows, loads, models, exports) → report (the analyst's
report and review page, over the warehouse) → ingest (raw store,
sources, planning, parse pool, loader; no Prefect) → flows (Prefect) →
tongbao (the CLI). bench/, scripts/ and tests/ may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("parsers", "units", "warehouse", "report", "ingest", "flows", "tongbao")


def imported_modules(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Given a Python file under `root`, return (line, absolute module name) of
    every import in it, at any depth (imports inside functions count too)."""
    package = ".".join(path.relative_to(root).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
    return found


def layer_files() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (ROOT / layer).rglob("*.py"))


def violations(path: Path, root: Path = ROOT) -> list[str]:
    """Given a module of a layer, return its imports of later layers, and of
    Prefect outside flows/ and the CLI."""
    own = LAYERS.index(path.relative_to(root).parts[0])
    name = path.relative_to(root).as_posix()
    out = []
    for line, module in imported_modules(path, root):
        top = module.split(".")[0]
        if top in LAYERS and LAYERS.index(top) > own:
            out.append(f"{name}:{line} imports {module} (layer {top} comes after {LAYERS[own]})")
        if top == "prefect" and LAYERS[own] not in ("flows", "tongbao"):
            out.append(f"{name}:{line} imports {module} (only flows/ may use Prefect)")
    return out


def test_every_layer_has_modules():
    assert {p.relative_to(ROOT).parts[0] for p in layer_files()} == set(LAYERS)


@pytest.mark.parametrize("path", layer_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_imports_only_earlier_layers(path):
    assert violations(path) == []


def test_the_check_fails_on_an_import_against_the_order(tmp_path):
    fake = tmp_path / "units" / "backwards.py"
    fake.parent.mkdir()
    fake.write_text("import os\nfrom warehouse.schema import TABLES\n\ndef f():\n    from flows.ingest import ingest_flow\n"
                    "    from . import catalog\n    import prefect\n", encoding="utf-8")
    assert violations(fake, tmp_path) == [
        "units/backwards.py:2 imports warehouse.schema (layer warehouse comes after units)",
        "units/backwards.py:5 imports flows.ingest (layer flows comes after units)",
        "units/backwards.py:7 imports prefect (only flows/ may use Prefect)",
    ]


def test_the_cli_commands_do_not_import_their_package():
    """The command modules import the CLI's helpers, never `tongbao.cli` itself (the old cycle)."""
    cli = ROOT / "tongbao" / "cli"
    for path in cli.glob("*.py"):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        assert all(module != "tongbao.cli" for _, module in imported_modules(path)), path.name
