"""The analyst's decisions, kept in the warehouse and re-applied after every load.

Two decision files sit next to the warehouse: `aliases.csv` (unit names,
docs/units.md) and `vocabulary.csv` (column headers -> metric codes). When
an analyst applies a file (`tongbao units --apply --aliases FILE`, `tongbao
vocab --apply --file FILE`), its text is stored in `analyst_decisions`. Every
later ingest and back-fill re-applies the stored decisions together with the
file beside the warehouse (its lines win), so a load never undoes a decision.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import duckdb

from parsers.vocab import HeaderMeaning, read_overrides
from units import AliasTable

from .unit_identities import reapply_units
from .vocabulary import reapply_vocabulary, refresh_candidates

UNIT_ALIASES = "unit_aliases"
VOCABULARY = "vocabulary"
FILE_NAMES = {UNIT_ALIASES: "aliases.csv", VOCABULARY: "vocabulary.csv"}


def decision_file(warehouse: str | Path, kind: str) -> Path:
    """Given the warehouse file and a decision kind, return its file beside the warehouse."""
    return Path(warehouse).resolve().parent / FILE_NAMES[kind]


def read_decision_text(path: str | Path | None) -> str | None:
    """Given a decision file's path, return its text, or None when it does not exist."""
    if path is None or not Path(path).exists():
        return None
    return Path(path).read_text(encoding="utf-8-sig")


def store_decisions(con: duckdb.DuckDBPyConnection, kind: str, path: str | Path, text: str | None) -> None:
    """Given an applied decision file's path and text, keep them as the decisions in force."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con.execute("DELETE FROM analyst_decisions WHERE kind = ?", [kind])
    con.execute("INSERT INTO analyst_decisions VALUES (?, ?, ?, ?)", [kind, str(Path(path).resolve()), text or "", now])


def stored_decisions(con: duckdb.DuckDBPyConnection, kind: str) -> tuple[str, str] | None:
    """Return the (path, text) last applied for a decision kind, or None."""
    row = con.execute("SELECT path, content FROM analyst_decisions WHERE kind = ?", [kind]).fetchone()
    return (row[0], row[1]) if row else None


def _in_force(con: duckdb.DuckDBPyConnection, kind: str, default: Path) -> list[tuple[str, str]]:
    """The (where, text) sources of a kind's decisions, oldest first: the file
    last applied (unless it is the file beside the warehouse, read fresh), then that file."""
    sources = []
    stored = stored_decisions(con, kind)
    if stored and Path(stored[0]) != default.resolve():
        sources.append((f"{stored[0]} (as applied)", stored[1]))
    text = read_decision_text(default)
    if text is not None:
        sources.append((str(default), text))
    return sources


def aliases_in_force(con: duckdb.DuckDBPyConnection, warehouse: str | Path):
    """Given a connection and the warehouse path, return the unit alias table
    in force (raises AliasFileError on a bad line)."""
    table = AliasTable((), None)
    for where, text in _in_force(con, UNIT_ALIASES, decision_file(warehouse, UNIT_ALIASES)):
        table = table.merged(AliasTable.from_text(text, where))
    return table


def vocabulary_in_force(con: duckdb.DuckDBPyConnection, warehouse: str | Path) -> dict[str, HeaderMeaning]:
    """Given a connection and the warehouse path, return the header overrides
    in force (raises VocabularyFileError on a bad line)."""
    overrides: dict[str, HeaderMeaning] = {}
    for where, text in _in_force(con, VOCABULARY, decision_file(warehouse, VOCABULARY)):
        overrides.update(read_overrides(text, where))
    return overrides


def reapply_decisions(con: duckdb.DuckDBPyConnection, warehouse: str | Path) -> dict:
    """Given a read-write connection and the warehouse path, re-apply every
    decision in force to the loaded rows: the vocabulary to the stored table
    cells, then the unit aliases to every unit name. Return both counts."""
    vocabulary = reapply_vocabulary(con, vocabulary_in_force(con, warehouse))
    units = reapply_units(con, aliases=aliases_in_force(con, warehouse))
    vocabulary["candidates"] = refresh_candidates(con)
    return {"vocabulary": vocabulary, "units": units}
