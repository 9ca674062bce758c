"""Typed errors the parsers raise; only flows and the CLI turn them into rejections.

Each error carries a short ``reason`` code (the contract's `rejections.reason`)
and a message a person can act on.
"""

from __future__ import annotations


class ParseError(Exception):
    """A document that cannot be turned into facts, and why."""

    reason = "unreadable"

    def __init__(self, message: str, *, reason: str | None = None):
        super().__init__(message)
        if reason is not None:
            self.reason = reason

    @property
    def message(self) -> str:
        return str(self.args[0])


class EmptyDocument(ParseError):
    reason = "empty"


class UnknownFormat(ParseError):
    reason = "unknown_format"


class UndecodableText(ParseError):
    reason = "undecodable_text"


class TooLarge(ParseError):
    reason = "too_large"


class Corrupt(ParseError):
    reason = "corrupt"


class Encrypted(ParseError):
    reason = "encrypted"


class NoTextLayer(ParseError):
    reason = "no_text_layer"


class NoFacts(ParseError):
    """States no figure and names no unit: a notice, or text that is no bulletin."""

    reason = "no_facts"


class ConversionUnavailable(ParseError):
    reason = "converter_missing"


class ParseTimeout(ParseError):
    reason = "timeout"
