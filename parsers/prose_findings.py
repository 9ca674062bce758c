"""Read the findings a bulletin's prose states about units, websites and accounts.

Real bulletins praise and criticise in lists: `市发改委、应急管理局…网站运行管理
情况较好`, `公安局、财政局…存在个别栏目更新不够及时问题`, `严重表述错误问题依然
存在,如县水务局、…`, `清流县"冷泉小镇美丽李家"、"温泉小镇幸福嵩口"微信公众号,未经
申请备案私自重新上线`. Each phrase of `data/finding_phrases.csv` says what was
found; the names around it say about whom. A name is a unit when it ends like
one (`data/subject_words.csv`), an account when it is quoted or carries a
platform (`"茂名应急管理"微信订阅号`, `连云港民政(微信)`, `…局官博`), a website or
column when it says so (`国企监管栏目(财政局)`); an account or column keeps the
unit printed with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .numbers import CHINESE_NUMERAL, chinese_to_int
from .periods import Period
from .prose_facts import FindingFact, Sentence
from .vocab import read_data_csv

_N = rf"(?:\d+|[{CHINESE_NUMERAL}]+)"
_PLACEHOLDERS = {
    "{N}": rf"(?P<n>\d+|[{CHINESE_NUMERAL}]+)",
    "{UNITS}": r"(?P<units>[^。;:]{2,400}?)",
}
_QUOTES = "“”\"「」『』‘’"
_QUOTED = re.compile(r"[“\"「『‘]([^“”\"「」『』‘’]{1,40})[”\"」』’]")
_SEPARATORS = "、,;:"
_PERIOD_WORDS = (
    r"(?:\d{4}年)?(?:第?[一二三四1-4]季度|\d{1,2}(?:—|-|至)?\d{0,2}月份?|[上下]半年|全年|本季度|本月|本期|今年|近期|目前|截至目前)"
    r"(?:以来|中|内)?"
)
_FILLER = re.compile(
    rf"^(?:{_PERIOD_WORDS}|[一二三四五六七八九十]是|其中|如|例如|比如|仍只有|只有|仍有|还有|对|由于|请|包括|以及|及|和|但|而|另外|此外|"
    r"特别是|尤其是|总体上|总体来看|经检查|经自查|经抽查|分别是|分别为|主要是|有|是|即)"
)
# `…等9家部门`, `…等网站`: the list's tail, not a name (a bare trailing 网站 is the item's own)
_LIST_TAIL = re.compile(
    rf"(?:(?:等|共|计)(?:{_N}[个家所])?(?:部门单位|部门|单位)?(?:网站|账号|政务新媒体)?)?(?:均|都|也|仍|还|分别|在)?[,、:]?$"
)
# 无 alone would read 无锡市 as a negation: only its negating compounds count
_NEGATION = re.compile(r"(?:未发现|未出现|没有|不存在|未见|均无|并无|无任何)[^,;]{0,12}$")
_PRAISE_NEGATION = re.compile(r"[未不没]")
_AFTER_LEAD = re.compile(
    r"^(?:(?:的?(?:问题|情况|现象))?(?:依然存在|仍然存在)?[^。;]{0,14}?[,:]?(?:如|例如|比如|包括|主要有|分别是|分别为)[:,]?"
    r"|的?(?:单位|部门|网站|账号)?[^。;,:]{0,8}?:)"
)
_HEADING_END = re.compile(r"(?:的?(?:问题|情况|现象|单位|账号|政务新媒体|网站))?(?:名单|如下)?(?:\(\d+[个家]\))?[:。]?")
_NEXT_LEAD = re.compile(r"^(?:如|例如|比如|具体如下|主要有|包括)[:,]?")
# 对 is left out: `区政府办公室对…进行检查` names the checker, not the checked.
_CONNECTORS = ("在", "虽", "未", "因", "的", "存在", "出现", "均", "已", "于", "将", "发布", "共")
_MAX_NAME = 30
# A second phrase this close after a first, with no comma between, words the same finding
# (`因栏目互动功能不可用被单项否决`): the first phrase's kind is the finding.
_MERGE_GAP = 8


@dataclass(frozen=True)
class FindingPhrase:
    code: str
    polarity: str
    label: str | None
    pattern: re.Pattern
    context: re.Pattern | None
    window: int


@dataclass(frozen=True)
class Subject:
    kind: str  # unit, website or account
    unit_raw: str | None
    name: str | None
    platform: str | None


@lru_cache(maxsize=None)
def code_polarities() -> dict[str, str]:
    """Return every finding code with its polarity (data/finding_codes.csv)."""
    return {r["code"].strip(): r["polarity"].strip() for r in read_data_csv("parsers", "finding_codes.csv")}


@lru_cache(maxsize=None)
def finding_phrases() -> tuple[FindingPhrase, ...]:
    polarities = code_polarities()
    phrases = []
    for row in read_data_csv("parsers", "finding_phrases.csv"):
        code = row["code"].strip()
        if code not in polarities:
            raise ValueError(f"finding_phrases.csv: unknown finding code {code!r} (add it to finding_codes.csv)")
        if code == "other" and not row["label"]:
            raise ValueError(f"finding_phrases.csv: an `other` phrase needs a label: {row['pattern']!r}")
        regex = row["pattern"]
        for placeholder, expansion in _PLACEHOLDERS.items():
            regex = regex.replace(placeholder, expansion)
        phrases.append(
            FindingPhrase(
                code=code,
                polarity=(row["polarity"] or "").strip() or polarities[code],
                label=row["label"] or None,
                pattern=re.compile(regex),
                context=re.compile(row["context"]) if row["context"] else None,
                window=int(row["window"] or 0),
            )
        )
    return tuple(phrases)


@lru_cache(maxsize=None)
def _words() -> dict[str, list[tuple[str, str]]]:
    words: dict[str, list[tuple[str, str]]] = {}
    for row in read_data_csv("parsers", "subject_words.csv"):
        words.setdefault(row["kind"].strip(), []).append((row["word"].strip(), (row["value"] or "").strip()))
    for kind in words:
        words[kind].sort(key=lambda wv: -len(wv[0]))
    return words


def unit_shaped(name: str) -> bool:
    """Given a name from a list, say whether it reads as a unit (`县人社局`, `龙正镇`)."""
    if not 2 <= len(name) <= _MAX_NAME or re.search(r"[\d,。;:、“”\"()的]", name):
        return False
    if any(name.startswith(word) for word, _ in _words()["not_unit"]):
        return False
    return any(name.endswith(word) and len(name) > len(word) for word, _ in _words()["unit_suffix"])


def _platform(text: str) -> tuple[str | None, str | None]:
    """Given text around an account name, return (the platform word, its platform)."""
    for kind in ("platform", "website"):
        for word, value in _words()[kind]:
            if word in text:
                return word, value or None
    return None, None


def _strip_filler(text: str) -> str:
    while True:
        stripped = _FILLER.sub("", text, count=1)
        if stripped == text or not stripped:
            return text
        text = stripped


def _split(text: str) -> list[str]:
    """Split a list on 、 , ; : outside quotes and brackets."""
    items, depth, current = [], 0, []
    for ch in text:
        if ch in "“「『‘(":
            depth += 1
        elif ch in "”」』’)" and depth:
            depth -= 1
        elif ch == '"':
            depth = 0 if depth else 1
        if ch in _SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [i for i in items if i]


def _owning_unit(text: str) -> str | None:
    """Given the words printed before an account (`已注销的清流县`), return the unit they end with."""
    tail = re.split(r"[的在对是]", text)[-1]
    tail = _strip_filler(tail)
    return tail if unit_shaped(tail) else None


def parse_subjects(item: str) -> list[Subject]:
    """Given one item of a finding list, return what it names (empty: not a name)."""
    text = _strip_filler(item.strip())
    if not text:
        return []
    quoted = list(_QUOTED.finditer(text))
    if quoted:
        before, after = text[: quoted[0].start()], text[quoted[-1].end() :]
        if len(after) > 12:
            return []
        word, platform = _platform(after) if after else (None, None)
        if word is None:
            word, platform = _platform(before)
        if word and word in before:
            before = before[: before.rindex(word)]
        unit = _owning_unit(before) if before else None
        kind = "website" if platform == "网站" else "account"
        names = [n for q in quoted for n in re.split(r"[、,]", q.group(1)) if n]
        return [Subject(kind, unit, name, platform) for name in names]
    bracket = re.fullmatch(r"(.{2,40}?)\((.{1,20})\)", text)
    if bracket:
        outer, inner = bracket.groups()
        word, platform = _platform(inner)
        if word:
            return [Subject("website" if platform == "网站" else "account", None, outer, platform)]
        if unit_shaped(inner):
            return [Subject("website", inner, outer, "网站")]
        return []
    base, kind, platform = _strip_channel_words(text)
    if kind:
        if not unit_shaped(base) and (re.search(r"[\d,。的]", base) or len(base) > 16 or len(base) < 2):
            return []
        if any(base.startswith(w) for w, _ in _words()["not_unit"]):
            return []
        return [Subject(kind, base if unit_shaped(base) else None, text, platform)]
    if unit_shaped(text):
        return [Subject("unit", text, None, None)]
    return []


def _strip_channel_words(text: str) -> tuple[str, str | None, str | None]:
    """Given `市林业局网站首页` or `…局官博`, return (the name before its trailing
    platform or website words, `account`/`website` or None, the platform)."""
    kind, platform, base = None, None, text
    stripped = True
    while stripped:
        stripped = False
        for words_kind in ("platform", "website"):
            for word, value in _words()[words_kind]:
                if base.endswith(word) and len(base) > len(word) + 1:
                    base = base[: -len(word)]
                    if kind is None or (kind == "website" and words_kind == "platform"):
                        kind = "account" if words_kind == "platform" else "website"
                    platform = platform or value or None
                    stripped = True
                    break
            if stripped:
                break
    return base, kind, platform


def _share(subjects: list[Subject]) -> list[Subject]:
    """Accounts listed together share the unit printed before the first and the platform after the last."""
    out = list(subjects)
    for i in range(1, len(out)):
        if out[i].kind == "account" and out[i].unit_raw is None and out[i - 1].kind == "account" and out[i - 1].unit_raw:
            out[i] = Subject(out[i].kind, out[i - 1].unit_raw, out[i].name, out[i].platform or out[i - 1].platform)
    for i in range(len(out) - 2, -1, -1):
        if out[i].kind == "account" and out[i].platform is None and out[i + 1].kind == "account" and out[i + 1].platform:
            out[i] = Subject(out[i].kind, out[i].unit_raw, out[i].name, out[i + 1].platform)
    return out


def _list_before(prefix: str) -> list[Subject]:
    prefix = _LIST_TAIL.sub("", prefix)
    found: list[list[Subject]] = []
    for item in reversed(_split(prefix)):
        subjects = parse_subjects(item)
        if not subjects:
            break
        found.append(subjects)
    return _share([s for group in reversed(found) for s in group])


def _list_after(text: str, next_key: str | None) -> list[Subject]:
    lead = _AFTER_LEAD.match(text)
    if lead:
        body = text[lead.end() :]
    elif next_key and _HEADING_END.fullmatch(text) and _NEXT_LEAD.match(next_key):
        body = next_key[_NEXT_LEAD.match(next_key).end() :]
    elif next_key and _HEADING_END.fullmatch(text):
        # a heading (`零报送单位名单`, `内容更新不及时(2个)`) over a line that is nothing but names
        items = _split(next_key.rstrip("。;"))
        named = [parse_subjects(item) for item in items]
        return _share([s for group in named for s in group]) if named and all(named) else []
    else:
        return []
    body = re.split(r"[。;]", body)[0]
    found: list[Subject] = []
    for item in _split(body):
        item = re.sub(rf"等(?:{_N}[个家])?(?:单位|部门|网站|账号|政务新媒体)?.*$", "", item)
        subjects = parse_subjects(item)
        if not subjects:
            leading = _leading_unit(item)
            if leading:
                found.append(leading)
            break
        found.extend(subjects)
    return _share(found)


def _leading_unit(text: str) -> Subject | None:
    """Given a clause, return the unit it opens with (`区民政局虽上报…`, `由于区安监局未将…`)."""
    clause = _strip_filler(re.split(r"[,;:]", text.lstrip(",;:、"), maxsplit=1)[0])
    for end in range(2, min(len(clause), _MAX_NAME) + 1):
        if clause[end:].startswith(_CONNECTORS) and unit_shaped(clause[:end]):
            return Subject("unit", clause[:end], None, None)
    return None


def _count(match: re.Match) -> int | None:
    n = match.groupdict().get("n")
    if not n:
        return None
    return int(n) if n.isdigit() else chinese_to_int(n)


def read_list_findings(
    sentences: list[Sentence], period_of: Callable[[Sentence, re.Match], Period | None]
) -> list[FindingFact]:
    """Given a document's sentences and how to date a match in one, return the
    findings the phrases of `finding_phrases.csv` state, one per unit, site or account."""
    facts: list[FindingFact] = []
    for index, sentence in enumerate(sentences):
        key = sentence.key
        matches = []
        for order, phrase in enumerate(finding_phrases()):
            if phrase.context:
                keys = [s.key for s in sentences[max(0, index - phrase.window) : index + 1]]
                if not any(phrase.context.search(k) for k in keys):
                    continue
            for match in phrase.pattern.finditer(key):
                matches.append((match.start(), -(match.end() - match.start()), order, phrase, match))
        kept: list[tuple[FindingPhrase, re.Match, int]] = []  # phrase, match, where its after-text starts
        for start, _, _, phrase, match in sorted(matches, key=lambda m: m[:3]):
            if kept:
                last_phrase, last_match, after = kept[-1]
                if start < after:
                    continue
                gap = key[after:start]
                if len(gap) <= _MERGE_GAP and not re.search(r"[,;:。]", gap):
                    kept[-1] = (last_phrase, last_match, match.end())
                    continue
            kept.append((phrase, match, match.end()))
        next_key = sentences[index + 1].key if index + 1 < len(sentences) else None
        bound = 0
        for position, (phrase, match, after) in enumerate(kept):
            prefix = key[bound : match.start()]
            following_start = kept[position + 1][1].start() if position + 1 < len(kept) else len(key)
            if _NEGATION.search(prefix):
                continue
            if phrase.polarity == "praise" and _PRAISE_NEGATION.search(re.split(r"[,;]", prefix)[-1]):
                continue  # `未将…及时报送`: no praise, and the names stay for the next phrase
            bound = after
            if match.groupdict().get("units"):
                subjects = _share([s for item in _split(match.group("units")) for s in parse_subjects(item)])
            else:
                subjects = (
                    _list_before(prefix)
                    or _list_after(key[after:following_start], next_key if position + 1 == len(kept) else None)
                    or [s for s in [_leading_unit(prefix)] if s]
                )
            period = period_of(sentence, match)
            for subject in subjects:
                facts.append(
                    FindingFact(
                        finding=phrase.code,
                        unit_raw=subject.unit_raw,
                        period=period,
                        sentence=sentence.text,
                        evidence="prose_list",
                        stated_count=_count(match),
                        origin=sentence.origin,
                        label=phrase.label or match.group(0),
                        polarity=phrase.polarity,
                        subject_kind=subject.kind,
                        subject_name=subject.name,
                        platform=subject.platform,
                    )
                )
    return facts
