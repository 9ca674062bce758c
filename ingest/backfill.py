"""Choosing what a back-fill re-parses, from the raw store only.

After a parser improves, an analyst re-runs old years. The warehouse knows
each bulletin's period and the parser version that loaded it; the raw store
has its exact bytes. So a back-fill needs neither the network nor the
original inboxes, and selecting "loaded by an older parser" makes it
idempotent: a second run finds nothing left to do.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from parsers import PARSER_VERSION

from .outcomes import Outcome, Status
from .rawstore import StoredDocument, RawStore

_YEARS = re.compile(r"^\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4})\s*)?$")


@dataclass(frozen=True)
class Candidate:
    bulletin_id: str
    source_file: str
    city: str | None
    period_year: int | None
    parser_version: str | None


def parse_years(text: str) -> tuple[int, int]:
    """Given "2016-2019" or "2018", return the inclusive (first, last) years;
    raise ValueError for anything else."""
    match = _YEARS.match(str(text))
    if not match:
        raise ValueError(f"--years {text!r}: expected a year (2018) or a range (2016-2019)")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValueError(f"--years {text!r}: the range ends before it starts")
    return first, last


def select_candidates(con: duckdb.DuckDBPyConnection, years: tuple[int, int], cities: list[str] | None = None,
                      force: bool = False) -> list[Candidate]:
    """Given a year range, optional cities and --force, return the loaded
    bulletins to re-parse: those whose period falls in the range and, unless
    forced, that an older parser version loaded."""
    sql = ("SELECT bulletin_id, source_file, city, period_year, parser_version FROM bulletins "
           "WHERE period_year BETWEEN ? AND ?")
    params: list = [years[0], years[1]]
    if cities:
        sql += f" AND city IN ({', '.join('?' for _ in cities)})"
        params += list(cities)
    if not force:
        sql += " AND parser_version IS DISTINCT FROM ?"
        params.append(PARSER_VERSION)
    sql += " ORDER BY city, period_year, source_file"
    return [Candidate(*row) for row in con.execute(sql, params).fetchall()]


def documents_for(candidates: list[Candidate], store: RawStore) -> tuple[list[StoredDocument], list[Outcome]]:
    """Given back-fill candidates, return a stored document for each, plus a
    rejection for each whose bytes are not in the raw store. A bulletin loaded
    before the raw store existed is taken from its original path if that file
    still has the same bytes (and is then stored)."""
    documents, missing = [], []
    for c in candidates:
        raw = store.find(c.bulletin_id) or _adopt_original(c, store)
        if raw is None:
            missing.append(Outcome(c.source_file, c.bulletin_id, Status.REJECTED, reason="missing_raw",
                                   message=f"the bytes of {c.source_file} are not in the raw store {store.root} and the "
                                           "original is gone or changed; ingest the original again to back-fill it."))
            continue
        documents.append(StoredDocument(c.source_file, str(raw), c.bulletin_id, raw.stat().st_size, city=c.city))
    return documents, missing


def _adopt_original(c: Candidate, store: RawStore) -> Path | None:
    original = Path(c.source_file)
    try:
        data = original.read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(data).hexdigest() != c.bulletin_id:
        return None
    return store.put_bytes(data, original.suffix.lower())[1]
