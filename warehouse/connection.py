"""Open the DuckDB warehouse, waiting politely while another process holds it.

DuckDB lets only one process open a database file for writing, and while it
does no other process can open it at all, even read-only. Ingest therefore
opens the file only for the load, and everyone else waits a little and then
says who holds it.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from .schema import SCHEMA_VERSION, ensure_schema

_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)(?: by user (?P<user>[^\s.]+))?")


class WarehouseError(Exception):
    """The warehouse could not be used; the message says what to do."""


class WarehouseBusy(WarehouseError):
    pass


class WarehouseMissing(WarehouseError):
    pass


def connect(path: str | Path, *, read_only: bool = False, wait_s: float = 10.0, config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """Given a warehouse path, return a connection, retrying while another
    process holds the file for up to `wait_s` seconds (`config`: DuckDB settings)."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseMissing(f"No warehouse at {path}; run `tongbao ingest PATH…` first (or pass --warehouse).")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as exc:
            holder = _HOLDER.search(str(exc))
            if not holder:
                raise WarehouseError(f"Cannot open the warehouse {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"The warehouse {path} is held by another process (PID {holder.group('pid')}, "
                    f"{holder.group('program')}, user {holder.group('user') or '?'}), "
                    f"probably a running `tongbao ingest`; waited {wait_s:g}s. Try again when it finishes, "
                    "or query an exported copy."
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
            continue
        try:
            check_is_warehouse(con, path)
        except WarehouseError:
            con.close()
            raise
        if not read_only:
            ensure_schema(con)
        return con


class NotAWarehouse(WarehouseError):
    pass


def check_is_warehouse(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Given a fresh connection, raise NotAWarehouse unless the file is empty
    or a tongbao warehouse (its `schema_info` table names the schema
    version), so a path pointing at another application's DuckDB file is
    never altered."""
    names = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database()").fetchall()}
    if not names:
        return
    if "schema_info" not in names:
        shown = ", ".join(sorted(names)[:5]) + (" …" if len(names) > 5 else "")
        raise NotAWarehouse(f"{path} is a DuckDB database but not a tongbao warehouse (no schema_info table; it holds "
                            f"{shown}); tongbao leaves it untouched. Pass another --warehouse.")
    version = con.execute("SELECT max(schema_version) FROM schema_info").fetchone()[0]
    if version is not None and version > SCHEMA_VERSION:
        raise NotAWarehouse(f"{path} is a tongbao warehouse of schema version {version}, newer than this tongbao "
                            f"({SCHEMA_VERSION}); upgrade tongbao to use it.")


@contextmanager
def open_warehouse(path: str | Path, *, read_only: bool = False, wait_s: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, read_only=read_only, wait_s=wait_s)
    try:
        yield con
    finally:
        con.close()
