"""Every model and column is in the data dictionary, and docs/models.md shows it."""

from __future__ import annotations

import re

import duckdb
import pytest

from flows.ingest import ingest_flow
from tests.support import FIXTURES, ROOT
from warehouse.models import (
    DOCS_FILE,
    GENERATED_BEGIN,
    GENERATED_END,
    LOADED_RELATIONS,
    _strip_comments,
    discover_models,
    read_model_doc,
    read_source_docs,
    render_model_docs,
)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("docs") / "w.duckdb"
    summary = ingest_flow([str(FIXTURES / "multicity")], warehouse=str(path))
    assert summary["model_error"] is None
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("model", discover_models(), ids=lambda m: m.name)
def test_model_columns_match_the_dictionary(con, model):
    doc = read_model_doc(model)
    assert doc is not None, f"{model.name} is undocumented: add {model.path.with_suffix('.md').relative_to(ROOT)}"
    assert doc.description, f"{model.name}.md should say what one row is"
    actual = [(name, type_) for name, type_, *_ in con.execute(f"describe {model.name}").fetchall()]
    documented = [(c.name, c.type) for c in doc.columns]
    assert documented == actual, f"{model.path.with_suffix('.md').relative_to(ROOT)} does not match the model's columns"
    assert all(c.label_zh and c.meaning for c in doc.columns), f"{model.name}: a column lacks its 中文 label or meaning"


def test_docs_page_shows_the_current_dictionary():
    text = DOCS_FILE.read_text(encoding="utf-8")
    generated = text.split(GENERATED_BEGIN, 1)[1].split(GENERATED_END, 1)[0]
    assert generated.strip() == render_model_docs().strip(), "run: python -m warehouse.models"


def test_docs_page_documents_the_analyst_commands():
    text = DOCS_FILE.read_text(encoding="utf-8")
    assert "## `tongbao check`" in text and "## `tongbao export`" in text


@pytest.mark.parametrize("table", sorted(LOADED_RELATIONS))
def test_loaded_tables_match_the_dictionary(con, table):
    docs = {doc.name: doc for doc in read_source_docs()}
    assert table in docs, f"{table} is undocumented: add sql/sources/{table}.md"
    doc = docs[table]
    assert doc.description and doc.grain, f"sql/sources/{table}.md should say what one row is and its grain"
    actual = [(name, type_) for name, type_, *_ in con.execute(f"describe {table}").fetchall()]
    assert [(c.name, c.type) for c in doc.columns] == actual, f"sql/sources/{table}.md does not match the table's columns"
    assert all(c.label_zh and c.meaning for c in doc.columns), f"{table}: a column lacks its 中文 label or meaning"


def test_no_dictionary_entry_without_a_table():
    assert {doc.name for doc in read_source_docs()} <= LOADED_RELATIONS


def test_every_model_declares_its_grain():
    names = {m.name for m in discover_models()} | LOADED_RELATIONS
    for doc in [read_model_doc(m) for m in discover_models()] + read_source_docs():
        assert doc.grain, f"{doc.path.relative_to(ROOT)} has no `Grain:` line"
        columns = {c.name for c in doc.columns}
        assert set(doc.key) <= columns, f"{doc.name}: its grain names a column it does not have"
        assert doc.grain_of is None or doc.grain_of in names, f"{doc.name}: its grain is that of an unknown relation"


def test_staging_models_read_one_loaded_table_each():
    models = discover_models()
    for model in models:
        read = set(re.findall(r"\b(?:from|join)\s+([a-z_][a-z0-9_]*)", _strip_comments(model.sql), re.I))
        loaded = read & LOADED_RELATIONS
        upstream = read & {m.name for m in models}
        if model.path.parent.name == "staging":
            assert len(loaded) == 1 and not upstream, f"{model.name} reads {sorted(loaded | upstream)}"
        elif model.path.parent.name == "intermediate":
            assert upstream and not loaded, f"{model.name} should read staging models only, reads {sorted(loaded)}"
