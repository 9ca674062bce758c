"""The read-only snapshot: a notebook holding it never blocks an ingest, an ingest never blocks readers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from flows.ingest import ingest_flow
from tests.support import FIXTURES
from warehouse.connection import connect
from warehouse.snapshot import is_current, open_for_reading, publish_snapshot, readable_path, snapshot_path

EXE = str(Path(sys.executable).with_name("tongbao"))
ENV = {**os.environ, "TONGBAO_LOCK_WAIT_S": "5", "PREFECT_LOGGING_LEVEL": "ERROR"}

# A notebook: opens the snapshot read-only, counts, waits for a line on stdin, counts again on the same connection.
NOTEBOOK = textwrap.dedent("""
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("select count(*) from bulletins").fetchone()[0], flush=True)
    sys.stdin.readline()
    print(con.execute("select count(*) from bulletins").fetchone()[0], flush=True)
""")


def test_snapshot_name_sits_beside_the_warehouse(tmp_path):
    assert snapshot_path(tmp_path / "warehouse.duckdb") == tmp_path / "warehouse.snapshot.duckdb"
    assert snapshot_path(tmp_path / "w.db") == tmp_path / "w.db.snapshot.duckdb"


def test_a_change_after_the_snapshot_makes_it_stale(tmp_path):
    path = tmp_path / "w.duckdb"
    con = connect(path)
    publish_snapshot(con, path)
    con.close()
    assert is_current(path) and readable_path(path) == snapshot_path(path)
    con = duckdb.connect(str(path))
    con.execute("insert into bulletins (bulletin_id, city) values ('x', '吉林市')")
    con.close()
    assert not is_current(path) and readable_path(path) == path  # the change is not in the snapshot: read the file
    reader, opened, stale = open_for_reading(path)
    assert (opened, stale) == (path, False)
    assert reader.execute("select count(*) from bulletins").fetchone()[0] == 1
    reader.close()


@pytest.mark.slow
def test_a_notebook_holding_the_snapshot_does_not_block_an_ingest(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert ingest_flow([str(FIXTURES / "multicity")], warehouse=str(warehouse))["model_error"] is None
    snapshot = snapshot_path(warehouse)
    assert snapshot.exists() and is_current(warehouse)
    notebook = subprocess.Popen([sys.executable, "-c", NOTEBOOK, str(snapshot)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
    try:
        assert notebook.stdout.readline().strip() == "12"  # 12 bulletins in fixtures/multicity
        ingest = subprocess.run([EXE, "ingest", str(FIXTURES / "seeds"), "-w", str(warehouse), "--json"],
                                env=ENV, capture_output=True, text=True, timeout=300)
        assert ingest.returncode == 0, ingest.stderr
        notebook.stdin.write("again\n")
        notebook.stdin.flush()
        assert notebook.stdout.readline().strip() == "12"  # the notebook goes on reading what it opened
        assert notebook.wait(timeout=60) == 0
    finally:
        notebook.kill()
    con = duckdb.connect(str(snapshot), read_only=True)
    assert con.execute("select count(*) from bulletins").fetchone()[0] == 14  # + the two seeds
    con.close()


@pytest.mark.slow
def test_a_writer_holding_the_warehouse_does_not_block_readers(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert ingest_flow([str(FIXTURES / "multicity")], warehouse=str(warehouse))["model_error"] is None
    # a writer (an ingest mid-load) holds the warehouse and has changed it since the snapshot
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(warehouse)!r})
        con.execute("insert into bulletins (bulletin_id, city) values ('new', '吉林市')")
        con.execute("checkpoint")
        print('ready', flush=True)
        time.sleep(120)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        result = subprocess.run([EXE, "query", "--csv", "select count(*) as n from bulletins", "-w", str(warehouse)],
                                env=ENV, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["n", "12"]  # the last snapshot, at once, not a 5 s wait and exit 3
        assert "reading the last snapshot" in " ".join(result.stderr.split())
    finally:
        writer.kill()
        writer.wait()
