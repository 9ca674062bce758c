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

from units import REVIEW_RULES

from .schema import TABLES

SOURCE_ROOT = Path(__file__).resolve().parents[1]


def find_sql_dir() -> Path:
    """Return the `sql/` folder: inside an installed wheel it ships as
    `warehouse/sql/` (pyproject maps the top-level `sql/` there); in a checkout
    or an editable install it is the repository's top-level `sql/`."""
    packaged = Path(__file__).resolve().parent / "sql"
    if (packaged / "staging").is_dir():
        return packaged
    return SOURCE_ROOT / "sql"


SQL_DIR = find_sql_dir()
LAYERS = ("staging", "intermediate", "marts")
_MATERIALIZED = re.compile(r"^\s*--\s*materialized:\s*(view|table)\s*$", re.M)
_LINE = re.compile(r"LINE (\d+):")


REVIEW_RULES_TABLE = "unit_review_rules"  # written by every build, from units.identity.REVIEW_RULES
LOADED_RELATIONS = set(TABLES) | {"rejections", REVIEW_RULES_TABLE, "model_builds"}


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
        write_review_rules(con)
        for model in models:
            kind = "TABLE" if model.materialized == "table" else "VIEW"
            try:
                con.execute(f"CREATE {kind} {model.name} AS {model.sql}")
            except duckdb.Error as exc:
                line = _LINE.search(str(exc))
                where = f"{model.path}:{line.group(1)}" if line else str(model.path)
                raise ModelBuildError(f"model {model.name} failed to build ({where}): {exc}") from exc
        con.execute(MODEL_BUILDS_DDL)
        con.execute("DELETE FROM model_builds")
        con.execute("INSERT INTO model_builds VALUES (?, current_timestamp)", [fingerprint(con, models)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [m.name for m in models]


def write_review_rules(con: duckdb.DuckDBPyConnection) -> None:
    """Given a read-write connection, (re)write `unit_review_rules` from the one
    list in units.identity, so the SQL reads the rules rather than repeating them."""
    con.execute(
        f"CREATE OR REPLACE TABLE {REVIEW_RULES_TABLE} AS "
        "SELECT unnest(?::VARCHAR[]) AS match_rule, unnest(?::VARCHAR[]) AS meaning",
        [list(REVIEW_RULES), list(REVIEW_RULES.values())],
    )
# The models are built in the same transaction that records what they were
# built from, so a run killed after its last load (models missing or built
# from older rows) is seen by the next run, which rebuilds them.
MODEL_BUILDS_DDL = "CREATE TABLE IF NOT EXISTS model_builds (fingerprint VARCHAR, built_at TIMESTAMP)"


def fingerprint(con: duckdb.DuckDBPyConnection, models) -> str:
    """Given a connection and the models, return a digest of what they are
    built from: the loaded rows (counts, ids, parser versions, load times,
    unit names) and the models' SQL."""
    import hashlib

    data = con.execute(
        """
        SELECT (SELECT count(*) FROM bulletins),
               (SELECT coalesce(sum(hash(bulletin_id || coalesce(parser_version, '') || coalesce(ingested_at::VARCHAR, ''))), 0) FROM bulletins),
               (SELECT count(*) FROM unit_metrics),
               (SELECT coalesce(sum(hash(coalesce(unit_name, '') || coalesce(unit_function, '') || coalesce(unit_kind, ''))), 0) FROM unit_metrics),
               (SELECT count(*) FROM rejection_log)
        """
    ).fetchone()
    digest = hashlib.sha256(repr(tuple(str(v) for v in data)).encode())
    for model in models:
        digest.update(model.name.encode() + b"\0" + model.sql.encode() + b"\0")
    return digest.hexdigest()


def models_current(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> bool:
    """Given a connection, tell whether every model exists and was built from
    the rows and SQL there now."""
    models = discover_models(sql_dir)
    existing = _existing_relations(con)
    if any(m.name not in existing for m in models) or "model_builds" not in existing:
        return False
    built = con.execute("SELECT fingerprint FROM model_builds").fetchall()
    return built == [(fingerprint(con, models),)]


def _existing_relations(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Return name -> VIEW or TABLE for the main schema's relations."""
    views = con.execute("SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal").fetchall()
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
    return {**{t[0]: "TABLE" for t in tables}, **{v[0]: "VIEW" for v in views}}


# --- Data dictionary -------------------------------------------------------
# Each model documents itself in `sql/<layer>/<name>.md`: a `# `name`` heading,
# a paragraph saying what one row is, and a table `| column | type | 中文 | meaning |`.
# The Chinese label is what `tongbao export --format xlsx` prints as the header.

DOCS_FILE = SOURCE_ROOT / "docs" / "models.md"
GENERATED_BEGIN = "<!-- BEGIN GENERATED: data dictionary (python -m warehouse.models) -->"
GENERATED_END = "<!-- END GENERATED: data dictionary -->"


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    label_zh: str
    meaning: str


@dataclass(frozen=True)
class ModelDoc:
    """A model's or loaded table's data dictionary entry. `grain` is the
    sentence of its `Grain:` line; `key` the columns that line names (one row
    per key: a uniqueness test is generated from it), or empty when the grain
    is that of another relation (`grain_of`) or is not a key."""

    name: str
    layer: str
    materialized: str
    description: str
    columns: tuple[ColumnDoc, ...]
    path: Path | None = None
    grain: str = ""
    key: tuple[str, ...] = ()
    grain_of: str | None = None


SOURCES_DIR = "sources"  # sql/sources/<table>.md documents the loaded tables in the same format
_GRAIN = re.compile(r"^Grain:\s*(.+)$")
_NAMES = re.compile(r"`([a-z_][a-z0-9_]*)`")


def read_model_doc(model: Model) -> ModelDoc | None:
    """Given a model, return its data dictionary entry, or None if it has no .md file."""
    path = model.path.with_suffix(".md")
    return read_doc(path, model.name, model.path.parent.name, model.materialized) if path.exists() else None


def read_doc(path: Path, name: str, layer: str, materialized: str) -> ModelDoc:
    """Given a dictionary file (`# name`, a paragraph saying what one row is, a
    `Grain:` line, a `| column | type | 中文 | meaning |` table), return its entry."""
    description, columns, grain, key, grain_of = [], [], "", (), None
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.lstrip().startswith("|") else None
        if cells is None:
            match = _GRAIN.match(line.strip())
            if match:
                grain = match.group(1)
                names = tuple(_NAMES.findall(grain))
                if grain.startswith("as "):
                    grain_of = names[0] if names else None
                else:
                    key = names
            elif line.strip() and not line.startswith("#"):
                description.append(line.strip())
            continue
        if len(cells) < 4 or cells[0] in ("column", "") or set(cells[0]) <= set("-: "):
            continue
        columns.append(ColumnDoc(cells[0].strip("`"), cells[1], cells[2], " | ".join(cells[3:])))
    return ModelDoc(name, layer, materialized, " ".join(description), tuple(columns), path, grain, key, grain_of)


def read_source_docs(sql_dir: Path = SQL_DIR) -> list[ModelDoc]:
    """Given the sql folder, return the entries of the loaded tables and views, by name."""
    return [read_doc(p, p.stem, SOURCES_DIR, "loaded") for p in sorted((sql_dir / SOURCES_DIR).glob("*.md"))]


def render_model_docs(sql_dir: Path = SQL_DIR) -> str:
    """Given the sql folder, return the data dictionary of every model as Markdown."""
    parts = []
    for model in discover_models(sql_dir):
        doc = read_model_doc(model)
        parts.append(f"### `{model.name}` ({model.path.parent.name}, {model.materialized})\n")
        if doc is None:
            parts.append(f"_Undocumented: add `{model.path.with_suffix('.md').relative_to(sql_dir.parent)}`._\n")
            continue
        parts.append(doc.description + "\n")
        if doc.grain:
            parts.append(f"Grain: {doc.grain}\n")
        parts.append("| column | type | 中文 | meaning |\n|---|---|---|---|")
        parts.extend(f"| {c.name} | {c.type} | {c.label_zh} | {c.meaning} |" for c in doc.columns)
        parts.append("")
    return "\n".join(parts)


def refresh_docs_file(path: Path = DOCS_FILE, sql_dir: Path = SQL_DIR) -> bool:
    """Given docs/models.md, rewrite its generated section from the .md files next
    to the SQL; return True if the file changed."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(GENERATED_BEGIN)
    _, _, tail = rest.partition(GENERATED_END)
    updated = f"{head}{GENERATED_BEGIN}\n\n{render_model_docs(sql_dir)}\n{GENERATED_END}{tail}"
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    return updated != text


if __name__ == "__main__":
    print("docs/models.md", "updated" if refresh_docs_file() else "already up to date")
