"""Parsing on a process pool and on a local Dask cluster gives the same warehouse as threads."""

from __future__ import annotations

import duckdb
import pytest

from flows.runners import make_task_runner, validate_runner
from tests.support import FIXTURES

pytestmark = pytest.mark.slow

MULTICITY = FIXTURES / "multicity"


def _rows(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT * EXCLUDE (ingested_at) FROM bulletins ORDER BY bulletin_id").fetchall(), \
            con.execute("SELECT * FROM unit_metrics ORDER BY ALL").fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def by_threads(tmp_path_factory):
    from flows.ingest import ingest_flow

    warehouse = tmp_path_factory.mktemp("thread") / "w.duckdb"
    summary = ingest_flow([str(MULTICITY)], warehouse=str(warehouse), runner="thread")
    assert summary["counts"] == {"loaded": 12}
    return _rows(warehouse)


def test_runner_specs_are_validated():
    assert validate_runner("dask://10.0.0.5:8786") == "dask://10.0.0.5:8786"
    with pytest.raises(ValueError, match="expected one of"):
        validate_runner("spark")
    assert type(make_task_runner("dask://10.0.0.5:8786")).__name__ == "DaskTaskRunner"


@pytest.mark.parametrize("runner", ["process", "dask"])
def test_parallel_runners_load_the_same_rows_as_threads(runner, by_threads, tmp_path):
    from flows.ingest import ingest_flow

    warehouse = tmp_path / "w.duckdb"
    summary = ingest_flow([str(MULTICITY)], warehouse=str(warehouse), runner=runner, workers=2, batch_size=3)
    assert summary["counts"] == {"loaded": 12}
    assert _rows(warehouse) == by_threads
    again = ingest_flow([str(MULTICITY)], warehouse=str(warehouse), runner=runner, workers=2)
    assert again["counts"] == {"skipped": 12}  # nothing new: no worker is even started


def test_a_dask_scheduler_address_is_used(tmp_path, by_threads):
    from distributed import LocalCluster

    from flows.ingest import ingest_flow
    from flows.runners import ephemeral_api_url

    warehouse = tmp_path / "w.duckdb"
    # Start the temporary Prefect server first so the cluster's workers can be pointed at it.
    ingest_flow([str(MULTICITY / "synthetic_jilin_2020q4.md")], warehouse=str(tmp_path / "warm.duckdb"))
    env = {"PREFECT_API_URL": ephemeral_api_url()} if ephemeral_api_url() else {}
    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None,
                           host="127.0.0.1", env=env)
    try:
        address = cluster.scheduler_address.replace("tcp://", "dask://")
        summary = ingest_flow([str(MULTICITY)], warehouse=str(warehouse), runner=address)
        assert summary["counts"] == {"loaded": 12}
        assert _rows(warehouse) == by_threads
    finally:
        cluster.close(timeout=20)
