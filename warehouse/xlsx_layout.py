"""How an exported model looks in Excel: labels, number formats, widths.

An analyst opening an export should read 回复率 98.50%, not `reply_rate`
0.985: metric codes get their Chinese labels and rates are shown as
percentages (the stored value stays the fraction, so formulas still work),
from `data/metric_labels.csv`. Columns are sized to their contents, counting
a Chinese character as two.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from parsers.vocab import read_data_csv

PERCENT = "0.00%"
# Columns that hold metric or statistic codes, shown by their Chinese label.
CODE_COLUMNS = ("metric", "statistic")
# A column named after a rate and one of these endings is itself a fraction.
RATE_ENDINGS = ("", "_median", "_iqr", "_qoq", "_yoy", "_percentile")
# Any *_percentile column is a percent_rank: a fraction from 0 to 1.
FRACTION_ENDINGS = ("_percentile",)
MIN_WIDTH, MAX_WIDTH = 6, 60


@dataclass(frozen=True)
class MetricLabel:
    code: str
    label_zh: str
    percent: bool


@lru_cache(maxsize=None)
def metric_labels() -> dict[str, MetricLabel]:
    """Return code -> label and format, from warehouse/data/metric_labels.csv."""
    return {
        r["code"].strip(): MetricLabel(r["code"].strip(), r["label_zh"].strip(), r["number_format"].strip() == "percent")
        for r in read_data_csv("warehouse", "metric_labels.csv")
    }


def is_fraction_column(column: str) -> bool:
    """Given a column name, tell whether it holds fractions shown as percentages
    (`reply_rate`, `adoption_rate_median`, `score_percentile`)."""
    if column.endswith(FRACTION_ENDINGS):
        return True
    rates = [code for code, label in metric_labels().items() if label.percent]
    return any(column == code + ending for code in rates for ending in RATE_ENDINGS)


def code_label(value: object) -> object:
    """Given a cell of a code column, return the code's Chinese label, or the
    value itself when the code has none."""
    label = metric_labels().get(value) if isinstance(value, str) else None
    return label.label_zh if label else value


def row_is_rate(code: object) -> bool:
    """Given the metric code of a long row, tell whether its value is a fraction."""
    label = metric_labels().get(code) if isinstance(code, str) else None
    return bool(label and label.percent)


def display_width(value: object) -> int:
    """Given a cell value, return its width in Excel's character units, wide
    (CJK) characters counting two."""
    if value is None:
        return 0
    text = f"{value:.2%}" if isinstance(value, float) and abs(value) <= 1 else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def column_widths(header: list[str], rows: list[list]) -> list[float]:
    """Given the header and a sample of rows, return a width per column that
    fits the header and the widest sampled cell, within bounds."""
    widths = []
    for i, name in enumerate(header):
        widest = max([display_width(name)] + [display_width(r[i]) for r in rows])
        widths.append(float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2))))
    return widths
