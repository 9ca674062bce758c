"""The ingest flow: gather documents, parse them in parallel tasks, load them
from the flow.

Every document read (an inbox file or a download) is first copied into the
content-addressed raw store, so later back-fills need neither the network nor
the inbox. Parsing runs in Prefect tasks on a chosen task runner (threads,
a process pool, or Dask); loading stays in the flow, the single writer, which
opens the warehouse only to write a wave of finished outcomes (see
`ingest.loader`), because DuckDB lets no other process even read the file
while a writer holds it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

from ingest.settings import Settings, apply_offline_env

apply_offline_env()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.futures import as_completed  # noqa: E402

from flows.report import summary_markdown  # noqa: E402
from flows.runners import make_task_runner, parallelism, resolve_runner, validate_runner, worker_count  # noqa: E402
from parsers.limits import Limits  # noqa: E402
from ingest import stopping  # noqa: E402
from ingest.outcomes import IngestSummary, Outcome, Status, interrupted  # noqa: E402
from ingest.loader import WaveLoader, wave_size  # noqa: E402
from ingest.guard import warm_up  # noqa: E402
from ingest.parsing import batch_label, batches, lost_batch, parse_batch, parse_in_processes  # noqa: E402
from ingest.progress import REPORTER  # noqa: E402
from ingest.planning import plan_documents, store_inputs  # noqa: E402
from ingest.rawstore import RawStore, StoredDocument, documents_in_store, recorded_sources  # noqa: E402
from ingest.annexes import split_annexes, with_annexes  # noqa: E402
from ingest.sites import discover  # noqa: E402
from ingest.sources import FetchError, FetchOptions, load_sources, fetch_url, read_http_state  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.load import loaded_versions  # noqa: E402
from warehouse.models import models_current  # noqa: E402


# --- tasks: thin wrappers over ingest.parsing and ingest.sources ---


@task(name="parse-bulletins", task_run_name="parse {label}")
def parse_batch_task(documents: list[StoredDocument], limits: Limits, label: str = "") -> list[Outcome]:
    return parse_batch(documents, limits)


@task(name="parse-bulletins-in-processes", task_run_name="parse in {workers} processes")
def parse_in_processes_task(groups: list[list[StoredDocument]], limits: Limits, workers: int) -> Iterator[list[Outcome]]:
    """Parse batches on a plain process pool, one Prefect task for all of
    them, yielding each batch's outcomes as it finishes.

    Prefect 3.8's ProcessPoolTaskRunner gave no speed-up here (eight 1.5 s
    CPU-bound tasks took 18 s on two workers: each task run pays for its own
    engine and API round trips in the worker), so the batches go to the
    standard library's pool and the task reports on the whole phase."""
    yield from parse_in_processes(groups, limits, workers)


@task(name="fetch-bulletin", task_run_name="fetch {url}")
def fetch_task(url: str, city: str | None, store_root: str, options: FetchOptions) -> StoredDocument | FetchError | None:
    """Download one URL into the raw store. A transient error raises, so
    Prefect retries with backoff; a final one (404, too large) is returned.
    A stopped run (Ctrl-C) downloads nothing more: None, not done."""
    if stopping.requested():
        return None
    try:
        return fetch_url(url, RawStore(store_root), options, city=city)
    except FetchError as exc:
        if exc.retryable:
            raise
        return exc


# --- the phases, composed by the flows ---


def fetch_sources(sources: str, cities: list[str] | None, store: RawStore, seen: set[str] | None = None,
                  summary: IngestSummary | None = None) -> tuple[list[StoredDocument], list[Outcome], list[tuple[str, str]]]:
    """Given a sources file, read its site listings for articles not `seen`
    before, download those and its URLs (retrying per its defaults) and
    return (documents, rejections, (inbox, city) pairs to read)."""
    config = load_sources(sources)
    selected = config.select(cities)
    options = config.options
    jobs = [(url, c.city) for c in selected for url in c.urls]
    jobs += discover_sites(selected, store, options, seen or set(), summary)
    results = fetch_all(jobs, store, options)
    documents, rejected = [], []
    for url, result in results.items():
        if isinstance(result, StoredDocument):
            documents.append(result)
        elif result is None:
            rejected.append(interrupted(url, None))  # settled, never written: the next run fetches it
        else:
            rejected.append(Outcome(url, None, Status.REJECTED, reason=result.reason, message=result.message))
    inboxes = [(inbox, c.city) for c in selected for inbox in c.inboxes]
    return documents, rejected, inboxes


def fetch_all(jobs: list[tuple[str, str | None]], store: RawStore, options: FetchOptions) -> dict[str, StoredDocument | FetchError | None]:
    """Given (url, city) pairs, download each once in fetch tasks (retried
    with backoff per `options`); return url -> stored document, FetchError,
    or None for a URL a stopped run did not download."""
    report = REPORTER.get()
    fetch = fetch_task.with_options(retries=options.retries, retry_delay_seconds=options.retry_delays() or 0)
    jobs = list(dict.fromkeys(jobs))
    report.start("fetch", len(jobs))
    futures = {fetch.submit(url, city, str(store.root), options): url for url, city in jobs}
    results: dict[str, StoredDocument | FetchError] = {}
    for future in as_completed(list(futures)):
        url = futures[future]
        result = future.result(raise_on_failure=False)
        if stopping.requested() and not isinstance(result, (StoredDocument, FetchError)):
            result = None  # stopped before it was downloaded (or while it waited for a retry): not done
        elif not isinstance(result, (StoredDocument, FetchError)):
            result = FetchError(url, "download_failed", f"{url} could not be downloaded ({result!r}).")
        results[url] = result
        report.advance("fetch", url.rsplit("/", 1)[-1])
    return {url: results[url] for url, _ in jobs}


def discover_sites(selected, store: RawStore, options: FetchOptions, seen: set[str],
                   summary: IngestSummary | None) -> list[tuple[str, str]]:
    """Given the selected cities' site sources, read each listing (and its
    next pages up to max_pages) and return the (article URL, city) pairs not
    seen before; count discovered and skipped articles in the summary."""
    fetch = fetch_task.with_options(retries=options.retries, retry_delay_seconds=options.retry_delays() or 0)

    def page_bytes(url: str) -> bytes:
        result = fetch(url, None, str(store.root), options, return_state=True).result(raise_on_failure=False)
        if isinstance(result, StoredDocument):
            return Path(result.raw_path).read_bytes()
        raise result if isinstance(result, FetchError) else FetchError(url, "download_failed", f"{url}: {result!r}")

    jobs = []
    for entry in selected:
        for site in entry.sites:
            found = discover(site, page_bytes)
            new = [url for url in found.articles if url not in seen]
            jobs += [(url, entry.city) for url in new]
            if summary is not None:
                summary.sites.append({"city": entry.city, "listing": site.listing, "pages_read": found.pages_read,
                                      "discovered": len(found.articles), "new": len(new),
                                      "skipped": len(found.articles) - len(new),
                                      "errors": [e.message for e in found.errors]})
                summary.outcomes.extend(Outcome(e.url, None, Status.REJECTED, reason=e.reason, message=e.message)
                                        for e in found.errors)
    return jobs


def attach_annexes(documents: list[StoredDocument], store: RawStore, options: FetchOptions,
                   summary: IngestSummary) -> list[StoredDocument]:
    """Given documents about to be parsed, return them with their web pages'
    annexes downloaded (or copied from disk) and attached. A download that
    fails falls back to the copy a previous run stored, so back-fills need
    no network; with none, the annex becomes a warning on the bulletin."""
    def fetch(jobs: list[tuple[str, str | None]]) -> dict[str, StoredDocument | str]:
        out: dict[str, StoredDocument | str] = {}
        for url, result in fetch_all(jobs, store, options).items():
            stored = store.find(read_http_state(store, url).get("sha256", "") or "-") if isinstance(result, FetchError) else None
            if isinstance(result, FetchError) and stored is not None:
                out[url] = StoredDocument(url, str(stored), stored.name.split(".")[0], stored.stat().st_size)
            else:
                out[url] = result if isinstance(result, StoredDocument) else \
                    result.message if result is not None else f"{url} was not fetched: the run was stopped"
        return out

    attached = with_annexes(documents, store, fetch)
    refs = [ref for doc in attached for ref in doc.annexes]
    if refs:
        summary.annexes = {"linked": len(refs), "stored": sum(r.raw_path is not None for r in refs),
                           "failed": sum(r.raw_path is None for r in refs)}
    return attached


def iter_parsed(documents: list[StoredDocument], limits: Limits, runner: str, workers: int | None = None,
                batch_size: int | None = None) -> Iterator[list[Outcome]]:
    """Given documents, parse them on the chosen runner; yield each batch's
    outcomes as it finishes."""
    report = REPORTER.get()
    report.start("parse", len(documents))
    if not documents:
        return
    groups = batches(documents, parallelism(runner, workers), batch_size)
    if runner == "process":
        finished = parse_in_processes_task(groups, limits, worker_count(workers))
    else:
        finished = _on_task_runner(groups, limits, runner, workers)
    for outcomes in finished:
        for outcome in outcomes:
            report.advance("parse", Path(outcome.path).name)
        yield outcomes


def _on_task_runner(groups: list[list[StoredDocument]], limits: Limits, runner: str, workers: int | None) -> Iterator[list[Outcome]]:
    with make_task_runner(runner, workers) as task_runner:
        futures = {
            task_runner.submit(parse_batch_task, {"documents": group, "limits": limits, "label": batch_label(group)}): group
            for group in groups
        }
        for future in as_completed(list(futures)):
            result = future.result(raise_on_failure=False)
            yield result if isinstance(result, list) else lost_batch(futures[future], result)


def run_documents(documents: list[StoredDocument], settled: list[Outcome], settings: Settings, *, force: bool,
                  runner: str, workers: int | None, batch_size: int | None, summary: IngestSummary,
                  started: float, title: str, fetch_options: FetchOptions | None = None) -> dict:
    """Given stored documents (and outcomes already settled), plan, then parse
    and load (in waves, while parsing goes on, when parsing runs in other
    processes), and summarise; return the summary dict. Shared by every flow."""
    t0 = time.perf_counter()
    if runner != "process":
        warm_up()  # the fork server imports the parsers while we plan
    with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
        known = loaded_versions(con)
        recorded = recorded_sources(con)
        models_stale = not models_current(con)
    plan = plan_documents(documents, known, force)
    plan.to_parse = attach_annexes(plan.to_parse, RawStore.for_warehouse(settings.warehouse),
                                   fetch_options or FetchOptions(retries=0), summary)
    plan.to_parse, annexes_alone = split_annexes(plan.to_parse)
    settled = settled + plan.settled + annexes_alone
    summary.outcomes.extend(settled)
    summary.seconds["plan"] = time.perf_counter() - t0

    runner = summary.runner = resolve_runner(runner, len(plan.to_parse), workers)
    new_sources = [d for d in documents if (d.sha256, d.label) not in recorded]
    if plan.to_parse or any(o.status == Status.REJECTED for o in settled) or new_sources or models_stale:
        loader = WaveLoader(settings, summary, force=force, expected=len(plan.to_parse),
                            wave=wave_size(len(plan.to_parse), overlapping=runner != "thread"))
        t0 = time.perf_counter()
        for outcomes in iter_parsed(plan.to_parse, settings.limits, runner, workers, batch_size):
            loader.add(outcomes)
        if stopping.requested():  # batches a stopped pool never started: not done either
            loader.add(not_reached(plan.to_parse, loader.pending + summary.outcomes))
        summary.seconds["parse"] = time.perf_counter() - t0
        loader.finish(settled, new_sources)
    else:
        summary.seconds["parse"] = 0.0
    summary.seconds["total"] = time.perf_counter() - started
    result = summary.as_dict()
    _publish(result, title)
    return _final_state(result)


def not_reached(documents: list[StoredDocument], outcomes: list[Outcome]) -> list[Outcome]:
    """Given the documents to parse and the outcomes so far, return an
    `interrupted` outcome for each document that has none."""
    seen = {(o.path, o.sha256) for o in outcomes}
    return [interrupted(d.label, d.sha256) for d in documents if (d.label, d.sha256) not in seen]


def _final_state(result: dict):
    """Given a run summary, return it, or, when documents were rejected, a
    Completed state carrying it whose message says so (what the Prefect UI
    shows for a scheduled run), after logging the same line; a run stopped
    by Ctrl-C ends Cancelled, carrying its summary. Calling the flow returns
    the summary dict (`flows.calls.summary_of` also for a stopped run)."""
    if result.get("interrupted"):
        from prefect.states import Cancelled

        done = result["counts"].get("loaded", 0) + result["counts"].get("replaced", 0)
        left = sum(1 for f in result["files"] if f["reason"] == "interrupted")
        message = (f"stopped by an interrupt: {done} loaded, {left} not done; "
                   "run the same command again to finish")
        get_run_logger().warning(message)
        return Cancelled(message=message, data=result)
    rejected = result["counts"].get("rejected", 0)
    if not rejected:
        return result
    from prefect.states import Completed

    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(result["rejected_by_reason"].items()))
    loaded = result["counts"].get("loaded", 0) + result["counts"].get("replaced", 0)
    message = (f"{rejected} document(s) rejected ({reasons}), {loaded} loaded; "
               "see the run's summary artifact or `tongbao status --rejected`")
    get_run_logger().warning(message)
    return Completed(message=message, data=result)


def _publish(summary: dict, title: str) -> None:
    """Attach the summary to the flow run as a Markdown artifact (visible in
    the Prefect UI); never fail the run over it."""
    try:
        from prefect.artifacts import create_markdown_artifact

        create_markdown_artifact(summary_markdown(summary, title), key=title.replace(" ", "-").lower() + "-summary",
                                 description=f"{title}: outcomes and time per phase")
    except Exception as exc:  # the API may be unreachable; the data is what matters
        get_run_logger().warning("could not attach the run summary artifact: %s", exc)


@flow(name="tongbao-ingest", log_prints=True)
def ingest_flow(paths: list[str], warehouse: str | None = None, force: bool = False, runner: str = "auto",
                sources: str | None = None, cities: list[str] | None = None, workers: int | None = None,
                batch_size: int | None = None, stored: list[tuple[str, str]] | None = None,
                follow_links: bool = False) -> dict:
    """Ingest bulletin files and folders (and, with `sources`, the inboxes and
    URLs a sources file lists; with `stored`, (label, sha256) documents
    already in the raw store, e.g. rejections to retry) into the warehouse;
    return a summary. Links out of a folder given are followed only with
    `follow_links`."""
    runner = validate_runner(runner)
    settings = Settings.from_env(warehouse=warehouse)
    store = RawStore.for_warehouse(settings.warehouse)
    summary = IngestSummary()
    started = time.perf_counter()

    documents: list[StoredDocument] = []
    settled: list[Outcome] = []
    local: list[tuple[str, str | None]] = [(p, None) for p in paths]
    fetch_options = None
    if sources:
        fetch_options = load_sources(sources).options
        with open_warehouse(settings.warehouse, wait_s=settings.lock_wait_s) as con:
            seen = {source for _, source in recorded_sources(con)}
        fetched, rejected, inboxes = fetch_sources(sources, cities, store, seen, summary)
        documents += fetched
        settled += rejected
        local += inboxes
    summary.seconds["fetch"] = time.perf_counter() - started

    t0 = time.perf_counter()
    stored_now, unreadable = store_inputs(local, store, sources, settings.limits, follow_links)
    documents += stored_now
    settled += unreadable
    if stored:
        documents += documents_in_store(stored, store)[0]
    summary.seconds["store"] = time.perf_counter() - t0
    return run_documents(documents, settled, settings, force=force, runner=runner, workers=workers,
                         batch_size=batch_size, summary=summary, started=started, title="tongbao ingest",
                         fetch_options=fetch_options)


__all__ = ["ingest_flow", "iter_parsed", "run_documents"]
