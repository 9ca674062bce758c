"""Keep every figure a sentence states that no statistic pattern has read.

`全县政府系统共有政务新媒体12个,其中,微信公众8个,微博2个` has one coded figure
(new_media_accounts 12) and three more an analyst wants kept: each becomes a
`bulletin_statistics` row with statistic `other` and the phrase it belongs to
as `label` (`微信公众`, `微博`). A figure is a number with a counting word
(条, 个, 家, 件, %, …); dates, document numbers and quoted titles are not
figures, and neither are the thresholds of a requirement (`不得超过14天`).
"""

from __future__ import annotations

import re

from .periods import Period
from .prose_facts import Sentence, StatisticFact

_FIGURE = re.compile(
    r"(?<![\d.第])(?P<n>\d+(?:\.\d+)?)(?P<c>%|个百分点|个月|人次|条|个|家|件|篇|次|封|份|项|人|所|户|天|周|名|起|处|批|分)"
)
_SHIELDED = re.compile(r"“[^”]*”|《[^》]*》|〔[^〕]*〕|\[[^\]]*\]|\"[^\"]*\"")
_DELIMITER = "，,;:、()。"
_REQUIREMENT = re.compile(r"不得|不超过|至少|应当|必须|须|原则上|要求|每月|每日|每周|每季度|每天")
_LEAD = re.compile(r"^(?:其中|另外|此外|包括|包含|涉及|共有|现有|共计|共|有|累计|合计|计|达到|达|为|均|已|是|对|向|在)+")
# `抽查发现12家政务新媒体不合格`: the words before the figure are the act, those after it the thing
_VERB_END = re.compile(r"(?:发现|检查|抽查|显示|排查|清理|开展|组织|对|有|和|及|与|还|仍)$")
# `全市40家网站`: a scope before the figure says where, the noun after it what
_SCOPE = re.compile(r"(?:全|我|本|该)(?:省|市|县|区|镇|乡)?")
_AFTER_END = re.compile(r"[一二三四]?季度|总体|整体|运行|进行|均|已|被|中|的|共|累计")
_TRAIL = re.compile(r"(?:共有|共计|共|达到|达|为|有|计|了|的|均|已|约|近|超过|仅)+$")


def stated_figures(sentence: Sentence, used: list[tuple[int, int]], period: Period | None) -> list[StatisticFact]:
    """Given a sentence and the spans of the figures coded patterns read in it,
    return its other figures as `other` statistics labelled with their phrase."""
    key = sentence.key
    shielded = [m.span() for m in _SHIELDED.finditer(key)]
    facts = []
    for match in _FIGURE.finditer(key):
        start, end = match.span("n")
        if any(a < end and start < b for a, b in used + shielded):
            continue
        clause = _clause(key, start)
        if _REQUIREMENT.search(clause + key[end : end + 6]):
            continue
        value = float(match.group("n"))
        if match.group("c") == "%":
            value /= 100.0
        facts.append(StatisticFact("other", value, period, sentence.text, _label(key, match), sentence.origin))
    return facts


def _clause(key: str, position: int) -> str:
    start = max(key.rfind(d, 0, position) for d in _DELIMITER) + 1
    return key[start:position]


def _label(key: str, match: re.Match) -> str:
    """The words the figure belongs to: the clause before it (`微信公众号5个`), else
    the words after its counting word (`6个不合格`), else the clause before a
    bracketed share (`住房保障43件(30.2%)` → `住房保障占比`)."""
    start = match.start("n")
    before = _TRAIL.sub("", _LEAD.sub("", _clause(key, start)))
    if start and key[start - 1] == "(":
        outer = _TRAIL.sub("", _LEAD.sub("", _clause(key, start - 1)))
        before = re.sub(r"\d+(?:\.\d+)?\D{0,2}$", "", outer) + ("占比" if match.group("c") == "%" else "")
    rest = key[match.end() :]
    after = _AFTER_END.split(re.split(r"[,;:、()。]", rest, maxsplit=1)[0], maxsplit=1)[0][:16]
    if before and not (after and (_VERB_END.search(before) or _SCOPE.fullmatch(before))):
        return before[-24:]
    return after or before or match.group("c")
