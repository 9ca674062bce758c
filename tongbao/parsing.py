"""Parse stored documents into outcomes, serially or on a process pool.

Plain functions the flows wrap in Prefect tasks (and tests and benchmarks
call directly). This is the one place where a parser's typed error becomes a
rejection. The pool yields each batch's outcomes as soon as it is done, so
the caller can load while the workers go on parsing.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Iterator

from parsers.errors import ParseError
from parsers.limits import Limits

from .ingest import Outcome
from .rawstore import Document, prepare_document


def parse_document(doc: Document, limits: Limits) -> Outcome:
    """Given a stored document, return its outcome: parsed rows or a rejection."""
    try:
        prepared = prepare_document(doc, limits)
    except ParseError as exc:
        return Outcome(doc.label, doc.sha256, "rejected", reason=exc.reason, message=exc.message)
    except OSError as exc:
        return Outcome(doc.label, doc.sha256, "rejected", reason="unreadable",
                       message=f"{doc.label} could not be read from the raw store {doc.raw_path} ({exc}).")
    except RecursionError:
        return Outcome(doc.label, doc.sha256, "rejected", reason="too_complex",
                       message=f"{doc.label} is nested too deeply to parse safely.")
    except Exception as exc:  # a parser bug must not stop the other documents
        return Outcome(doc.label, doc.sha256, "rejected", reason="parser_error",
                       message=f"tongbao failed on {doc.label} ({type(exc).__name__}: {exc}); "
                               "this is a bug in tongbao: please report it with the file.")
    return Outcome(doc.label, doc.sha256, "parsed", prepared=prepared)


def parse_batch(documents: list[Document], limits: Limits) -> list[Outcome]:
    """Given a batch of documents, return their outcomes (one task's or pool worker's job)."""
    return [parse_document(doc, limits) for doc in documents]


def batches(documents: list[Document], workers: int, batch_size: int | None = None) -> list[list[Document]]:
    """Given documents, return them in batches: one task per batch keeps the
    per-task cost small on big runs, while about four batches per worker keep
    every worker busy to the end."""
    if not documents:
        return []
    size = batch_size or max(1, min(50, len(documents) // (workers * 4)))
    return [documents[i:i + size] for i in range(0, len(documents), size)]


def parse_in_processes(groups: list[list[Document]], limits: Limits, workers: int) -> Iterator[list[Outcome]]:
    """Given batches of documents, parse them on a pool of `workers` processes
    and yield each batch's outcomes as it finishes.

    At most two batches per worker are queued at a time, so finished outcomes
    reach the caller (and are loaded and freed) instead of piling up in the
    parent. Closing the generator early cancels what has not started."""
    context = multiprocessing.get_context("spawn")  # never fork a process that runs Prefect's threads
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    waiting = iter(groups)
    running: set = set()
    try:
        for group in waiting:
            running.add(pool.submit(parse_batch, group, limits))
            if len(running) >= 2 * workers:
                break
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for group in waiting:  # refill before handing results over
                running.add(pool.submit(parse_batch, group, limits))
                if len(running) >= 2 * workers:
                    break
            for future in done:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
