"""The facts the prose reader returns: sentences, statistics, findings, per-unit counts."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Origin
from .periods import Period


@dataclass
class Sentence:
    text: str  # NFKC, whitespace between Chinese removed: what the warehouse stores
    key: str  # whitespace removed entirely: what patterns see
    origin: Origin


@dataclass
class StatisticFact:
    statistic: str
    value: float
    period: Period | None
    sentence: str
    label: str | None
    origin: Origin


@dataclass
class FindingFact:
    finding: str
    unit_raw: str | None  # None: the sentence counts units it does not name, or names an account only
    period: Period | None
    sentence: str
    evidence: str  # prose_list or table_zero
    stated_count: int | None
    origin: Origin
    label: str | None = None
    polarity: str | None = None
    subject_kind: str = "unit"  # unit, website or account
    subject_name: str | None = None  # the website or account as printed
    platform: str | None = None  # 微信, 微博, 抖音, 头条, APP, 网站 …


@dataclass
class UnitCountFact:
    """A figure a sentence states for one unit (`县教育局12条`)."""

    unit_raw: str
    metric: str  # a metric code, or unmapped (header_raw says what was printed)
    value: float
    header_raw: str
    value_raw: str
    period: Period | None
    sentence: str
    origin: Origin
