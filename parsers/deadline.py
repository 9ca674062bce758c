"""A per-document time budget that readers check between pages, tables and rows.

Threads cannot be killed, so parsing cooperates: `parse_bulletin` starts a
deadline and long loops call `check_deadline()`, which raises `ParseTimeout`
naming the cap once the budget is spent.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

from .errors import ParseTimeout

_DEADLINE: ContextVar[tuple[float, float, str] | None] = ContextVar("tongbao_parse_deadline", default=None)


@contextmanager
def deadline(seconds: float, source: str) -> Iterator[None]:
    token = _DEADLINE.set((time.monotonic() + seconds, seconds, source))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def extend_deadline(seconds: float) -> None:
    """Give the current document `seconds` more: time spent in a stage with a
    cap of its own (OCR, under ocr_timeout_s) does not count against parse_timeout_s."""
    current = _DEADLINE.get()
    if current is not None:
        _DEADLINE.set((current[0] + seconds, current[1], current[2]))


_STAGE_LISTENERS: list[Callable[[float], None]] = []


def listen_for_stages(listener: Callable[[float], None]) -> None:
    """Register `listener(seconds)`, told when a stage with a cap of its own
    starts (the process that may kill this one extends its deadline by it)."""
    _STAGE_LISTENERS.append(listener)


def announce_stage(seconds: float) -> None:
    """Say that a stage capped at `seconds` of its own (OCR) starts now."""
    for listener in list(_STAGE_LISTENERS):
        listener(seconds)


def check_deadline() -> None:
    """Raise ParseTimeout if the current document's parse budget is spent."""
    current = _DEADLINE.get()
    if current is not None and time.monotonic() > current[0]:
        raise ParseTimeout(
            f"{current[2]} took longer than the parse_timeout_s limit of {current[1]:g}s; "
            "raise TONGBAO_PARSE_TIMEOUT_S if the document is genuine."
        )
