"""What becomes of an input file: its status, its reason, and applying it.

`Status` and `REASONS` are the one registry of outcomes: every reason a file
can be skipped or rejected for, with the advice a person needs. A new reason
is one line in `REASONS` (and one row in the README's table of reasons);
`Outcome` refuses a reason that is not registered. `flows.ingest` composes
the steps into a Prefect flow; tests can call them alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

import duckdb

from parsers import PARSER_VERSION
from warehouse.load import load_bulletin, record_rejection

from warehouse.rows import PreparedBulletin

from .unreadable import unreadable_cells


class Status(StrEnum):
    """Where a file stands: parsed (rows in hand, not yet written), then loaded,
    replaced (an older parse swapped out), skipped or rejected."""

    PARSED = "parsed"
    LOADED = "loaded"
    REPLACED = "replaced"
    SKIPPED = "skipped"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Reason:
    """Why a file was skipped or rejected, and what a person can do about it."""

    status: Status
    advice: str


REASONS: dict[str, Reason] = {
    # skipped: nothing to do
    "already_loaded": Reason(Status.SKIPPED, "nothing: the same bytes are loaded by this parser version; --force re-parses"),
    "duplicate": Reason(Status.SKIPPED, "nothing: the same bytes were given twice in this run"),
    "annex": Reason(Status.SKIPPED, "nothing: its tables load with the web page it was saved beside"),
    "interrupted": Reason(Status.SKIPPED, "run the same command again: the run was stopped (Ctrl-C) before this file was done"),
    # rejected by a parser (parsers/errors.py)
    "empty": Reason(Status.REJECTED, "check that the right file was exported; it has no content"),
    "unknown_format": Reason(Status.REJECTED, "save it as PDF, DOCX, XLSX, HTML, a PNG/JPEG/TIFF scan or UTF-8/GB18030 text"),
    "undecodable_text": Reason(Status.REJECTED, "re-export with embedded Unicode fonts or OCR it; save text as UTF-8 or GB18030"),
    "no_facts": Reason(Status.REJECTED, "check it is a bulletin: it states no figure and names no unit"),
    "too_large": Reason(Status.REJECTED, "split the file, or raise the limit the message names (TONGBAO_MAX_OCR_PAGES for a scan) if it is genuine"),
    "corrupt": Reason(Status.REJECTED, "re-download or re-export the file"),
    "encrypted": Reason(Status.REJECTED, "save an unprotected copy and ingest that"),
    "no_text_layer": Reason(Status.REJECTED, "check that the right file was exported; a scan on which OCR found no text: scan it again at 300 dpi"),
    "converter_missing": Reason(Status.REJECTED, "install LibreOffice (apt-get install libreoffice-writer) or save it as DOCX"),
    "timeout": Reason(Status.REJECTED, "raise TONGBAO_PARSE_TIMEOUT_S (TONGBAO_OCR_TIMEOUT_S for a scan) if the document is genuine"),
    "unreadable": Reason(Status.REJECTED, "check the file's permissions, or re-export it"),
    # rejected while parsing or loading (ingest/)
    "too_complex": Reason(Status.REJECTED, "re-export the file: it is nested too deeply to parse safely"),
    "parser_error": Reason(Status.REJECTED, "a bug in tongbao: report it with the file"),
    "worker_crashed": Reason(Status.REJECTED, "re-run with --retry-rejected; if it recurs, raise the memory limit or report the file"),
    "load_failed": Reason(Status.REJECTED, "re-run with --retry-rejected once the warehouse is writable"),
    "missing_raw": Reason(Status.REJECTED, "ingest the original file again: its raw-store copy is gone"),
    "corrupt_store": Reason(Status.REJECTED, "ingest the original file again: its raw-store copy no longer matches its hash"),
    "link_outside": Reason(Status.REJECTED, "give the file itself, or pass --follow-links: a link out of the folder given is not followed"),
    "not_a_file": Reason(Status.REJECTED, "nothing, or give the file itself: a folder entry that is not a regular file is not read"),
    # rejected while fetching (sources files)
    "inbox_missing": Reason(Status.REJECTED, "create the inbox folder or fix its path in the sources file"),
    "download_timeout": Reason(Status.REJECTED, "nothing: the next scheduled run retries; check the site if it recurs"),
    "download_failed": Reason(Status.REJECTED, "check the URL and the network; the next run retries"),
    "http_error": Reason(Status.REJECTED, "check the URL: the server refused it; the next run retries"),
    "redirect_refused": Reason(Status.REJECTED, "list the host in defaults.redirect_hosts of the sources file if the redirect is genuine"),
}


def advice(reason: str) -> str:
    """Given a registered reason, return what a person can do about it."""
    return REASONS[reason].advice


@dataclass
class Outcome:
    """What became of one input file."""

    path: str
    sha256: str | None
    status: Status
    prepared: PreparedBulletin | None = None
    reason: str | None = None
    message: str | None = None
    unreadable: list[str] = field(default_factory=list)  # cells loaded as NULL, not numbers (ingest/unreadable.py)

    def __post_init__(self) -> None:
        self.status = Status(self.status)
        if self.reason is not None and self.reason not in REASONS:
            raise ValueError(f"unregistered outcome reason {self.reason!r}: add it to ingest.outcomes.REASONS")


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
    interrupted: bool = False  # stopped (Ctrl-C) before every file was done

    def counts(self) -> Counter:
        return Counter(o.status for o in self.outcomes)

    def rejected_by_reason(self) -> Counter:
        return Counter(o.reason for o in self.outcomes if o.status == Status.REJECTED)

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
            "interrupted": self.interrupted,
            **({"sites": self.sites} if self.sites else {}),
            **({"annexes": self.annexes} if self.annexes else {}),
        }


def interrupted(path: str, sha256: str | None) -> Outcome:
    """The outcome of a file the run was stopped before finishing (never written to the warehouse)."""
    return Outcome(path, sha256, Status.SKIPPED, reason="interrupted",
                   message="not done: the run was stopped; run the same command again")


def skip_if_loaded_meanwhile(outcome: Outcome, loaded: dict[str, tuple[str, str]]) -> Outcome:
    """Given a parsed outcome and what the warehouse holds now, return it as
    `skipped` if a concurrent run loaded the same bytes with this parser."""
    version, source = loaded.get(outcome.sha256 or "", (None, None))
    if outcome.status == Status.PARSED and version == PARSER_VERSION:
        return Outcome(outcome.path, outcome.sha256, Status.SKIPPED, reason="already_loaded",
                       message=f"loaded meanwhile (from {source}) by parser {version}")
    return outcome


def apply_outcome(con: duckdb.DuckDBPyConnection, outcome: Outcome, exists: bool | None = None) -> Outcome:
    """Given a parse outcome (and, if known, whether its bulletin is in the
    warehouse), load it in one transaction or log its rejection; return the
    final outcome. A load that fails becomes a rejection."""
    if outcome.status == Status.PARSED and outcome.prepared is not None:
        outcome.unreadable = unreadable_cells(outcome.prepared.unit_metrics)
        try:
            outcome.status = Status(load_bulletin(con, outcome.prepared, exists=exists))
        except duckdb.InterruptException:  # a second Ctrl-C: the transaction is rolled back, nothing is rejected
            raise KeyboardInterrupt from None
        except duckdb.Error as exc:
            outcome.status, outcome.reason = Status.REJECTED, "load_failed"
            outcome.message = f"{outcome.path} parsed but could not be written to the warehouse: {exc}"
        outcome.prepared = None  # release the rows once written
    if outcome.status == Status.REJECTED:
        record_rejection(con, outcome.path, outcome.sha256, outcome.reason or "unknown", outcome.message or "", PARSER_VERSION)
    return outcome
