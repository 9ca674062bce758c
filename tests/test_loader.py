"""The single writer loads in waves while parsing goes on, and never waits on a held file mid-run."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.runners import AUTO_PROCESS_MIN_DOCUMENTS, resolve_runner
from parsers.limits import Limits
from tests.support import FIXTURES
from tests.worker_killers import parse_or_die
from ingest.outcomes import IngestSummary
from ingest.loader import WaveLoader
from ingest.parsing import batches, parse_document, parse_in_processes
from ingest.planning import discover_files
from ingest.rawstore import RawStore, store_local_files
from ingest.settings import Settings

MULTICITY = FIXTURES / "multicity"  # 12 bulletins, all of which load (see test_runners)


def _parsed(warehouse):
    documents, unreadable = store_local_files(discover_files([MULTICITY]), RawStore.for_warehouse(warehouse))
    assert not unreadable
    return documents, [parse_document(d, Limits()) for d in documents]


def _bulletins(warehouse) -> int:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM bulletins").fetchone()[0]
    finally:
        con.close()


def _metric_rows(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT * FROM unit_metrics ORDER BY ALL").fetchall()
    finally:
        con.close()


def test_waves_are_written_as_outcomes_arrive_and_give_the_rows_of_one_load_at_the_end(tmp_path):
    waved, once = tmp_path / "waved" / "w.duckdb", tmp_path / "once" / "w.duckdb"
    documents, outcomes = _parsed(waved)
    summary = IngestSummary()
    loader = WaveLoader(Settings.from_env(warehouse=waved), summary, wave=3, expected=len(outcomes))
    loader.add(outcomes[:2])
    assert loader.waves == 0 and not waved.exists()  # two pending: below the wave size, the file is not even opened
    loader.add(outcomes[2:4])
    assert loader.waves == 1
    assert _bulletins(waved) == 4  # a reader gets in between waves
    for i in range(4, len(outcomes), 2):
        loader.add(outcomes[i:i + 2])
    loader.finish([], documents)
    assert loader.waves == 3  # waves of 4, 4 and 4: each add of two tops three pending up to four; none left for finish
    assert summary.counts() == {"loaded": 12}
    assert summary.models  # the models were rebuilt once, at the end

    single = IngestSummary()
    documents_once, outcomes_once = _parsed(once)
    loader = WaveLoader(Settings.from_env(warehouse=once), single, wave=None, expected=12)
    loader.add(outcomes_once)
    assert not once.exists()
    loader.finish([], documents_once)
    assert loader.waves == 1
    assert _metric_rows(waved) == _metric_rows(once)


def test_a_wave_that_finds_the_file_held_stays_pending_and_nothing_is_lost(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    documents, outcomes = _parsed(warehouse)
    duckdb.connect(str(warehouse)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(warehouse)!r}); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )
    summary = IngestSummary()
    loader = WaveLoader(Settings.from_env(warehouse=warehouse), summary, wave=3, expected=12)
    try:
        assert holder.stdout.readline().strip() == "ready"
        loader.add(outcomes[:6])  # the file is held: no wait, no error
        assert loader.waves == 0 and len(loader.pending) == 6
    finally:
        holder.kill()
        holder.wait()
    loader.add(outcomes[6:])
    assert loader.waves == 1 and not loader.pending
    loader.finish([], documents)
    assert summary.counts() == {"loaded": 12}
    assert _bulletins(warehouse) == 12


@pytest.mark.slow  # starts and kills worker processes
def test_closing_the_pool_early_stops_its_workers(tmp_path):
    documents, _ = _parsed(tmp_path / "w.duckdb")
    finished = parse_in_processes(batches(documents, 2, batch_size=1), Limits(), 2)
    first = next(finished)
    assert len(first) == 1 and first[0].status == "parsed"
    finished.close()
    assert multiprocessing.active_children() == []


@pytest.mark.slow  # a worker process dies
def test_a_document_that_kills_its_worker_is_rejected_and_no_other_is_lost(tmp_path):
    killer = tmp_path / "inbox" / "KILLS_ITS_WORKER.md"
    killer.parent.mkdir()
    killer.write_bytes((MULTICITY / "synthetic_jilin_2020q4.md").read_bytes() + b"\n<!-- another copy -->\n")
    documents, _ = store_local_files(discover_files([MULTICITY, killer]), RawStore(tmp_path / "raw"))
    assert len(documents) == 13
    groups = batches(documents, 2, batch_size=3)  # the killer shares its batch with others
    outcomes = [o for batch in parse_in_processes(groups, Limits(), 2, parse=parse_or_die) for o in batch]
    assert sorted(o.path for o in outcomes) == sorted(d.label for d in documents)
    rejected = [o for o in outcomes if o.status == "rejected"]
    assert [(Path(o.path).name, o.reason) for o in rejected] == [("KILLS_ITS_WORKER.md", "worker_crashed")]
    assert sum(o.status == "parsed" for o in outcomes) == 12
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize(
    ("spec", "to_parse", "workers", "expected"),
    [
        ("auto", AUTO_PROCESS_MIN_DOCUMENTS - 1, 2, "thread"),  # too few to pay for starting workers
        ("auto", AUTO_PROCESS_MIN_DOCUMENTS, 2, "process"),
        ("auto", 10_000, 1, "thread"),  # one core: nothing to gain
        ("dask", 1, 2, "dask"),  # an explicit choice stands
        ("thread", 10_000, 2, "thread"),
    ],
)
def test_auto_runner_uses_processes_only_for_big_runs_on_several_cores(spec, to_parse, workers, expected):
    assert resolve_runner(spec, to_parse, workers) == expected
