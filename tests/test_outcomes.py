"""One registry of outcomes: every reason is registered, advised and in the README."""

from __future__ import annotations

import re

import pytest

import parsers.errors
from ingest.outcomes import REASONS, Outcome, Status
from ingest.sources import FetchError
from tests.support import ROOT


def _readme_reasons() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("#### Reasons", 1)[1].split("\n### ", 1)[0]
    return dict(re.findall(r"^\| `([a-z_]+)` \| (\w+) \|", section, re.M))


def test_the_readme_lists_every_reason_with_its_status():
    assert _readme_reasons() == {code: str(reason.status) for code, reason in REASONS.items()}


def test_every_reason_says_what_to_do():
    assert all(len(reason.advice) > 10 for reason in REASONS.values())
    assert {reason.status for reason in REASONS.values()} == {Status.SKIPPED, Status.REJECTED}


def test_every_parser_error_reason_is_registered():
    errors = [cls for cls in vars(parsers.errors).values() if isinstance(cls, type) and issubclass(cls, parsers.errors.ParseError)]
    assert len(errors) >= 10
    assert {cls.reason for cls in errors} - set(REASONS) == set()


def test_an_unregistered_reason_is_refused():
    with pytest.raises(ValueError, match="unregistered outcome reason 'made_up'"):
        Outcome("a.txt", None, "rejected", reason="made_up")
    with pytest.raises(ValueError):
        Outcome("a.txt", None, "vanished")
    assert Outcome("a.txt", None, "rejected", reason="corrupt").status is Status.REJECTED


def test_fetch_errors_use_registered_reasons():
    source = (ROOT / "ingest" / "sources.py").read_text(encoding="utf-8")
    used = set(re.findall(r'FetchError\(url, "([a-z_]+)"', source))
    assert used == {"download_timeout", "download_failed", "http_error", "too_large", "redirect_refused"}
    assert used <= set(REASONS)
    assert FetchError("u", "http_error", "m").reason in REASONS
