"""Vocabularies that grow with every new city, loaded from `parsers/data/`.

Adding a phrasing is a line in a CSV file, never a code change.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

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
)
COLUMN_ROLES = METRIC_CODES + ("unit", "group", "ignore")


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
    """Given a printed header cell, return its column role, or None if unknown."""
    return header_roles().get(clean_name(cell))


def row_label_kind(cell: str) -> str | None:
    """Given a unit-column cell, return `total` or `note` when it is one."""
    name = clean_name(cell)
    for label, kind in row_labels():
        if name.startswith(label):
            return kind
    return None
