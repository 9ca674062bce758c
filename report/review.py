"""What needs an analyst's decision, and how a decision reaches the warehouse.

Items to review: unit names the rules could not settle (`unresolved_units`,
with their catalog candidates), unmapped headers and statistics (when the
warehouse has the `unmapped_headers` / `unmapped_statistics` models), and
suspected duplicates (two names of one city that look alike and are never
listed in the same quarter; several bulletins for one city and quarter).

A decision is data: a unit decision is a line in the analyst's alias file
(`aliases.csv` next to the warehouse), a header decision a line in the
vocabulary file (`vocabulary.csv` beside it) — the files `tongbao units
--apply`, `tongbao vocab --apply` and every ingest read — so it survives
every later ingest and back-fill; a
dismissed duplicate is a line in `review_decisions.csv` beside it, so it is
not asked again. `apply_decisions` then re-applies them to the
loaded rows, rebuilds the models and publishes the snapshot.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from .queries import relation_columns, rows

DUPLICATE_MIN_SCORE = 80
REVIEW_DECISIONS_FILE = "review_decisions.csv"
REVIEW_DECISION_COLUMNS = ("kind", "city", "subject", "decision", "decided_at")


class DecisionError(ValueError):
    """A decision cannot be recorded as given; the message says why."""


# --- what to review ------------------------------------------------------------------


def unresolved_units(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """The unit names to review, each with its candidates as (code, name, score) tuples."""
    if not relation_columns(con, "unresolved_units"):
        return []
    found = rows(con, """
        SELECT u.city, u.unit_raw, u.unit_name, u.unit_function, u.unit_kind, u.match_rule, u.best_score,
               u.bulletins, u.rows, u.periods, u.seen_as
        FROM unresolved_units AS u ORDER BY u.city, u.match_rule, u.unit_raw
    """)
    candidates: dict[tuple, list] = {}
    if relation_columns(con, "unit_candidates"):
        for c in rows(con, "SELECT city, unit_raw, candidate_code, candidate_name, score FROM unit_candidates ORDER BY city, unit_raw, rank"):
            candidates.setdefault((c["city"], c["unit_raw"]), []).append((c["candidate_code"], c["candidate_name"], c["score"]))
    for item in found:
        item["candidates"] = candidates.get((item["city"], item["unit_raw"]), [])
    return found


def unmapped(con: duckdb.DuckDBPyConnection, name: str) -> list[dict] | None:
    """Rows of `unmapped_headers` or `unmapped_statistics`, or None when this warehouse has no such model."""
    if not relation_columns(con, name):
        return None
    return rows(con, f"SELECT * FROM {name}")  # name is one of two constants chosen by the caller


def duplicate_units(con: duckdb.DuckDBPyConnection, dismissed: set[tuple[str, str]] = frozenset()) -> list[dict]:
    """Pairs of unit names within a city that look alike (rapidfuzz ratio ≥ 80,
    or one inside the other), have the same kind and are never listed in the
    same quarter: probably one unit under two spellings. Pairs an analyst
    dismissed are left out."""
    from rapidfuzz import fuzz

    units = rows(con, """
        SELECT city, unit_name, any_value(unit_function) AS unit_function, any_value(unit_kind) AS unit_kind,
               list(DISTINCT period_key ORDER BY period_key) AS periods, count(*) AS quarters
        FROM unit_quarter GROUP BY city, unit_name ORDER BY city, unit_name
    """)
    by_city: dict[str, list[dict]] = {}
    for u in units:
        by_city.setdefault(u["city"], []).append(u)
    pairs = []
    for city, members in by_city.items():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a["unit_kind"] != b["unit_kind"] or set(a["periods"]) & set(b["periods"]):
                    continue
                if a["unit_function"] and b["unit_function"] and a["unit_function"] != b["unit_function"]:
                    continue
                shorter, longer = sorted((a["unit_name"], b["unit_name"]), key=len)
                score = fuzz.ratio(a["unit_name"], b["unit_name"])
                if score < DUPLICATE_MIN_SCORE and not (len(shorter) >= 3 and shorter in longer):
                    continue
                keep, merge = (a, b) if (a["quarters"], a["unit_function"] is not None) >= (b["quarters"], b["unit_function"] is not None) else (b, a)
                subject = duplicate_subject(keep["unit_name"], merge["unit_name"])
                if (city, subject) in dismissed:
                    continue
                pairs.append({"city": city, "keep": keep, "merge": merge, "score": round(score, 1), "subject": subject})
    return pairs


def duplicate_bulletins(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Cities and quarters with more than one loaded bulletin (different bytes):
    copies of one bulletin in several formats, or a re-issued one."""
    return rows(con, """
        SELECT city, period_key, count(*) AS bulletins, string_agg(format || ': ' || source_file, ' | ' ORDER BY source_file) AS files
        FROM stg_bulletins WHERE period_key IS NOT NULL
        GROUP BY city, period_key HAVING count(*) > 1 ORDER BY city, period_key
    """)


def duplicate_subject(keep: str, merge: str) -> str:
    return f"{merge} → {keep}"


# --- decisions ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitDecision:
    """One printed name's identity, as the analyst decided it (an alias line)."""

    city: str
    unit_raw: str
    unit_name: str = ""
    unit_function: str = ""
    unit_kind: str = ""

    def line(self) -> dict:
        return {"city": self.city, "unit_raw": self.unit_raw, "unit_name": self.unit_name,
                "unit_function": self.unit_function, "unit_kind": self.unit_kind}


def _rewrite_decision_file(path: Path, columns: tuple[str, ...], key_fields: int, lines: list[dict],
                           validate, comment: str) -> Path:
    """Given a decision file, replace the lines whose first `key_fields` fields
    (cleaned) match a new line's, append the new ones, keep comments and every
    other line, validate the whole file with `validate(path)` before it
    replaces the old one (a bad line leaves the file as it was)."""
    from parsers.textnorm import clean_name

    key = lambda fields: tuple(clean_name(f) for f in fields[:key_fields])  # noqa: E731
    decided = {key([line[c] for c in columns]) for line in lines}
    kept: list[str] = []
    header_seen = False
    if path.exists():
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                kept.append(line)
            elif not header_seen:
                header_seen = True
                kept.append(line)
            elif key(next(csv.reader([line]))) not in decided:
                kept.append(line)
    else:
        kept.append(comment)
    if not header_seen:
        kept.append(",".join(columns))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writerows(lines)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text("\n".join(kept).rstrip("\n") + "\n" + buffer.getvalue(), encoding="utf-8")
    try:
        validate(temporary)
    except ValueError as exc:
        temporary.unlink()
        raise DecisionError(str(exc).replace(str(temporary), str(path))) from exc
    os.replace(temporary, path)
    return path


def write_aliases(path: Path, decisions: list[UnitDecision]) -> Path:
    """Given the alias file and unit decisions, replace any line for the same
    (city, printed name) and append the rest (see _rewrite_decision_file)."""
    from units.aliases import ALIAS_COLUMNS, AliasTable

    for d in decisions:
        if not d.unit_raw.strip() or not d.city.strip():
            raise DecisionError("a unit decision needs the city and the printed name")
        if not (d.unit_name or d.unit_function or d.unit_kind):
            raise DecisionError(f"{d.unit_raw}: give a unit name, a catalog code or a kind")
    return _rewrite_decision_file(
        path, ALIAS_COLUMNS, 2, [d.line() for d in decisions], AliasTable.from_csv,
        "# Analyst's unit aliases (docs/units.md); `tongbao review` and hand edits both write here.")


@dataclass(frozen=True)
class HeaderDecision:
    """What a printed column header means, as the analyst decided it (a vocabulary line)."""

    header_raw: str
    metric: str
    scope: str = ""
    outlet: str = ""

    def line(self) -> dict:
        return {"header_raw": self.header_raw, "metric": self.metric, "scope": self.scope, "outlet": self.outlet}


def write_vocabulary(path: Path, decisions: list[HeaderDecision]) -> Path:
    """Given the vocabulary file (`vocabulary.csv` beside the warehouse) and
    header decisions, replace any line for the same header and append the rest."""
    from parsers.vocab import OVERRIDE_COLUMNS, read_overrides

    for d in decisions:
        if not d.header_raw.strip() or not d.metric.strip():
            raise DecisionError("a header decision needs the printed header and a metric code (or ignore)")
    return _rewrite_decision_file(
        path, OVERRIDE_COLUMNS, 1, [d.line() for d in decisions],
        lambda p: read_overrides(p.read_text(encoding="utf-8"), str(p)),
        "# Analyst's header vocabulary (header_raw -> metric); `tongbao review` and hand edits both write here.")


def metric_codes() -> tuple[str, ...]:
    """The codes a header can be mapped to, and `ignore` (not a figure)."""
    from parsers.vocab import METRIC_CODES

    return tuple(METRIC_CODES) + ("ignore",)


def merge_decisions(con: duckdb.DuckDBPyConnection, city: str, keep: str, merge: str) -> list[UnitDecision]:
    """Given a duplicate pair, return alias lines giving every printed name of
    `merge` (in that city) the identity of `keep`."""
    target = rows(con, "SELECT any_value(unit_function) AS f, any_value(unit_kind) AS k FROM unit_quarter "
                       "WHERE city = ? AND unit_name = ?", [city, keep])
    if not target or target[0]["k"] is None:
        raise DecisionError(f"{city} has no unit called {keep}")
    raws = [r["unit_raw"] for r in rows(con, "SELECT DISTINCT unit_raw FROM unit_metrics WHERE city = ? AND unit_name = ? "
                                             "UNION SELECT DISTINCT unit_raw FROM unit_findings WHERE city = ? AND unit_name = ? "
                                             "ORDER BY 1", [city, merge, city, merge])]
    if not raws:
        raise DecisionError(f"{city} has no unit called {merge}")
    return [UnitDecision(city, raw, keep, target[0]["f"] or "", target[0]["k"] or "") for raw in raws]


def review_decisions_path(warehouse: str | Path) -> Path:
    return Path(warehouse).resolve().parent / REVIEW_DECISIONS_FILE


def read_dismissed(path: Path) -> set[tuple[str, str]]:
    """Return the (city, subject) pairs an analyst marked as not duplicates."""
    if not path.exists():
        return set()
    with path.open(encoding="utf-8-sig", newline="") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return {(r["city"], r["subject"]) for r in csv.DictReader(lines) if r.get("decision") == "not_duplicate"}


def dismiss_duplicate(path: Path, city: str, subject: str) -> None:
    """Record that a suspected duplicate is two units (it is not asked again)."""
    new = not path.exists()
    with path.open("a", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        if new:
            writer.writerow(REVIEW_DECISION_COLUMNS)
        writer.writerow(["duplicate_unit", city, subject, "not_duplicate",
                         datetime.now(timezone.utc).replace(microsecond=0).isoformat()])


def apply_decisions(warehouse: str | Path, wait_s: float = 10.0) -> dict:
    """Re-apply every decision in force (the vocabulary and alias files beside
    the warehouse, and any applied from elsewhere) to the loaded rows, without
    re-parsing; rebuild the models and publish the snapshot; return counts."""
    from warehouse.connection import open_warehouse
    from warehouse.decisions import reapply_decisions
    from warehouse.models import build_models
    from warehouse.snapshot import publish_snapshot

    with open_warehouse(warehouse, wait_s=wait_s) as con:
        counts = reapply_decisions(con, warehouse)
        build_models(con)
        counts["snapshot"] = publish_snapshot(con, warehouse)
    return counts
