"""Which documents are copies of one bulletin: its identity key.

An office publishes one bulletin as a PDF, a DOCX, a web page and a text
copy; each format is its own file (its own sha256) but the same bulletin.
Two documents are one bulletin when they name the same city and document
number, or, with no number printed, the same city, period and title once the
title's wrapping (issuer, 关于, 的通报, 排名表, the period wording; see
``parsers/data/title_affixes.csv``) is removed. A document naming no city,
or neither a number nor a title, has no identity and is its own bulletin.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .textnorm import clean_name
from .vocab import read_data_csv

_PUNCT = re.compile(r"[\s()（）\[\]【】〔〕《》<>“”\"'、,，.。:：;；·\-—_]+")


@lru_cache(maxsize=None)
def _affixes() -> tuple[tuple[str, ...], tuple[str, ...], re.Pattern]:
    rows = read_data_csv("parsers", "title_affixes.csv")
    prefixes = tuple(r["value"] for r in rows if r["kind"] == "prefix_through")
    suffixes = tuple(sorted((r["value"] for r in rows if r["kind"] == "suffix"), key=len, reverse=True))
    periods = re.compile("|".join(f"(?:{r['value']})" for r in rows if r["kind"] == "period"))
    return prefixes, suffixes, periods


def title_subject(title: str | None) -> str | None:
    """Given a bulletin title, return its subject: the words left when the
    issuer, 关于, the period and endings like 的通报/排名表 are removed."""
    if not title:
        return None
    text = clean_name(title)
    prefixes, suffixes, periods = _affixes()
    for prefix in prefixes:
        if prefix in text:
            text = text.split(prefix, 1)[1]
    text = periods.sub("", text)
    text = _PUNCT.sub("", text)
    changed = True
    while changed:
        changed = False
        for suffix in suffixes:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
                break
    return text or None


def identity_key(city: str | None, doc_number: str | None, title: str | None,
                 period_year: int | None, period_quarter: int | None) -> str | None:
    """Given a bulletin's metadata, return the key its copies share, or None."""
    if not city:
        return None
    if doc_number:
        return f"{clean_name(city)}|no:{clean_name(doc_number)}"
    subject = title_subject(title)
    if not subject or period_year is None:
        return None
    return f"{clean_name(city)}|{period_year}Q{period_quarter or 0}|{subject}"
