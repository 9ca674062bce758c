"""Parse stored documents into outcomes, serially or on a process pool.

Plain functions: the flows wrap them in Prefect tasks, and tests and
benchmarks call them directly. This is the one place a parser's typed error
becomes a rejection, and it imports nothing of Prefect, so pool workers start
without it. The pool yields each batch's outcomes as
soon as it is done, so the caller can load while the workers go on parsing.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator

from pathlib import Path

from parsers.annexes import Annex
from parsers.bulletin import parse_bulletin
from parsers.errors import ParseError
from parsers.limits import Limits, check_size
from warehouse.rows import PreparedBulletin, prepare

from . import stopping
from .outcomes import Outcome, Status, interrupted
from .rawstore import StoredDocument
from .stopping import stop_politely_on_interrupt

STOP_POLL_S = 0.2  # how soon a stopped run notices, while it waits for the pool


def read_within_limits(path: Path, label: str, limits: Limits) -> bytes:
    """Given a file and the name it goes by, return its bytes; raise TooLarge
    (before reading them) when it is over the size limit."""
    check_size(path.stat().st_size, label, limits)
    return path.read_bytes()


def prepare_document(doc: StoredDocument, limits: Limits = Limits()) -> PreparedBulletin:
    """Given a stored document, return its warehouse rows, named by its
    label (original path or URL) rather than its raw-store path; raises
    ParseError (CorruptStore when the stored bytes no longer match their sha256)."""
    data = read_within_limits(Path(doc.raw_path), doc.label, limits)
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise CorruptStore(
            f"the raw-store copy of {doc.label} ({doc.raw_path}) no longer matches its sha256 {doc.sha256[:12]}…: "
            "the store was damaged or edited. Delete that file and ingest the original again."
        )
    annexes = [_annex(ref, limits) for ref in doc.annexes]
    return prepare(parse_bulletin(data, doc.label, limits, declared_charset=doc.charset, annexes=annexes), doc.label)


def _annex(ref, limits: Limits) -> Annex:
    """Given a page's stored annex, return its bytes for the parser, or why there are none."""
    if ref.raw_path is None:
        return Annex(ref.label, error=ref.error)
    try:
        return Annex(ref.label, read_within_limits(Path(ref.raw_path), ref.label, limits), declared_charset=ref.charset)
    except ParseError as exc:
        return Annex(ref.label, error=exc.message)
    except OSError as exc:
        return Annex(ref.label, error=f"the stored copy {ref.raw_path} could not be read ({exc})")


class CorruptStore(ParseError):
    """A raw-store file whose bytes no longer hash to its name: never parsed
    (it would load as a second, different bulletin)."""

    reason = "corrupt_store"


def prepare_file(path: str | Path, limits: Limits = Limits()) -> PreparedBulletin:
    """Given a bulletin file, return its warehouse rows; raises ParseError."""
    path = Path(path)
    return prepare(parse_bulletin(read_within_limits(path, str(path), limits), str(path), limits), str(path))


def parse_document(doc: StoredDocument, limits: Limits) -> Outcome:
    """Given a stored document, return its outcome: parsed rows or a rejection."""
    try:
        prepared = prepare_document(doc, limits)
    except ParseError as exc:
        return Outcome(doc.label, doc.sha256, Status.REJECTED, reason=exc.reason, message=exc.message)
    except OSError as exc:
        return Outcome(doc.label, doc.sha256, Status.REJECTED, reason="unreadable",
                       message=f"{doc.label} could not be read from the raw store {doc.raw_path} ({exc}).")
    except MemoryError:
        from .guard import memory_rejection

        return memory_rejection(doc, limits)
    except RecursionError:
        return Outcome(doc.label, doc.sha256, Status.REJECTED, reason="too_complex",
                       message=f"{doc.label} is nested too deeply to parse safely.")
    except Exception as exc:  # a parser bug must not stop the other documents
        return Outcome(doc.label, doc.sha256, Status.REJECTED, reason="parser_error",
                       message=f"tongbao failed on {doc.label} ({type(exc).__name__}: {exc}); "
                               "this is a bug in tongbao: please report it with the file.")
    return Outcome(doc.label, doc.sha256, Status.PARSED, prepared=prepared)


def parse_batch(documents: list[StoredDocument], limits: Limits,
                parse: Callable[[StoredDocument, Limits], Outcome] | None = None) -> list[Outcome]:
    """Given a batch of documents, return their outcomes (one task's or pool
    worker's job); by default each document is parsed in a child process
    under hard limits (`ingest.guard`)."""
    if parse is None:
        from .guard import parse_guarded as parse
    return [interrupted(doc.label, doc.sha256) if stopping.requested() else parse(doc, limits) for doc in documents]


def batches(documents: list[StoredDocument], workers: int, batch_size: int | None = None) -> list[list[StoredDocument]]:
    """Given documents, return them in batches: one task per batch keeps the
    per-task cost small on big runs, while about four batches per worker keep
    every worker busy to the end."""
    if not documents:
        return []
    size = batch_size or max(1, min(50, len(documents) // (workers * 4)))
    return [documents[i:i + size] for i in range(0, len(documents), size)]


def batch_label(group: list[StoredDocument]) -> str:
    """Given a batch, return the name its task runs under."""
    first = group[0].label.rsplit("/", 1)[-1]
    return first if len(group) == 1 else f"{len(group)} documents from {first}"


def lost_batch(group: list[StoredDocument], error: object) -> list[Outcome]:
    """Given a batch whose task failed as a whole (a Dask worker killed, say),
    return a rejection for each of its documents; the next run retries them."""
    return [Outcome(doc.label, doc.sha256, Status.REJECTED, reason="worker_crashed",
                    message=f"the worker parsing {doc.label} and {len(group) - 1} other document(s) failed ({error!r}); "
                            "run `tongbao ingest` again with --runner process to find which document it was.")
            for doc in group]


def parse_in_processes(groups: list[list[StoredDocument]], limits: Limits, workers: int,
                       parse: Callable[[StoredDocument, Limits], Outcome] | None = None) -> Iterator[list[Outcome]]:
    """Given batches of documents, parse them on a pool of `workers` processes
    and yield each batch's outcomes as it finishes.

    At most two batches per worker are queued at a time, so finished outcomes
    reach the caller (and are loaded and freed) instead of piling up in the
    parent. If a worker dies (killed for memory, or a crash in a C library),
    the pool restarts for the batches not yet started, and the documents of
    the batches it took down are parsed again one at a time in a pool of one,
    so the one that kills its worker is rejected and no other is lost.
    Closing the generator early cancels what has not started."""
    context = multiprocessing.get_context("spawn")  # never fork a process that runs Prefect's threads
    waiting = iter(groups)
    lost: list[StoredDocument] = []
    while True:
        broken = False
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=stop_politely_on_interrupt)
        running: dict = {}
        try:
            _refill(pool, running, waiting, 2 * workers, limits, parse)
            while running:
                done, _ = wait(running, timeout=STOP_POLL_S, return_when=FIRST_COMPLETED)
                if stopping.requested():
                    yield from _stop_pool(pool, running)
                    return
                for future in done:
                    group = running.pop(future)
                    try:
                        outcomes = future.result()
                    except BrokenProcessPool:
                        broken = True
                        lost.extend(group)
                        continue
                    yield outcomes
                if broken:  # every batch still running went down with the pool
                    wait(running)
                    for future, group in running.items():
                        if future.exception() is None:
                            yield future.result()
                        else:
                            lost.extend(group)
                    break
                _refill(pool, running, waiting, 2 * workers, limits, parse)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken:
            break
    yield from _one_at_a_time(lost, limits, context, parse)


def _stop_pool(pool: ProcessPoolExecutor, running: dict) -> Iterator[list[Outcome]]:
    """The run was stopped: ask each worker to stop its batch (a SIGINT, which
    they take as a polite stop), and yield what the running batches return,
    the documents not done as `interrupted`."""
    for process in list(getattr(pool, "_processes", {}).values()):
        try:
            os.kill(process.pid, signal.SIGINT)
        except (ProcessLookupError, AttributeError):
            pass
    for future, group in running.items():
        try:
            yield future.result()
        except Exception:  # cancelled before it started, or its worker died
            yield [interrupted(doc.label, doc.sha256) for doc in group]


def _refill(pool, running: dict, waiting: Iterator[list[StoredDocument]], size: int, limits: Limits, parse) -> None:
    while len(running) < size:
        group = next(waiting, None)
        if group is None:
            return
        running[pool.submit(parse_batch, group, limits, parse)] = group


def _one_at_a_time(documents: list[StoredDocument], limits: Limits, context, parse) -> Iterator[list[Outcome]]:
    """Given documents whose worker died, parse each alone in a pool of one;
    yield its outcome, or a rejection for the document that kills the worker."""
    pool = None
    try:
        for doc in documents:
            pool = pool or ProcessPoolExecutor(max_workers=1, mp_context=context)
            try:
                yield pool.submit(parse_batch, [doc], limits, parse).result()
            except BrokenProcessPool:
                pool.shutdown(wait=True, cancel_futures=True)
                pool = None
                yield [Outcome(doc.label, doc.sha256, Status.REJECTED, reason="worker_crashed",
                               message=f"the process parsing {doc.label} died (out of memory, or a crash in a "
                                       "PDF/DOCX library); the other documents were parsed. Check the file opens, "
                                       "or report it to tongbao with the file.")]
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
