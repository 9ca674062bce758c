"""What an ingest run reads, and what of it needs parsing.

`discover_files` turns the paths given into files; `plan_documents` decides,
from what the warehouse holds, which stored documents are parsed and which
are settled already (the same bytes twice, or loaded by this parser).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from parsers import PARSER_VERSION
from parsers.limits import Limits

from .outcomes import Outcome, Status
from .folders import SKIPPED_NAMES, walk_inputs  # noqa: F401 (SKIPPED_NAMES re-exported)
from .rawstore import RawStore, StoredDocument, store_local_files

def discover_files(paths: Iterable[str | Path], follow_links: bool = False) -> list[Path]:
    """Given files and folders, return every regular file under them (sorted,
    hidden files and OS clutter skipped; see `ingest.folders.walk_inputs` for
    what else is met); raise FileNotFoundError for a missing path."""
    return walk_inputs(paths, follow_links)[0]


@dataclass
class DocumentPlan:
    to_parse: list[StoredDocument] = field(default_factory=list)
    settled: list[Outcome] = field(default_factory=list)


def plan_documents(documents: list[StoredDocument], loaded: dict[str, tuple[str, str]], force: bool = False) -> DocumentPlan:
    """Given stored documents and what the warehouse holds (id -> (parser
    version, source)), return which to parse and which are settled: the same
    bytes twice in one run, or already loaded by this parser version."""
    plan = DocumentPlan()
    seen: dict[str, str] = {}
    for doc in documents:
        if doc.sha256 in seen:
            plan.settled.append(Outcome(doc.label, doc.sha256, Status.SKIPPED, reason="duplicate",
                                        message=f"same bytes as {seen[doc.sha256]} in this run"))
            continue
        seen[doc.sha256] = doc.label
        version, loaded_from = loaded.get(doc.sha256, (None, None))
        if version == PARSER_VERSION and not force:
            plan.settled.append(Outcome(doc.label, doc.sha256, Status.SKIPPED, reason="already_loaded",
                                        message=f"already loaded (from {loaded_from}) by parser {version}"))
            continue
        plan.to_parse.append(doc)
    return plan


def store_inputs(local: list[tuple[str, str | None]], store: RawStore, sources: str | None = None,
                 limits: Limits = Limits(), follow_links: bool = False) -> tuple[list[StoredDocument], list[Outcome]]:
    """Given (path, city) pairs — paths given on the command line (city None)
    and a sources file's inboxes — copy every file under them into the raw
    store; return the documents, and a rejection for each inbox missing or
    file unreadable, not a regular file, too large, or a link out of its folder."""
    documents: list[StoredDocument] = []
    settled: list[Outcome] = []
    for path, city in local:
        if city is not None and not Path(path).exists():
            settled.append(Outcome(path, None, Status.REJECTED, reason="inbox_missing",
                                   message=f"the inbox {path} listed for {city} in {sources} does not exist; "
                                           "create it or fix the sources file."))
            continue
        files, refused = walk_inputs([path], follow_links)
        stored, unreadable = store_local_files(files, store, city=city, limits=limits)
        documents += stored
        settled += refused + unreadable
    return documents, settled
