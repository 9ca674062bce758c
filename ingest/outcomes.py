"""The steps of an ingest run as plain functions: plan, then apply outcomes.

`flows.ingest` composes them into a Prefect flow; tests can call them alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import duckdb

from parsers import PARSER_VERSION
from warehouse.load import load_bulletin, record_rejection

from warehouse.rows import PreparedBulletin

from .unreadable import unreadable_cells


@dataclass
class Outcome:
    """What became of one input file."""

    path: str
    sha256: str | None
    status: str  # parsed, rejected, skipped, loaded, replaced
    prepared: PreparedBulletin | None = None
    reason: str | None = None
    message: str | None = None
    unreadable: list[str] = field(default_factory=list)  # cells loaded as NULL, not numbers (ingest/unreadable.py)


@dataclass
class IngestSummary:
    outcomes: list[Outcome] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    model_error: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    runner: str | None = None
    # Site sources read (listing pages, articles discovered / new / already seen)
    # and web-page annexes followed, when the run had any.
    sites: list[dict] = field(default_factory=list)
    annexes: dict[str, int] = field(default_factory=dict)

    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    def rejected_by_reason(self) -> Counter:
        return Counter(o.reason for o in self.outcomes if o.status == "rejected")

    def as_dict(self) -> dict:
        return {
            "counts": dict(self.counts()),
            "rejected_by_reason": dict(self.rejected_by_reason()),
            "files": [
                {"path": o.path, "status": o.status, "reason": o.reason, "message": o.message, "sha256": o.sha256,
                 "unreadable_cells": len(o.unreadable), "unreadable": o.unreadable}
                for o in self.outcomes
            ],
            "unreadable_cells": sum(len(o.unreadable) for o in self.outcomes),
            "models": self.models,
            "model_error": self.model_error,
            "seconds": self.seconds,
            "runner": self.runner,
            **({"sites": self.sites} if self.sites else {}),
            **({"annexes": self.annexes} if self.annexes else {}),
        }


def skip_if_loaded_meanwhile(outcome: Outcome, loaded: dict[str, tuple[str, str]]) -> Outcome:
    """Given a parsed outcome and what the warehouse holds now, return it as
    `skipped` if a concurrent run loaded the same bytes with this parser."""
    version, source = loaded.get(outcome.sha256 or "", (None, None))
    if outcome.status == "parsed" and version == PARSER_VERSION:
        return Outcome(outcome.path, outcome.sha256, "skipped", reason="already_loaded",
                       message=f"loaded meanwhile (from {source}) by parser {version}")
    return outcome


def apply_outcome(con: duckdb.DuckDBPyConnection, outcome: Outcome, exists: bool | None = None) -> Outcome:
    """Given a parse outcome (and, if known, whether its bulletin is in the
    warehouse), load it in one transaction or log its rejection; return the
    final outcome. A load that fails becomes a rejection."""
    if outcome.status == "parsed" and outcome.prepared is not None:
        outcome.unreadable = unreadable_cells(outcome.prepared.unit_metrics)
        try:
            outcome.status = load_bulletin(con, outcome.prepared, exists=exists)
        except duckdb.Error as exc:
            outcome.status, outcome.reason = "rejected", "load_failed"
            outcome.message = f"{outcome.path} parsed but could not be written to the warehouse: {exc}"
        outcome.prepared = None  # release the rows once written
    if outcome.status == "rejected":
        record_rejection(con, outcome.path, outcome.sha256, outcome.reason or "unknown", outcome.message or "", PARSER_VERSION)
    return outcome
