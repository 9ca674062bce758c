"""Build the SQL models in `sql/` inside the warehouse.

Each `sql/<layer>/<name>.sql` holds one SELECT and becomes a view called
`<name>` (or a table, if its first line is `-- materialized: table`).
A model's dependencies are the other models it names; they are built first.
All models are rebuilt in one transaction: if one fails, the previous set
stays in place and the error names the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .schema import TABLES

SQL_DIR = Path(__file__).resolve().parents[1] / "sql"
LAYERS = ("staging", "intermediate", "marts")
_MATERIALIZED = re.compile(r"^\s*--\s*materialized:\s*(view|table)\s*$", re.M)
_LINE = re.compile(r"LINE (\d+):")


LOADED_RELATIONS = set(TABLES) | {"rejections"}


class ModelBuildError(Exception):
    """A model's SQL failed; the message names the file and line."""


@dataclass(frozen=True)
class Model:
    name: str
    path: Path
    sql: str
    materialized: str  # "view" or "table"


def discover_models(sql_dir: Path = SQL_DIR) -> list[Model]:
    """Given the sql folder, return its models in dependency order."""
    models: dict[str, Model] = {}
    for layer in LAYERS:
        for path in sorted((sql_dir / layer).glob("*.sql")):
            text = path.read_text(encoding="utf-8")
            match = _MATERIALIZED.search(text)
            if path.stem in models:
                raise ModelBuildError(f"{path}: a model called {path.stem} already exists in {models[path.stem].path}")
            models[path.stem] = Model(path.stem, path, text.strip().rstrip(";"), match.group(1) if match else "view")
    return _dependency_order(models)


def _dependency_order(models: dict[str, Model]) -> list[Model]:
    deps = {
        name: {other for other in models if other != name and re.search(rf"\b{re.escape(other)}\b", _strip_comments(m.sql))}
        for name, m in models.items()
    }
    ordered: list[Model] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise ModelBuildError(f"models depend on each other in a cycle: {' -> '.join(chain + (name,))}")
        state[name] = "visiting"
        for dep in sorted(deps[name]):
            visit(dep, chain + (name,))
        state[name] = "done"
        ordered.append(models[name])

    for name in models:
        visit(name, ())
    return ordered


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def build_models(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    """Given a read-write connection, (re)build every model; return their names."""
    models = discover_models(sql_dir)
    clashes = [m for m in models if m.name in LOADED_RELATIONS]
    if clashes:
        raise ModelBuildError(f"{clashes[0].path}: a model may not be named like a loaded table ({clashes[0].name})")
    con.execute("BEGIN TRANSACTION")
    try:
        existing = _existing_relations(con)
        for model in reversed(models):
            kind = existing.get(model.name)
            if kind:
                con.execute(f"DROP {kind} {model.name}")
        for model in models:
            kind = "TABLE" if model.materialized == "table" else "VIEW"
            try:
                con.execute(f"CREATE {kind} {model.name} AS {model.sql}")
            except duckdb.Error as exc:
                line = _LINE.search(str(exc))
                where = f"{model.path}:{line.group(1)}" if line else str(model.path)
                raise ModelBuildError(f"model {model.name} failed to build ({where}): {exc}") from exc
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [m.name for m in models]


def _existing_relations(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Return name -> VIEW or TABLE for the main schema's relations."""
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal").fetchall()
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    return {**{t[0]: "TABLE" for t in tables}, **{v[0]: "VIEW" for v in views}}
