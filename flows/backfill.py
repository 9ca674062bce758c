"""The back-fill flow: re-parse old years from the raw store after a parser improves.

It chooses bulletins by period from the warehouse (a brief read), takes their
bytes from the raw store (never the network), and reuses the ingest flow's
parse and load phases, so a back-fill parallelises and summarises exactly
like an ingest. Without --force only bulletins loaded by an older parser
version are chosen, so running it twice changes nothing the second time.
"""

from __future__ import annotations

import time

from ingest.settings import Settings, apply_offline_env

apply_offline_env()

from prefect import flow  # noqa: E402

from flows.ingest import run_documents  # noqa: E402
from flows.runners import validate_runner  # noqa: E402
from ingest.backfill import documents_for, parse_years, select_candidates  # noqa: E402
from ingest.outcomes import IngestSummary  # noqa: E402
from ingest.rawstore import RawStore  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402


@flow(name="tongbao-backfill", log_prints=True)
def backfill_flow(years: str, warehouse: str | None = None, cities: list[str] | None = None, force: bool = False,
                  runner: str = "auto", workers: int | None = None, batch_size: int | None = None) -> dict:
    """Re-parse stored bulletins whose period falls in `years` ("2016-2019");
    return the same summary as an ingest."""
    runner = validate_runner(runner)
    span = parse_years(years)
    settings = Settings.from_env(warehouse=warehouse)
    store = RawStore.for_warehouse(settings.warehouse)
    summary = IngestSummary()
    started = time.perf_counter()
    with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
        candidates = select_candidates(con, span, cities, force)
    documents, missing = documents_for(candidates, store)
    summary.seconds["store"] = time.perf_counter() - started
    return run_documents(documents, missing, settings, force=force, runner=runner, workers=workers,
                         batch_size=batch_size, summary=summary, started=started, title="tongbao backfill")
