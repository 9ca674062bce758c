"""A read-only copy of the warehouse that analysts' tools can hold open.

DuckDB lets one process write a database file, and while it does, no other
process may open that file at all. So after every write (ingest, back-fill,
model rebuild, unit re-application) the writer publishes a snapshot beside
the warehouse — `warehouse.snapshot.duckdb` for `warehouse.duckdb` — by
checkpointing, copying the file to a temporary name and renaming it over the
previous snapshot. The rename is atomic: a reader sees the old snapshot or
the new one, never half of one, and a notebook holding the old snapshot open
keeps reading the old file (its inode lives until it is closed) while the
writer goes on. Readers (`tongbao query`, `report`, `export`) open the
snapshot by default.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb

SNAPSHOT_SUFFIX = ".snapshot.duckdb"


def snapshot_path(warehouse: str | Path) -> Path:
    """Given the warehouse file, return its snapshot's path (same folder, `.snapshot.duckdb`)."""
    warehouse = Path(warehouse)
    stem = warehouse.name[: -len(".duckdb")] if warehouse.name.endswith(".duckdb") else warehouse.name
    return warehouse.with_name(stem + SNAPSHOT_SUFFIX)


def publish_snapshot(con: duckdb.DuckDBPyConnection, warehouse: str | Path) -> dict:
    """Given the writer's open connection to `warehouse`, checkpoint it and
    publish its snapshot (temporary name, then atomic rename); return the
    snapshot's path, size and seconds taken.

    The connection stays open, so no other writer can change the file while
    it is copied; after CHECKPOINT the file alone holds every committed row."""
    started = time.perf_counter()
    warehouse = Path(warehouse)
    target = snapshot_path(warehouse)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    con.execute("CHECKPOINT")
    try:
        shutil.copyfile(warehouse, temporary)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
    return {"path": str(target), "bytes": target.stat().st_size, "seconds": time.perf_counter() - started}


def readable_path(warehouse: str | Path) -> Path:
    """Given the warehouse file, return what a reader should open: its
    snapshot when one exists, else the warehouse itself (made by an older
    tongbao, or never written since)."""
    snapshot = snapshot_path(warehouse)
    return snapshot if snapshot.exists() else Path(warehouse)
