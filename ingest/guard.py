"""Parse each document where it can be stopped: a child process with a
wall-clock deadline and a memory cap.

The readers check `parse_timeout_s` between pages, lines and tables, but one
step (a content stream of nested operators, a quadratic regex) can run for
hours, and a flate bomb can take gigabytes, and threads cannot be killed. So
every runner parses a document in a child process: the child caps its own
address space (`RLIMIT_AS`: its size at the start plus `max_parse_memory_bytes`),
and the parent waits at most `parse_timeout_s` (plus a short grace for the
child's own, politer, timeout) before killing it. A killed or dying child
becomes a rejection naming the limit (`timeout`, `too_large`) or
`worker_crashed`; the run goes on.

Children are forked: directly when this process has one thread (a pool
worker), else from a fork server started once per run with the parsers
already imported (forking a process that runs Prefect's threads could
deadlock the child; spawning a fresh interpreter per document would import
everything again).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from typing import Callable

from parsers.limits import Limits

from . import stopping
from .outcomes import Outcome, Status, interrupted
from .rawstore import StoredDocument
from .stopping import ignore_interrupts

STOP_POLL_S = 0.2  # how soon a stopped run kills the child parsing

# `__main__` too: otherwise every child re-runs the main script (the CLI) on start.
PRELOAD = ["__main__", "ingest.parsing"]
GRACE_S = 2.0  # lets the child's cooperative deadline name the step it was in


def _context():
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def warm_up(always: bool = False) -> None:
    """Start the fork server now (it imports the parsers in the background),
    so the first document does not wait for it: `always` before Prefect
    starts its threads (the CLI does, so the import overlaps Prefect's start-up)."""
    if always or threading.active_count() > 1:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _virtual_size() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _cap_memory(extra: int) -> None:
    """Cap this process's address space at its current size plus `extra` bytes."""
    try:
        import resource

        cap = _virtual_size() + extra
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, OSError, ValueError):  # pragma: no cover - not Linux
        pass


def _child(conn, parse, doc: StoredDocument, limits: Limits) -> None:
    from parsers.deadline import listen_for_stages

    ignore_interrupts()  # Ctrl-C is the run's to handle: it kills this child if it stops
    _cap_memory(limits.max_parse_memory_bytes)
    listen_for_stages(lambda seconds: conn.send(("extend", seconds)))
    try:
        outcome = parse(doc, limits)
    except MemoryError:
        outcome = memory_rejection(doc, limits)
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(memory_rejection(doc, limits))
    conn.close()


def memory_rejection(doc: StoredDocument, limits: Limits) -> Outcome:
    return Outcome(doc.label, doc.sha256, Status.REJECTED, reason="too_large",
                   message=f"{doc.label} needed more than the max_parse_memory_bytes limit of "
                           f"{limits.max_parse_memory_bytes:,} bytes to parse; raise "
                           "TONGBAO_MAX_PARSE_MEMORY_BYTES if the document is genuine.")


def _may_need(doc: StoredDocument) -> set[str]:
    """Given a stored document, return the caps besides parse_timeout_s its
    reader may spend time under: LibreOffice for legacy Word (OCR announces
    itself when it starts, through `parsers.deadline.announce_stage`)."""
    try:
        with open(doc.raw_path, "rb") as handle:
            head = handle.read(1024)
    except OSError:
        return set()
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return {"conversion_timeout_s"}
    return set()


def wall_deadline_s(doc: StoredDocument, limits: Limits) -> float:
    """Given a document, return how long its child may run before it is
    killed: parse_timeout_s, plus the conversion time its format may add,
    plus a short grace so the child's own timeout can name its step (OCR
    time is added when the child says OCR starts)."""
    return limits.parse_timeout_s + sum(getattr(limits, cap) for cap in _may_need(doc)) + GRACE_S


def timeout_rejection(doc: StoredDocument, limits: Limits, extra: float = 0.0) -> Outcome:
    caps = " + ".join(["parse_timeout_s"] + sorted(_may_need(doc)) + (["ocr_timeout_s"] if extra else []))
    return Outcome(doc.label, doc.sha256, Status.REJECTED, reason="timeout",
                   message=f"{doc.label} ran longer than {caps} ({wall_deadline_s(doc, limits) + extra - GRACE_S:g}s) and its "
                           "parse was stopped; raise TONGBAO_PARSE_TIMEOUT_S if the document is genuine.")


def crash_rejection(doc: StoredDocument, exitcode: int | None) -> Outcome:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    return Outcome(doc.label, doc.sha256, Status.REJECTED, reason="worker_crashed",
                   message=f"the process parsing {doc.label} died ({how}: out of memory, or a crash in a "
                           "PDF/DOCX library); the other documents were parsed. Check the file opens, "
                           "or report it to tongbao with the file.")


def _start(child) -> None:
    """Start `child`, even from a daemonic process (a Dask worker): multiprocessing
    refuses that only so the daemon's children are not orphaned, and ours are
    joined or killed before `parse_guarded` returns."""
    me = multiprocessing.current_process()
    daemon = me._config.get("daemon")
    me._config["daemon"] = False
    try:
        child.start()
    finally:
        if daemon:
            me._config["daemon"] = daemon


def parse_guarded(doc: StoredDocument, limits: Limits, parse: Callable[[StoredDocument, Limits], Outcome] | None = None) -> Outcome:
    """Given a stored document, parse it in a child process under the
    deadline and memory cap of `limits`; return its outcome, or the rejection
    for the limit that stopped it."""
    if parse is None:
        from .parsing import parse_document as parse
    context = _context()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, parse, doc, limits), daemon=True,
                            name=f"tongbao-parse-{os.getpid()}")
    _start(child)
    send.close()
    try:
        deadline = time.monotonic() + wall_deadline_s(doc, limits)
        extra = 0.0
        while True:
            if stopping.requested():
                child.kill()
                return interrupted(doc.label, doc.sha256)
            left = deadline - time.monotonic()
            if not receive.poll(max(0.0, min(left, STOP_POLL_S))):
                if left > STOP_POLL_S:
                    continue
                break
            try:
                message = receive.recv()
            except (EOFError, OSError):
                child.join()
                return crash_rejection(doc, child.exitcode)
            if isinstance(message, tuple) and message[0] == "extend":  # OCR started: its own cap
                deadline += message[1]
                extra += message[1]
                continue
            return message
        child.kill()
        return timeout_rejection(doc, limits, extra)
    finally:
        receive.close()
        child.join(5)
        if child.is_alive():  # pragma: no cover
            child.kill()
            child.join()
