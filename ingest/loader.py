"""Load parse outcomes into the warehouse in waves, as parsing goes on.

DuckDB lets no other process even read the file while a writer holds it, so
the loader opens the warehouse only to write a wave of finished outcomes and
closes it again: with a process pool or Dask, the cores keep parsing while
the single writer loads, and readers can get in between waves. A wave that
finds the file held by someone else does not wait; its outcomes stay pending
for the next one. Only the final wave waits (up to the settings' lock wait),
then logs settled rejections, records sources, re-applies the analyst's
decisions (vocabulary, then aliases), rebuilds the models and publishes the read-only
snapshot that readers open (warehouse/snapshot.py). Each bulletin is still its own transaction.

A stopped run (ingest/stopping.py) writes no bulletin after the one in hand:
the rest are `interrupted` (not rejected), settled rejections are still
logged, and the models and snapshot are left for the next run, which finds
them stale and rebuilds them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable

from parsers.vocab import VocabularyFileError
from warehouse.connection import WarehouseBusy, open_warehouse
from warehouse.decisions import reapply_decisions
from warehouse.load import loaded_versions
from warehouse.models import ModelBuildError, build_models, models_current
from units import AliasFileError
from warehouse.snapshot import is_current, publish_snapshot

from . import stopping
from .outcomes import IngestSummary, Outcome, Status, apply_outcome, interrupted, skip_if_loaded_meanwhile
from .progress import REPORTER
from .rawstore import StoredDocument, record_source_documents
from .settings import Settings


def wave_size(to_parse: int, overlapping: bool) -> int | None:
    """Given how many documents will be parsed and whether parsing runs
    beside the loader (other processes), return how many finished outcomes
    make a wave, or None for one wave at the end (parsing in this process:
    loading in between would only take turns with it)."""
    if not overlapping:
        return None
    return max(25, min(200, to_parse // 10))


class WaveLoader:
    """The single writer of an ingest run: `add` outcomes as they come, then `finish`."""

    def __init__(self, settings: Settings, summary: IngestSummary, *, force: bool = False, wave: int | None = None,
                 expected: int = 0):
        self.settings = settings
        self.summary = summary
        self.force = force
        self.wave = wave
        self.pending: list[Outcome] = []
        self.changed = 0
        self.waves = 0
        self.expected = expected
        self.report = REPORTER.get()
        self.reporting = False  # the load bar appears with the first wave, below the parse bar
        summary.seconds.setdefault("load", 0.0)

    def add(self, outcomes: Iterable[Outcome]) -> None:
        """Given finished outcomes, keep them; write a wave once enough are
        pending and the warehouse is free right now."""
        self.pending.extend(outcomes)
        if self.wave is not None and len(self.pending) >= self.wave:
            try:
                with open_warehouse(self.settings.warehouse, wait_s=0) as con:
                    self._write_pending(con)
            except WarehouseBusy:
                pass  # a reader holds the file: try again with the next outcomes

    def finish(self, settled: list[Outcome], new_sources: list[StoredDocument]) -> None:
        """Given outcomes settled without parsing (rejections, skips) and the
        documents first seen in this run, write the last wave, log the
        rejections, record the sources and rebuild the models if anything
        changed, or if they are missing or stale (a run killed after its last load)."""
        summary = self.summary
        with open_warehouse(self.settings.warehouse, wait_s=self.settings.lock_wait_s) as con:
            self._write_pending(con)
            t0 = time.perf_counter()
            for outcome in settled:
                if outcome.status == Status.REJECTED:
                    apply_outcome(con, outcome)
            if stopping.requested():  # only the sources of what is done: the rest is read again next time
                done = {o.sha256 for o in summary.outcomes if o.reason != "interrupted"}
                new_sources = [d for d in new_sources if d.sha256 in done]
            record_source_documents(con, new_sources)
            summary.seconds["load"] += time.perf_counter() - t0
            if stopping.requested():
                summary.interrupted = True
                return
            if self.changed or not models_current(con):
                t0 = time.perf_counter()
                try:  # the analyst's decisions (vocabulary, aliases) win over every rule, for new rows too
                    reapply_decisions(con, self.settings.warehouse)
                except (AliasFileError, VocabularyFileError) as exc:
                    summary.model_error = str(exc)
                summary.seconds["units"] = time.perf_counter() - t0
                t0 = time.perf_counter()
                try:
                    summary.models = build_models(con)
                except ModelBuildError as exc:
                    summary.model_error = str(exc)
                summary.seconds["models"] = time.perf_counter() - t0
            if self.changed or any(o.status == "rejected" for o in settled) or new_sources \
                    or not is_current(self.settings.warehouse):
                t0 = time.perf_counter()
                publish_snapshot(con, self.settings.warehouse)
                summary.seconds["snapshot"] = time.perf_counter() - t0

    def _write_pending(self, con) -> None:
        if not self.pending:
            return
        t0 = time.perf_counter()
        if not self.reporting:
            self.report.start("load", self.expected)
            self.reporting = True
        wave, self.pending = self.pending, []
        ids = {o.sha256 for o in wave if o.sha256} | {o.prepared.bulletin_id for o in wave if o.prepared}
        loaded_now = loaded_versions(con, sorted(ids))
        for outcome in wave:
            if stopping.requested():  # stopped: the bulletin in hand was written, no other is
                self.summary.outcomes.append(interrupted(outcome.path, outcome.sha256))
                continue
            if not self.force:  # another run may have loaded it while we were parsing
                outcome = skip_if_loaded_meanwhile(outcome, loaded_now)
            exists = outcome.prepared.bulletin_id in loaded_now if outcome.prepared else None
            final = apply_outcome(con, outcome, exists=exists)
            self.changed += final.status in ("loaded", "replaced")
            self.summary.outcomes.append(final)
            self.report.advance("load", Path(outcome.path).name)
        self.waves += 1
        self.summary.seconds["load"] += time.perf_counter() - t0

