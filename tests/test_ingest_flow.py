"""The Prefect ingest flow end to end, on the real engine and a real DuckDB file."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest

from flows.ingest import ingest_flow
from parsers import PARSER_VERSION
from tests.support import FIXTURES

SEEDS = FIXTURES / "seeds"


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inbox")
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    for bad in ("empty.txt", "binary_named.txt", "no_table.txt"):
        shutil.copy(FIXTURES / "bad" / bad, folder / bad)
    return folder


@pytest.fixture(scope="module")
def first_run(inbox, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    before = _hashes(inbox)
    summary = ingest_flow([str(inbox)], warehouse=str(warehouse))
    return warehouse, summary, before


@pytest.fixture()
def own_copy(first_run, tmp_path):
    """A copy of the first run's warehouse and raw store, for a test that
    writes to it: the module's warehouse stays as the first run left it."""
    warehouse, _, _ = first_run
    folder = tmp_path / "copy"
    shutil.copytree(warehouse.parent, folder)
    return folder / warehouse.name


def test_seeds_load_and_bad_files_are_rejected_in_the_same_run(first_run):
    _, summary, _ = first_run
    assert summary["counts"] == {"loaded": 2, "rejected": 3}
    assert summary["rejected_by_reason"] == {"empty": 1, "unknown_format": 1, "no_facts": 1}
    assert summary["model_error"] is None


def test_warehouse_holds_the_contract_tables_and_figures(first_run):
    warehouse, _, _ = first_run
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        per_city = con.execute(
            "SELECT city, period_year, period_quarter, metric, count(*), sum(value) FROM unit_metrics "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        assert per_city == [
            ("吉林市", 2020, 3, "adopted", 55, 2900.0),
            ("吉林市", 2020, 3, "rank", 55, sum(range(1, 6)) + sum(range(1, 5)) + sum(range(1, 6)) + sum(range(1, 36)) + sum(range(1, 7))),
            ("吉林市", 2020, 3, "score", 55, 63840.0),
            ("吉林市", 2020, 3, "submitted", 55, 3599.0),
            ("景德镇市", 2020, 3, "messages_received", 33, 683.0),
            ("景德镇市", 2020, 3, "messages_replied", 33, 683.0),
            ("景德镇市", 2020, 3, "reply_rate", 33, 33.0),
            ("景德镇市", 2020, 3, "updates", 48, 1821.0),
        ]
        bulletins = con.execute(
            "SELECT city, doc_number, published_date::VARCHAR, period_year, period_quarter, format FROM bulletins ORDER BY city"
        ).fetchall()
        assert bulletins == [
            ("吉林市", None, "2020-10-12", 2020, 3, "text"),
            ("景德镇市", "景府办明〔2021〕2号", "2021-01-25", 2020, 4, "text"),
        ]
        for table in ("bulletin_statistics", "unit_findings"):
            con.execute(f"SELECT * FROM {table} LIMIT 0")
        reasons = dict(con.execute("SELECT regexp_extract(source_file, '[^/]+$'), reason FROM rejections").fetchall())
        assert reasons == {"empty.txt": "empty", "binary_named.txt": "unknown_format", "no_table.txt": "no_facts"}
        # Every annex-2 unit of seed 004 also appears in annex 1 (市行政服务中心 is
        # 市行管委's other name), so 景德镇市 has 48 units for Q3 and 吉林市 55.
        assert con.execute("SELECT city, count(*) FROM unit_quarter GROUP BY city ORDER BY city").fetchall() == [
            ("吉林市", 55),
            ("景德镇市", 48),
        ]
    finally:
        con.close()


def test_input_files_are_never_modified(first_run, inbox):
    _, _, before = first_run
    assert _hashes(inbox) == before


def test_ingesting_again_adds_nothing(own_copy, inbox):
    warehouse = own_copy
    con = duckdb.connect(str(warehouse), read_only=True)
    counts_before = con.execute("SELECT (SELECT count(*) FROM bulletins), (SELECT count(*) FROM unit_metrics)").fetchone()
    con.close()
    summary = ingest_flow([str(inbox)], warehouse=str(warehouse))
    assert summary["counts"].get("skipped") == 2
    assert "loaded" not in summary["counts"]
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("SELECT (SELECT count(*) FROM bulletins), (SELECT count(*) FROM unit_metrics)").fetchone() == counts_before
    con.close()


def test_a_newer_parser_version_replaces_a_bulletins_rows(own_copy, inbox):
    warehouse = own_copy
    con = duckdb.connect(str(warehouse))
    con.execute("UPDATE bulletins SET parser_version = '0.0.1-old'")
    con.execute("UPDATE unit_metrics SET value = -1 WHERE metric = 'score'")
    con.close()
    summary = ingest_flow([str(inbox)], warehouse=str(warehouse))
    assert summary["counts"].get("replaced") == 2
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM unit_metrics WHERE value = -1").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM unit_metrics").fetchone()[0] == 220 + 48 + 33 * 3
        assert con.execute("SELECT DISTINCT parser_version FROM bulletins").fetchall() == [(PARSER_VERSION,)]
    finally:
        con.close()
