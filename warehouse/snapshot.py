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


def is_current(warehouse: str | Path) -> bool:
    """Given the warehouse file, return True when its snapshot exists and holds
    every change (it was copied after the warehouse's last write; DuckDB does
    not touch a file it only opens and closes)."""
    snapshot = snapshot_path(warehouse)
    if not snapshot.exists():
        return False
    taken = snapshot.stat().st_mtime_ns
    files = (Path(warehouse), Path(f"{warehouse}.wal"))  # the WAL holds changes not yet checkpointed
    return all(not f.exists() or f.stat().st_mtime_ns <= taken for f in files)


def readable_path(warehouse: str | Path) -> Path:
    """Given the warehouse file, return what a reader should open: its current
    snapshot, else the warehouse itself (no snapshot yet, or one older than a
    change made since)."""
    return snapshot_path(warehouse) if is_current(warehouse) else Path(warehouse)


def open_for_reading(warehouse: str | Path, wait_s: float = 10.0) -> tuple[duckdb.DuckDBPyConnection, Path, bool]:
    """Given the warehouse file, return (read-only connection, file opened,
    stale). The current snapshot when there is one; else the warehouse itself,
    read-only; and when a writer holds the warehouse and an older snapshot
    exists, that snapshot (stale = True) rather than waiting for the writer."""
    from .connection import WarehouseBusy, connect

    target = readable_path(warehouse)
    snapshot = snapshot_path(warehouse)
    if target == snapshot:
        return connect(target, read_only=True), target, False
    if snapshot.exists():
        try:
            return connect(target, read_only=True, wait_s=0), target, False
        except WarehouseBusy:
            return connect(snapshot, read_only=True), snapshot, True
    return connect(target, read_only=True, wait_s=wait_s), target, False
