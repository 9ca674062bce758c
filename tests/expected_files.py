"""Read the hand-written expected tables in tests/expected/."""

from __future__ import annotations

import csv
from pathlib import Path

EXPECTED = Path(__file__).resolve().parent / "expected"


def read_expected(name: str) -> list[dict[str, str]]:
    lines = [l for l in (EXPECTED / name).read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    return list(csv.DictReader(lines))


def number(text: str) -> float | None:
    """The expected files print figures as the bulletin does (`100.00%`)."""
    if text == "":
        return None
    if text.endswith("%"):
        return float(text[:-1]) / 100
    return float(text)
