"""Back-fill: re-parse old years from the raw store, idempotently, on the real engine."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from parsers import PARSER_VERSION
from tests.support import FIXTURES
from ingest.backfill import parse_years, select_candidates
from tongbao.cli import app

pytestmark = pytest.mark.slow


def test_years_are_a_year_or_an_inclusive_range():
    assert parse_years("2016-2019") == (2016, 2019)
    assert parse_years("2018") == (2018, 2018)
    for bad in ("16-19", "2019-2016", "last year"):
        with pytest.raises(ValueError):
            parse_years(bad)


@pytest.fixture()
def loaded(tmp_path):
    """A warehouse loaded from an inbox that is then deleted: only the raw store remains."""
    from flows.ingest import ingest_flow

    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "multicity", inbox)
    warehouse = tmp_path / "w.duckdb"
    summary = ingest_flow([str(inbox)], warehouse=str(warehouse))
    assert summary["counts"] == {"loaded": 12}
    shutil.rmtree(inbox)
    return warehouse


def _sql(warehouse, sql, params=()):
    con = duckdb.connect(str(warehouse))
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def _content(warehouse):
    return _sql(warehouse, "SELECT * EXCLUDE (ingested_at) FROM bulletins ORDER BY bulletin_id"), _sql(
        warehouse, "SELECT * FROM unit_metrics ORDER BY ALL")


def test_backfill_reparses_older_parser_versions_in_range_from_the_raw_store_once(loaded):
    from flows.backfill import backfill_flow

    before = _content(loaded)
    _sql(loaded, "UPDATE bulletins SET parser_version = '0.0.1-old'")
    untouched = _sql(loaded, "SELECT bulletin_id, ingested_at FROM bulletins WHERE period_year = 2020")
    first = backfill_flow("2021-2021", warehouse=str(loaded))
    assert first["counts"] == {"replaced": 11}
    assert _sql(loaded, "SELECT DISTINCT parser_version FROM bulletins WHERE period_year = 2021") == [(PARSER_VERSION,)]
    assert _sql(loaded, "SELECT bulletin_id, ingested_at FROM bulletins WHERE period_year = 2020") == untouched
    second = backfill_flow("2021-2021", warehouse=str(loaded))
    assert second["counts"] == {}  # idempotent: nothing left to do
    _sql(loaded, "UPDATE bulletins SET parser_version = ? WHERE period_year = 2020", [PARSER_VERSION])
    assert _content(loaded) == before


def test_backfill_filters_by_city_and_force_reparses_current_versions(loaded):
    from flows.backfill import backfill_flow

    before = _content(loaded)
    con = duckdb.connect(str(loaded))
    cities = [c for (c,) in con.execute("SELECT DISTINCT city FROM bulletins ORDER BY city").fetchall()]
    assert select_candidates(con, (2000, 2100)) == []
    one_city = len(select_candidates(con, (2021, 2021), [cities[0]], force=True))
    con.close()
    summary = backfill_flow("2021", warehouse=str(loaded), cities=[cities[0]], force=True)
    assert summary["counts"] == {"replaced": one_city} and one_city > 0
    assert _content(loaded) == before


def test_a_bulletin_whose_bytes_are_gone_is_rejected_with_a_reason(loaded):
    from flows.backfill import backfill_flow

    for stored in (loaded.parent / "w.raw").rglob("*.md"):
        stored.unlink()
    _sql(loaded, "UPDATE bulletins SET parser_version = '0.0.1-old' WHERE source_file LIKE '%.md'")
    summary = backfill_flow("2020-2021", warehouse=str(loaded))
    assert summary["rejected_by_reason"] == {"missing_raw": 5}
    assert "ingest the original again" in summary["files"][0]["message"]


def test_the_backfill_command_runs_the_flow_and_prints_a_summary(loaded):
    _sql(loaded, "UPDATE bulletins SET parser_version = '0.0.1-old'")
    runner = CliRunner()
    result = runner.invoke(app, ["backfill", "--years", "2020-2021", "-w", str(loaded), "--runner", "process"])
    assert result.exit_code == 0, result.output
    assert "replaced" in result.stdout and "time per phase" in result.stdout and "parse" in result.stdout
    again = runner.invoke(app, ["backfill", "--years", "2020-2021", "-w", str(loaded), "--json"])
    assert again.exit_code == 0 and '"counts": {}' in again.stdout
    bad = runner.invoke(app, ["backfill", "--years", "2019-2016", "-w", str(loaded)])
    assert bad.exit_code == 2
