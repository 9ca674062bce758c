"""A hook the CLI sets so a long ingest can show progress without Prefect knowing."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Protocol


class Reporter(Protocol):
    def start(self, phase: str, total: int) -> None: ...
    def advance(self, phase: str, label: str) -> None: ...


class _Silent:
    def start(self, phase: str, total: int) -> None:
        pass

    def advance(self, phase: str, label: str) -> None:
        pass


REPORTER: ContextVar[Reporter] = ContextVar("tongbao_progress", default=_Silent())
