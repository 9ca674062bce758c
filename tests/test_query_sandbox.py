"""`tongbao query` can only read the warehouse: every statement from the
issue-20 attack list is refused, nothing is written, nothing outside is read."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from tests.support import FIXTURES
from tongbao.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copytree(FIXTURES / "seeds", inbox / "seeds")
    path = tmp_path_factory.mktemp("wh") / "w.duckdb"
    result = runner.invoke(app, ["ingest", str(inbox), "-w", str(path)])
    assert result.exit_code == 0, result.output
    return path


def _count(path, table="unit_metrics"):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def _refused(result):
    assert result.exit_code == 2, result.output
    assert "only reads the warehouse" in result.stderr


def test_copy_to_and_export_database_write_nothing(warehouse, tmp_path):
    out = tmp_path / "out.csv"
    _refused(runner.invoke(app, ["query", f"copy unit_metrics to '{out}'", "-w", str(warehouse)]))
    _refused(runner.invoke(app, ["query", f"export database '{tmp_path / 'dump'}'", "-w", str(warehouse)]))
    assert not out.exists()
    assert not (tmp_path / "dump").exists()


def test_profile_output_and_settings_cannot_be_changed(warehouse, tmp_path):
    prof = tmp_path / "profile.txt"
    _refused(runner.invoke(app, ["query", f"pragma profile_output='{prof}'", "-w", str(warehouse)]))
    _refused(runner.invoke(app, ["query", "set enable_external_access = true", "-w", str(warehouse)]))
    _refused(runner.invoke(app, ["query", "set memory_limit = '100GB'", "-w", str(warehouse)]))
    _refused(runner.invoke(app, ["query", "reset lock_configuration", "-w", str(warehouse)]))
    assert not prof.exists()


def test_attach_for_writing_even_through_a_hard_link_is_refused(warehouse, tmp_path):
    before = _count(warehouse)
    assert before > 0
    link = tmp_path / "link.duckdb"
    os.link(warehouse, link)
    sql = f"attach '{link}' as w2 (read_only false); delete from w2.unit_metrics"
    _refused(runner.invoke(app, ["query", sql, "-w", str(warehouse)]))
    _refused(runner.invoke(app, ["query", f"attach '{tmp_path / 'new.duckdb'}' as n", "-w", str(warehouse)]))
    assert _count(warehouse) == before
    assert not (tmp_path / "new.duckdb").exists()


def test_no_other_file_is_read(warehouse, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password=hunter2\n")
    for sql in (f"select * from read_text('{secret}')", f"select * from read_csv('{secret}')",
                "select * from read_text('/etc/passwd')"):
        result = runner.invoke(app, ["query", sql, "-w", str(warehouse), "--csv"])
        _refused(result)
        assert "hunter2" not in result.output


def test_extensions_are_neither_installed_nor_loaded(warehouse):
    _refused(runner.invoke(app, ["query", "install httpfs", "-w", str(warehouse)]))
    _refused(runner.invoke(app, ["query", "load httpfs", "-w", str(warehouse)]))


def test_writes_to_the_warehouse_are_still_refused(warehouse):
    before = _count(warehouse)
    _refused(runner.invoke(app, ["query", "delete from unit_metrics", "-w", str(warehouse)]))
    assert _count(warehouse) == before


def test_limit_is_pushed_into_the_query(warehouse):
    # 10 billion rows would never finish if fetched before the limit applied.
    result = runner.invoke(app, ["query", "select range as n from range(10000000000)", "-w", str(warehouse), "--limit", "3"])
    assert result.exit_code == 0, result.output
    assert "3 row(s) (the first 3; more exist" in result.stdout


def test_reading_the_warehouse_still_works(warehouse):
    result = runner.invoke(app, ["query", "select count(*) as n from bulletins", "-w", str(warehouse), "--csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "2"]
