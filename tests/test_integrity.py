"""Integrity of what we keep (issue 20, class 4): a DuckDB file that is not a
tongbao warehouse is refused untouched, with a message."""

from __future__ import annotations

import duckdb
import pytest
from typer.testing import CliRunner

from tongbao.cli import app
from warehouse.connection import NotAWarehouse, connect

runner = CliRunner()


@pytest.fixture()
def foreign(tmp_path):
    """Another application's DuckDB file (it has its own `bulletins` table, even)."""
    path = tmp_path / "other_app.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices (id INTEGER, amount DECIMAL(10,2))")
    con.execute("CREATE TABLE bulletins (id INTEGER)")
    con.execute("INSERT INTO invoices VALUES (1, 9.99), (2, 20.00)")
    con.close()
    return path


def _tables(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {r[0]: [c[0] for c in con.execute(f"DESCRIBE {r[0]}").fetchall()] for r in con.execute("SHOW TABLES").fetchall()}
    finally:
        con.close()


def test_a_foreign_duckdb_file_is_refused_and_left_untouched(foreign):
    before = _tables(foreign)
    with pytest.raises(NotAWarehouse, match="not a tongbao warehouse.*invoices"):
        connect(foreign)
    with pytest.raises(NotAWarehouse):
        connect(foreign, read_only=True)
    assert _tables(foreign) == before == {"bulletins": ["id"], "invoices": ["id", "amount"]}


def test_the_cli_refuses_it_with_a_message(foreign):
    for args in (["models"], ["status"], ["query", "select 1"]):
        result = runner.invoke(app, args + ["-w", str(foreign)])
        assert result.exit_code == 3, (args, result.output)
        assert "not a tongbao warehouse" in result.stderr
    assert _tables(foreign) == {"bulletins": ["id"], "invoices": ["id", "amount"]}


def test_a_new_file_and_an_existing_warehouse_are_accepted(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    con = connect(path)
    assert con.execute("SELECT schema_version FROM schema_info").fetchall() == [(1,)]
    con.close()


def test_a_warehouse_from_a_newer_tongbao_is_refused(tmp_path):
    path = tmp_path / "w.duckdb"
    connect(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_info SET schema_version = 99")
    con.close()
    with pytest.raises(NotAWarehouse, match="schema version 99, newer"):
        connect(path)


def test_a_run_killed_after_its_last_load_is_repaired_by_a_clean_re_run(tmp_path):
    """Rows loaded but models not rebuilt (the kill): the next run with nothing
    new to load sees the models are stale, and rebuilds them."""
    from ingest.loader import WaveLoader
    from ingest.outcomes import IngestSummary
    from ingest.parsing import prepare_file
    from ingest.settings import Settings
    from tests.support import FIXTURES
    from warehouse.load import load_bulletin
    from warehouse.models import build_models, models_current

    first, second = sorted((FIXTURES / "multicity").glob("synthetic_jilin_*.md"))[:2]
    path = tmp_path / "w.duckdb"
    con = connect(path)
    load_bulletin(con, prepare_file(first))
    build_models(con)
    assert models_current(con)
    load_bulletin(con, prepare_file(second))  # … and the run is killed here
    assert not models_current(con)
    assert con.execute("SELECT count(DISTINCT (period_year, period_quarter)) FROM unit_quarter").fetchone()[0] == 1
    con.close()

    summary = IngestSummary()
    WaveLoader(Settings(warehouse=path), summary).finish([], [])
    con = connect(path)
    assert models_current(con)
    assert con.execute("SELECT count(DISTINCT (period_year, period_quarter)) FROM unit_quarter").fetchone()[0] == 2
    con.execute("DROP TABLE unit_trend")
    assert not models_current(con)  # a missing model is seen too
    con.close()
