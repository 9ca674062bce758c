"""Every model and column is in the data dictionary, and docs/models.md shows it."""

from __future__ import annotations

import duckdb
import pytest

from flows.ingest import ingest_flow
from tests.support import FIXTURES, ROOT
from warehouse.models import DOCS_FILE, GENERATED_BEGIN, GENERATED_END, discover_models, read_model_doc, render_model_docs


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
