"""Inflate PDF flate streams with a byte budget.

pdfminer inflates each FlateDecode stream whole (`zlib.decompress`), so a
1 MB file can expand to gigabytes before any page limit is looked at. While
`inflation_budget()` is active, pdfminer's `zlib` is a stand-in whose
`decompress` stops at `max_inflated_bytes` per stream and raises TooLarge
naming the limit. The stand-in is installed once, into pdfminer's module only.
"""

from __future__ import annotations

import zlib
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from ..errors import TooLarge

_BUDGET: ContextVar[tuple[int, str] | None] = ContextVar("tongbao_inflation_budget", default=None)


class _BoundedZlib:
    """zlib, except that `decompress` honours the current budget."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)
    MAX_WBITS = zlib.MAX_WBITS

    def __getattr__(self, name):
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        budget = _BUDGET.get()
        if budget is None or args:
            return zlib.decompress(data, *args)
        limit, source = budget
        inflater = zlib.decompressobj()
        out = inflater.decompress(data, limit + 1)
        if len(out) > limit:
            raise TooLarge(f"{source} holds a compressed stream that inflates to more than the max_inflated_bytes "
                           f"limit of {limit:,} bytes (a decompression bomb, or raise TONGBAO_MAX_INFLATED_BYTES).")
        if not inflater.eof and not inflater.unconsumed_tail and not out:
            return zlib.decompress(data)  # let zlib raise its own error for a damaged stream
        return out + inflater.flush()


def _install() -> None:
    import pdfminer.pdftypes as pdftypes

    if not isinstance(pdftypes.zlib, _BoundedZlib):
        pdftypes.zlib = _BoundedZlib()


@contextmanager
def inflation_budget(max_bytes: int, source: str) -> Iterator[None]:
    """While active, every flate stream pdfminer inflates is capped at `max_bytes`."""
    _install()
    token = _BUDGET.set((max_bytes, source))
    try:
        yield
    finally:
        _BUDGET.reset(token)
