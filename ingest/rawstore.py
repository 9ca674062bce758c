"""A content-addressed store of every document tongbao has read.

Sites remove files and inboxes get cleaned out, but a back-fill after a
parser improvement needs the exact bytes again, without the network. So every
document read (a local file or a download) is copied once, under its sha256,
into a folder next to the warehouse (`warehouse.raw/` beside
`warehouse.duckdb`, or `$TONGBAO_RAW_STORE`). The warehouse table
`source_documents` records which source (path or URL) gave which bytes.

Plain functions only: flows compose them, tests call them directly. The
stored file is a `StoredDocument` (bytes and where they came from), not to be
confused with the parsed `parsers.model.Document`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from parsers.errors import TooLarge
from parsers.limits import Limits
from warehouse.schema import TABLES

from .outcomes import Outcome, Status

SOURCE_DOCUMENTS_DDL = f"CREATE TABLE IF NOT EXISTS source_documents ({TABLES['source_documents']})"


@dataclass(frozen=True)
class StoredDocument:
    """One document to ingest: its bytes live at `raw_path` in the raw store;
    `label` says where they came from (a path or URL) and names the document
    in the warehouse and in messages."""

    label: str
    raw_path: str
    sha256: str
    size: int
    city: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime | None = None
    charset: str | None = None  # declared by the HTTP Content-Type header
    annexes: tuple = ()  # a web page's annexes (ingest.annexes.AnnexRef), parsed with it
    final_url: str | None = None  # where a download's bytes came from, after redirects


class RawStore:
    """Files named by their sha256 under `root/ab/abcdef….ext`."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    @classmethod
    def for_warehouse(cls, warehouse: str | Path) -> "RawStore":
        """Given a warehouse path, return its raw store: `$TONGBAO_RAW_STORE`,
        else `<stem>.raw/` in the warehouse's folder."""
        override = os.environ.get("TONGBAO_RAW_STORE")
        if override:
            return cls(override)
        warehouse = Path(warehouse)
        return cls(warehouse.with_name(warehouse.stem + ".raw"))

    def find(self, sha256: str) -> Path | None:
        """Given a sha256, return the stored file with those bytes, or None."""
        folder = self.root / sha256[:2]
        if not folder.is_dir():
            return None
        for candidate in folder.glob(sha256 + "*"):
            return candidate
        return None

    def put_bytes(self, data: bytes, suffix: str = "") -> tuple[str, Path]:
        """Given bytes, store them once and return (sha256, stored path)."""
        sha = hashlib.sha256(data).hexdigest()
        existing = self.find(sha)
        if existing is not None and _hash_of(existing) == sha:
            return sha, existing
        if existing is not None:  # a damaged copy: replace it with the good bytes
            self._write_atomically(existing, data)
            return sha, existing
        target = self._target(sha, suffix)
        self._write_atomically(target, data)
        return sha, target

    def put_file(self, path: str | Path, limits: Limits = Limits()) -> tuple[str, int, Path]:
        """Given a local regular file, store a copy once and return (sha256, size,
        stored path); raise TooLarge before reading one over max_file_bytes.
        The original is only read."""
        from .folders import label_for, read_bounded

        path = Path(path)
        data = read_bounded(path, label_for(path), limits)
        sha, stored = self.put_bytes(data, _suffix(path.name))
        return sha, len(data), stored

    def _target(self, sha: str, suffix: str) -> Path:
        return self.root / sha[:2] / (sha + suffix)

    @staticmethod
    def _write_atomically(target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _hash_of(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _suffix(name: str) -> str:
    """Given a file or URL name, return a short lowercase extension worth keeping."""
    suffix = Path(name.split("?")[0]).suffix.lower()
    return suffix if 1 < len(suffix) <= 6 and suffix[1:].isalnum() else ""


def store_local_files(paths: list[Path], store: RawStore, city: str | None = None,
                      limits: Limits = Limits()) -> tuple[list[StoredDocument], list[Outcome]]:
    """Given local files, copy each into the raw store and return the
    documents, plus a rejection for each file that could not be read or is
    over max_file_bytes (not copied)."""
    from .folders import label_for

    documents, rejected = [], []
    now = _now()
    for path in paths:
        label = label_for(path)
        try:
            sha, size, stored = store.put_file(path, limits)
        except TooLarge as exc:
            rejected.append(Outcome(label, None, Status.REJECTED, reason=exc.reason, message=exc.message))
            continue
        except OSError as exc:
            rejected.append(Outcome(label, None, Status.REJECTED, reason="unreadable",
                                    message=f"{label} could not be read ({exc.strerror or exc}); check its permissions."))
            continue
        documents.append(StoredDocument(label, str(stored), sha, size, city=city, fetched_at=now))
    return documents, rejected


def recorded_sources(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """Return the (content_sha256, source) pairs `source_documents` already holds."""
    return set(con.execute("SELECT content_sha256, source FROM source_documents").fetchall())


def record_source_documents(con: duckdb.DuckDBPyConnection, documents: list[StoredDocument]) -> int:
    """Given documents read in this run, add a `source_documents` row for
    each new (bytes, source) pair; return how many were new."""
    if not documents:
        return 0
    before = con.execute("SELECT count(*) FROM source_documents").fetchall()[0][0]
    frame = pd.DataFrame.from_records(
        [(d.sha256, d.label, d.city, d.etag, d.last_modified, d.fetched_at or _now(), d.raw_path, d.final_url)
         for d in documents],
        columns=["content_sha256", "source", "city", "etag", "last_modified", "fetched_at", "raw_path", "final_url"],
    )
    con.register("_tongbao_sources", frame)
    try:
        con.execute("INSERT OR IGNORE INTO source_documents BY NAME "
                    "SELECT DISTINCT ON (content_sha256, source) * FROM _tongbao_sources")
    finally:
        con.unregister("_tongbao_sources")
    return con.execute("SELECT count(*) FROM source_documents").fetchall()[0][0] - before


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def documents_in_store(pairs: list[tuple[str, str]], store: RawStore) -> tuple[list[StoredDocument], list[str]]:
    """Given (label, sha256) pairs of documents read before (a rejection's
    source and bytes), return those whose bytes the raw store still holds, as
    documents under their original label, and the labels it does not hold."""
    found, missing = [], []
    for label, sha in pairs:
        raw = store.find(sha) if sha else None
        if raw is None:
            missing.append(label)
            continue
        found.append(StoredDocument(label, str(raw), sha, raw.stat().st_size, fetched_at=_now()))
    return found, missing
