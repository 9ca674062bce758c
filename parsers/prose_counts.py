"""Read per-unit figures stated in a sentence (`县教育局12条、县公安局8条`).

A run of at least two `unit + number + counting word` items, separated by
、 , or ;, is a small table written as prose. The metric is what the words
before the run say is counted (data/prose_count_metrics.csv: 报送 →
submitted, 采用 → adopted, …); with no such words it is `unmapped` and
`header_raw` keeps the lead-in as printed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from .periods import Period
from .prose_facts import Sentence, UnitCountFact
from .prose_findings import _strip_filler, unit_shaped
from .vocab import read_data_csv

_ITEM = re.compile(
    r"(?P<unit>[^、,;:。()0-9]{2,30}?)(?P<n>\d+(?:\.\d+)?)(?P<c>条|篇|件|封|次|个|家|分)(?:\(\d+(?:\.\d+)?%\))?(?=[、,;。]|$)"
)
_MIN_ITEMS = 2


@lru_cache(maxsize=None)
def count_metrics() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r["lead"]), r["metric"].strip()) for r in read_data_csv("parsers", "prose_count_metrics.csv"))


def unit_count_runs(key: str) -> list[list[re.Match]]:
    """Given a sentence key, return its runs of per-unit figures (two items or more)."""
    runs: list[list[re.Match]] = []
    for match in _ITEM.finditer(key):
        unit = _strip_filler(match.group("unit"))
        if not unit_shaped(unit):
            continue
        if runs and key[runs[-1][-1].end() : match.start()] in ("、", ",", ";", ""):
            runs[-1].append(match)
        else:
            runs.append([match])
    return [run for run in runs if len(run) >= _MIN_ITEMS]


def read_unit_counts(sentences: list[Sentence], period_of: Callable[[Sentence], Period | None]) -> list[UnitCountFact]:
    """Given a document's sentences, return the figures they state unit by unit."""
    facts: list[UnitCountFact] = []
    for sentence in sentences:
        key = sentence.key
        for run in unit_count_runs(key):
            lead = key[: run[0].start()]
            metric, header = _metric(lead)
            for match in run:
                facts.append(
                    UnitCountFact(
                        unit_raw=_strip_filler(match.group("unit")),
                        metric=metric,
                        value=float(match.group("n")),
                        header_raw=header,
                        value_raw=match.group("n") + match.group("c"),
                        period=period_of(sentence),
                        sentence=sentence.text,
                        origin=sentence.origin,
                    )
                )
    return facts


def _metric(lead: str) -> tuple[str, str]:
    clause = re.split(r"[。;]", lead)[-1]
    for pattern, metric in count_metrics():
        found = list(pattern.finditer(clause))
        if found:
            return metric, found[-1].group(0)
    return "unmapped", (re.split(r"[,:]", clause.rstrip(",:"))[-1] or clause)[-24:]
