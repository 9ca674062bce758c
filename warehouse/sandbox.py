"""A connection that can only read the warehouse: for `tongbao query`.

Opening the file read-only is not enough: DuckDB can still write elsewhere
(`COPY … TO`, `EXPORT DATABASE`, `PRAGMA profile_output`), attach another
database — or the warehouse itself through a hard link — for writing, read any
file (`read_text('/etc/shadow')`) and install extensions from the network.
So the query connection has external access switched off (every file system
and network operation except the already-open warehouse), no extension
auto-install or auto-load, a memory limit, and its configuration locked so a
statement cannot switch any of that back on.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from .connection import connect

DEFAULT_QUERY_MEMORY = "1GB"

SANDBOX_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
}


def connect_for_query(path: str | Path, *, memory_limit: str = DEFAULT_QUERY_MEMORY, wait_s: float = 10.0) -> duckdb.DuckDBPyConnection:
    """Given a warehouse path, return a read-only connection that cannot reach
    any file, database or network beyond the warehouse, with `memory_limit`."""
    con = connect(path, read_only=True, wait_s=wait_s, config={**SANDBOX_CONFIG, "memory_limit": memory_limit})
    con.execute("SET lock_configuration = true")
    return con


def is_refused_write(exc: BaseException) -> bool:
    """Given an error from a query, tell whether it is the sandbox refusing a
    write or an outside access (as opposed to bad SQL)."""
    text = str(exc)
    return (
        "read-only" in text
        or "file system operations are disabled" in text
        or "Cannot change configuration option" in text
        or "external extensions is disabled" in text
        or ("Permission Error" in text)
    )
