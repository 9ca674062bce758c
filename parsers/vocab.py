"""Vocabularies that grow with every new city, loaded from `parsers/data/`.

Adding a phrasing is a line in a CSV file, never a code change.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .script import to_simplified
from .textnorm import clean_name

METRIC_CODES = (
    "rank",
    "submitted",
    "adopted",
    "score",
    "updates",
    "messages_received",
    "messages_replied",
    "reply_rate",
    # grown from real bulletins (issue 14); the README's data dictionary lists them
    "messages_in_progress",
    "messages_overdue",
    "messages_completed",
    "adoption_rate",
    "submission_score",
    "adoption_score",
    "sites_running",
    "sites_checked",
    "sites_failed",
    "pass_rate",
    "fail_rate",
)
UNMAPPED = "unmapped"  # a numeric column whose header has no code yet
COLUMN_ROLES = METRIC_CODES + ("unit", "group", "ignore")
SCOPES = ("period", "year_to_date", "cumulative")
MAX_HEADER_CHARS = 40  # a longer "header" is prose or garbage, never a column name
# A printed unit after a header (`报送信息数(条)`, `收到来信(件)`) says nothing about the figure's meaning.
_NEGATION = "不未非无"
_PRINTED_UNIT = re.compile(r"\((?:条|件|个|篇|次|分|家|人|项|%|‰|条次|件次)\)$")


def read_data_csv(package: str, name: str) -> list[dict[str, str]]:
    """Given a package and a CSV file in its `data/` folder, return its rows
    (lines starting with `#` are comments)."""
    text = resources.files(package).joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=None)
def header_roles() -> dict[str, str]:
    roles = {}
    for row in read_data_csv("parsers", "header_synonyms.csv"):
        role = row["role"].strip()
        if role not in COLUMN_ROLES:
            raise ValueError(f"header_synonyms.csv: unknown role {role!r} for {row['header']!r}")
        roles[clean_name(row["header"])] = role
    return roles


@lru_cache(maxsize=None)
def row_labels() -> tuple[tuple[str, str], ...]:
    return tuple((clean_name(r["label"]), r["kind"].strip()) for r in read_data_csv("parsers", "row_labels.csv"))


def header_role(cell: str) -> str | None:
    """Given a printed header cell, return its column role, or None if unknown
    (a printed unit such as `(条)` after it is ignored)."""
    name = clean_name(to_simplified(cell))
    return header_roles().get(name) or header_roles().get(_PRINTED_UNIT.sub("", name))


def row_label_kind(cell: str) -> str | None:
    """Given a unit-column cell, return `total` or `note` when it is one."""
    name = clean_name(cell)
    for label, kind in row_labels():
        if name.startswith(label):
            return kind
    return None


@dataclass(frozen=True)
class HeaderMeaning:
    """What a column header says: its role (a metric code, `unit`, `group`,
    `ignore`, or None when unknown) and, for a figure, its scope and outlet."""

    role: str | None
    scope: str | None = None
    outlet: str | None = None

    @property
    def is_metric(self) -> bool:
        return self.role in METRIC_CODES


UNKNOWN = HeaderMeaning(None)


@lru_cache(maxsize=None)
def header_qualifiers() -> tuple[tuple[str, re.Pattern, str], ...]:
    """Return the (kind, whole-part pattern, value) lines of header_qualifiers.csv."""
    rows = []
    for row in read_data_csv("parsers", "header_qualifiers.csv"):
        kind = row["kind"].strip()
        if kind not in ("scope", "outlet", "filler"):
            raise ValueError(f"header_qualifiers.csv: unknown kind {kind!r}")
        value = (row.get("value") or "").strip()
        if kind == "scope" and value not in SCOPES:
            raise ValueError(f"header_qualifiers.csv: unknown scope {value!r}")
        rows.append((kind, re.compile(row["pattern"].strip()), value))
    return tuple(rows)


def interpret_header(label: str, overrides: dict[str, HeaderMeaning] | None = None) -> HeaderMeaning:
    """Given a column's printed header (its joined header path) and the
    analyst's overrides (cleaned header -> meaning), return what it means.

    An override wins; then the header as a synonym; then a synonym with
    qualifier words around it (`全年累计报送条数` = submitted, year to date;
    `省政府办采用` = adopted, outlet 省政府办); then, as always, the longest
    known tail of the header (`政务信息报送` = submitted)."""
    key = clean_name(label)
    if overrides and key in overrides:
        return overrides[key]
    # A header printed in traditional script (`報送數`) means what its simplified form means.
    return _interpret(clean_name(to_simplified(key)))


@lru_cache(maxsize=4096)
def _interpret(key: str) -> HeaderMeaning:
    roles = header_roles()
    for text in dict.fromkeys((key, _PRINTED_UNIT.sub("", key))):
        role = roles.get(text)
        if role:
            return HeaderMeaning(role, "period" if role in METRIC_CODES else None)
    text = _PRINTED_UNIT.sub("", key)
    if not text or len(text) > MAX_HEADER_CHARS:
        return UNKNOWN
    qualified = _qualified(text, roles)
    if qualified:
        return qualified
    for cut in range(1, len(text)):
        role = roles.get(text[cut:])
        if role and text[cut - 1] in _NEGATION:
            return UNKNOWN  # 不合格率 is not a 合格率
        if role:
            return HeaderMeaning(role, "period" if role in METRIC_CODES else None)
    scope, _ = _take_scope(text)
    return HeaderMeaning(None, scope)  # unknown; a scope word (累计) still says what kind of figure it is


def _qualified(text: str, roles: dict[str, str]) -> HeaderMeaning | None:
    """A known metric header inside qualifier words: scope words anywhere,
    outlet and filler words before or after it, nothing else."""
    scope, core_text = _take_scope(text)
    spans = sorted(((i, j) for i in range(len(core_text)) for j in range(i + 1, len(core_text) + 1)),
                   key=lambda ij: (ij[0] - ij[1], ij[0]))
    for i, j in spans:
        role = roles.get(core_text[i:j])
        if role not in METRIC_CODES:
            continue
        outlets = []
        if all(_qualifier_tokens(part, outlets) for part in (core_text[:i], core_text[j:])):
            if scope is None and not outlets and (i, j) == (0, len(core_text)):
                return None
            return HeaderMeaning(role, scope or "period", "/".join(outlets) or None)
    return None


def header_core(label: str) -> str:
    """Given a printed header, return it without a printed unit, scope words
    and filler words: the part a fuzzy match should compare (`政务信息采用情况累计得分` → `得分`)."""
    text = _PRINTED_UNIT.sub("", clean_name(label))
    _, text = _take_scope(text)
    for kind, pattern, _ in header_qualifiers():
        if kind == "filler":
            for word in sorted(pattern.pattern.split("|"), key=len, reverse=True):
                if word and len(word) < len(text):
                    text = text.replace(word, "", 1) if text.startswith(word) else text
    return text or clean_name(label)


def _take_scope(text: str) -> tuple[str | None, str]:
    for kind, pattern, value in header_qualifiers():
        if kind != "scope":
            continue
        for alternative in sorted(pattern.pattern.split("|"), key=len, reverse=True):
            if alternative and alternative in text and re.fullmatch(pattern, alternative):
                return value, text.replace(alternative, "", 1)
    return None, text


def _qualifier_tokens(part: str, outlets: list[str]) -> bool:
    """Given a leftover part of a header, consume it as outlet and filler words
    (longest first), appending outlets; return False if anything is left."""
    while part:
        for end in range(len(part), 0, -1):
            piece = part[:end]
            kind = next((k for k, pattern, _ in header_qualifiers() if k != "scope" and pattern.fullmatch(piece)), None)
            if kind:
                if kind == "outlet":
                    outlets.append(piece)
                part = part[end:]
                break
        else:
            return False
    return True


OVERRIDE_COLUMNS = ("header_raw", "metric", "scope", "outlet")


class VocabularyFileError(ValueError):
    """A line of the analyst's vocabulary file cannot be used; the message names it."""


def read_overrides(text: str, where: str) -> dict[str, HeaderMeaning]:
    """Given the text of an analyst's vocabulary file (`header_raw,metric,scope,outlet`;
    scope and outlet optional; `#` comments) and its name, return cleaned
    header -> meaning; raise VocabularyFileError naming a bad line."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return {}
    reader = csv.DictReader([line for _, line in lines])
    missing = [c for c in ("header_raw", "metric") if c not in (reader.fieldnames or [])]
    if missing:
        raise VocabularyFileError(f"{where}: the header must be {','.join(OVERRIDE_COLUMNS)} (missing {', '.join(missing)})")
    out: dict[str, HeaderMeaning] = {}
    for (number, _), row in zip(lines[1:], reader):
        header = clean_name(row.get("header_raw") or "")
        metric = (row.get("metric") or "").strip()
        scope = (row.get("scope") or "").strip() or None
        outlet = clean_name(row.get("outlet") or "") or None
        if not header:
            raise VocabularyFileError(f"{where}:{number}: header_raw is empty")
        if metric not in METRIC_CODES + ("ignore", UNMAPPED):
            raise VocabularyFileError(f"{where}:{number}: metric {metric!r} is not a code; use one of "
                                      f"{', '.join(METRIC_CODES)}, or ignore (not a figure) or unmapped")
        if scope is not None and scope not in SCOPES:
            raise VocabularyFileError(f"{where}:{number}: scope {scope!r} is not one of {', '.join(SCOPES)}")
        if metric in ("ignore", UNMAPPED):
            out[header] = HeaderMeaning("ignore" if metric == "ignore" else None)
        else:
            out[header] = HeaderMeaning(metric, scope or "period", outlet)
    return out


_PATTERN_SYNTAX = re.compile(r"\{[A-Z]+\}|\(\?:|\\[a-zA-Z]|[()?*+\[\]^$|.{}\\]")


def statistic_phrases() -> list[tuple[str, str]]:
    """Return (phrase, statistic code) for every statistic pattern of
    prose_patterns.csv, its regular-expression syntax removed: the texts a
    new label is compared with when a code is suggested."""
    out = []
    for row in read_data_csv("parsers", "prose_patterns.csv"):
        if row.get("kind", "").strip() == "statistic":
            phrase = _PATTERN_SYNTAX.sub("", row.get("label") or row["pattern"])
            if phrase:
                out.append((phrase, row["code"].strip()))
    return out
