"""Read the figures and findings a bulletin states in its prose.

Sentences are rebuilt first: a paragraph that stops mid-sentence (a PDF line
break, a blank line in a converted file) is joined to the next one without a
space, so `登记的` / `市级政务新媒体 52 家` and a count split as `35` / `99条`
read whole. Then every pattern of `parsers/data/prose_patterns.csv` is tried
on every sentence; each hit carries the period the sentence speaks of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .deadline import check_deadline
from .model import Document, Origin, Paragraph
from .numbers import CHINESE_NUMERAL, chinese_to_int
from .periods import Period
from .prose_counts import read_unit_counts, unit_count_runs
from .prose_figures import stated_figures
from .prose_findings import code_polarities, read_list_findings
from .prose_facts import FindingFact, Sentence, StatisticFact, UnitCountFact  # noqa: F401 (re-exported)
from .textnorm import clean_name, clean_prose
from .vocab import read_data_csv

_PLACEHOLDERS = {
    "{N}": rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+(?![\d,])|\d+(?:\.\d+)?|[{CHINESE_NUMERAL}]+)",
    "{Q}": r"第?(?P<q>[一二三四1-4])季度",
    "{UNITS}": r"(?P<units>[^,。;:]{2,300}?)",
}
_SENTENCE_END = "。！？；;!?"
_OPEN_END = re.compile(r"[。！？；;!?:：」”』)）]$")
_SENTENCE_SPLIT = re.compile(r"(?<=[。！？；;!?])")
_SENTENCE_QUARTER = re.compile(r"(?:(?P<year>\d{4})年)?[^。]{0,12}?第?(?P<q>[一二三四1-4])季度")
_LIST_SEPARATORS = re.compile(r"[、,]|和|及")
_LEADING_FILLER = re.compile(r"^(?:其中|包括|分别是|分别为|有|仍有|以及)")
# A sentence opening 其中 breaks a total down: its figures are parts, never the total.
_BREAKDOWN = re.compile(r"^(?:其中|包括)")
# Real sentences are a few hundred characters; a longer "sentence" is a
# run-on blob (or hostile input) that the patterns would crawl through slowly.
MAX_SENTENCE_CHARS = 2000


@dataclass(frozen=True)
class ProsePattern:
    kind: str
    code: str
    context: re.Pattern | None
    pattern: re.Pattern
    label: str | None
    scale: str | None
    units_from: str | None
    window: int = 0


@lru_cache(maxsize=None)
def prose_patterns() -> tuple[ProsePattern, ...]:
    patterns = []
    for row in read_data_csv("parsers", "prose_patterns.csv"):
        regex = row["pattern"]
        for placeholder, expansion in _PLACEHOLDERS.items():
            regex = regex.replace(placeholder, expansion)
        patterns.append(
            ProsePattern(
                kind=row["kind"].strip(),
                code=row["code"].strip(),
                context=re.compile(row["context"]) if row["context"] else None,
                pattern=re.compile(regex),
                label=row["label"] or None,
                scale=row["scale"] or None,
                units_from=row["units_from"] or None,
                window=int(row.get("window") or 0),
            )
        )
    return tuple(patterns)


def document_sentences(doc: Document) -> list[Sentence]:
    """Given a document, return its body prose as whole sentences, in order."""
    sentences: list[Sentence] = []
    for text, origin in _joined_paragraphs(doc.paragraphs):
        for piece in _SENTENCE_SPLIT.split(text):
            if piece.strip():
                sentences.append(Sentence(clean_prose(piece), clean_name(piece), origin))
    return sentences


def _joined_paragraphs(paragraphs: list[Paragraph]):
    buffer, origin = "", None
    for paragraph in paragraphs:
        text = clean_prose(paragraph.text)
        if not text:
            continue
        if paragraph.heading_level:
            if buffer:
                yield buffer, origin
            buffer, origin = "", None
            yield text, paragraph.origin
            continue
        if buffer:
            buffer += text
        else:
            buffer, origin = text, paragraph.origin
        if _OPEN_END.search(text) or (len(clean_name(text)) < 20 and not text[-1].isdigit()):
            yield buffer, origin
            buffer, origin = "", None
    if buffer:
        yield buffer, origin


def read_prose(doc: Document, bulletin_period: Period | None) -> tuple[list[StatisticFact], list[FindingFact]]:
    """Given a shaped document and its headline period, return the coded
    statistics and the findings its sentences state (duplicates of a figure dropped)."""
    facts = read_prose_facts(doc, bulletin_period)
    return facts.statistics, facts.findings


@dataclass
class ProseFacts:
    statistics: list[StatisticFact]  # figures with a statistic code
    other_statistics: list[StatisticFact]  # every other stated figure: statistic `other`, with its label
    findings: list[FindingFact]
    unit_counts: list[UnitCountFact]


def read_prose_facts(doc: Document, bulletin_period: Period | None) -> ProseFacts:
    """Given a shaped document and its headline period, return everything its
    prose states: coded statistics, other figures, findings and per-unit counts."""
    statistics: list[StatisticFact] = []
    findings: list[FindingFact] = []
    seen_stats: set[tuple] = set()
    seen_findings: set[tuple] = set()
    sentences = [s for s in document_sentences(doc) if len(s.key) <= MAX_SENTENCE_CHARS]
    for index, sentence in enumerate(sentences):
        check_deadline()
        sentence_period = _sentence_period(sentence.key, bulletin_period)
        totals_read: set[str] = set()
        used: list[tuple[int, int]] = []  # spans of figures a pattern has read: each figure is read once
        for pattern in prose_patterns():
            if pattern.context and not any(
                pattern.context.search(s.key) for s in sentences[max(0, index - pattern.window) : index + 1]
            ):
                continue
            if pattern.kind == "statistic" and pattern.code.endswith("_total") and _BREAKDOWN.match(sentence.key):
                continue
            for match in pattern.pattern.finditer(sentence.key):
                period = _match_period(match, sentence.key, sentence_period, bulletin_period)
                if pattern.kind == "statistic":
                    span = match.span("n")
                    if any(a < span[1] and span[0] < b for a, b in used):
                        continue
                    used.append(span)
                    if pattern.code.endswith("_total"):
                        # a sentence states its total once; a later figure of the code is a part
                        # (`共收到…683封,…市人社局共收到信件308封`): kept as `other`
                        if pattern.code in totals_read:
                            used.pop()
                            continue
                        totals_read.add(pattern.code)
                    fact = _statistic(pattern, match, period, sentence)
                    # A rate is stated once per thing it measures (two 抽查合格率100%, sites
                    # and accounts, are two rows); a count repeated later is the same count.
                    key = (fact.statistic, fact.label, fact.period, index if pattern.scale == "percent" else fact.value)
                    if key not in seen_stats:
                        seen_stats.add(key)
                        statistics.append(fact)
                else:
                    for fact in _findings(pattern, match, period, sentence):
                        _add_finding(findings, seen_findings, fact)
        unit_figures = [m.span("n") for run in unit_count_runs(sentence.key) for m in run]
        for fact in stated_figures(sentence, used + unit_figures, sentence_period):
            key = ("other", fact.label, fact.value, index)
            if key not in seen_stats:
                seen_stats.add(key)
                statistics.append(fact)
    for fact in read_list_findings(sentences, lambda s, m: _match_period(m, s.key, _sentence_period(s.key, bulletin_period), bulletin_period)):
        _add_finding(findings, seen_findings, fact)
    counts = read_unit_counts(sentences, lambda s: _sentence_period(s.key, bulletin_period))
    coded = [s for s in statistics if s.statistic != "other"]
    return ProseFacts(coded, [s for s in statistics if s.statistic == "other"], findings, counts)


def _add_finding(findings: list[FindingFact], seen: set[tuple], fact: FindingFact) -> None:
    key = (fact.finding, fact.unit_raw, fact.subject_name, fact.period, fact.evidence)
    if key not in seen:
        seen.add(key)
        if fact.polarity is None:
            fact.polarity = code_polarities().get(fact.finding)
        findings.append(fact)


def _number(text: str) -> float:
    text = text.replace(",", "")
    return float(text) if re.fullmatch(r"\d+(?:\.\d+)?", text) else float(chinese_to_int(text))


def _statistic(pattern: ProsePattern, match: re.Match, period: Period | None, sentence: Sentence) -> StatisticFact:
    value = _number(match.group("n"))
    if pattern.scale == "percent":
        value /= 100.0
    return StatisticFact(pattern.code, value, period, sentence.text, pattern.label, sentence.origin)


def _findings(pattern: ProsePattern, match: re.Match, period: Period | None, sentence: Sentence) -> list[FindingFact]:
    groups = match.groupdict()
    count = int(_number(groups["n"])) if groups.get("n") else None
    if pattern.units_from == "table_zero":
        return [FindingFact(pattern.code, None, period, sentence.text, "table_zero", count, sentence.origin)]
    names = split_unit_list(groups.get("units") or "")
    return [FindingFact(pattern.code, name, period, sentence.text, "prose_list", count, sentence.origin) for name in names]


def split_unit_list(text: str) -> list[str]:
    """Given `高新区、市瓷局、市公安局` (or with 和/及), return the unit names."""
    text = _LEADING_FILLER.sub("", text.strip())
    names = [n.strip() for n in _LIST_SEPARATORS.split(text)]
    return [n for n in names if len(n) >= 2]


def _sentence_period(key: str, bulletin: Period | None) -> Period | None:
    match = _SENTENCE_QUARTER.search(key)
    if not match:
        return bulletin
    year = int(match.group("year")) if match.group("year") else (bulletin.year if bulletin else None)
    return Period(year, chinese_to_int(match.group("q")))


def _match_period(match: re.Match, key: str, sentence_period: Period | None, bulletin: Period | None) -> Period | None:
    if match.groupdict().get("q"):
        years = re.findall(r"(\d{4})年", key[: match.start()])
        year = int(years[-1]) if years else (sentence_period.year if sentence_period else bulletin.year if bulletin else None)
        return Period(year, chinese_to_int(match.group("q")))
    return sentence_period

