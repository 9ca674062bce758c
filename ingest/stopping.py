"""A polite stop for a run (Ctrl-C, or SIGINT from a scheduler).

The first interrupt asks the run to stop: every part of it checks
`requested()` between documents, the loader finishes the bulletin it is
writing (each bulletin is its own transaction) and writes no more, and the
parse children are killed. A document that was not finished is not
rejected, only not done, so running the same command again completes the
set. A second interrupt raises KeyboardInterrupt at once (the bulletin
being written is rolled back with its transaction).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

_STOP = threading.Event()


def request() -> None:
    _STOP.set()


def requested() -> bool:
    return _STOP.is_set()


def reset() -> None:
    _STOP.clear()


def _on_sigint(notice: Callable[[], None] | None, escalate: bool = True):
    def handler(signum, frame) -> None:
        if _STOP.is_set():
            if escalate:
                raise KeyboardInterrupt
            return
        _STOP.set()
        if notice:
            notice()

    return handler


@contextmanager
def stop_on_interrupt(notice: Callable[[], None] | None = None) -> Iterator[None]:
    """Within, the first SIGINT requests a stop (and calls `notice`), a second
    raises KeyboardInterrupt; outside, SIGINT is handled as before. Only the
    main thread can set signal handlers: elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _on_sigint(notice))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        reset()


def ignore_interrupts() -> None:
    """For a parse child: leave Ctrl-C to the run, which kills the child if it stops."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def stop_politely_on_interrupt() -> None:
    """For a pool worker (its own process): a SIGINT (the terminal's, or the
    run's own when it stops) requests a stop of this worker's batch, so it
    returns what it has finished; it never raises, however many arrive."""
    signal.signal(signal.SIGINT, _on_sigint(None, escalate=False))
