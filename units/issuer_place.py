"""The issuing place of a bulletin, at any level, from the administrative-division dataset.

Given the texts that name the issuer (the signature's body, the title's issuer,
`来源:`; most trusted first), the place is the deepest division their printed
chain names: `西宁市城中区人民政府办公室` is 城中区 (district of 西宁市, 青海省).
A body printed without its place (`市政府办公室`) is placed by the text: the
level it speaks of itself at (`全市`, `我县`), and the places it names — several
counties of one city are that city's subordinates, so the city issued it;
a place a figure is reported *to* (`向通辽市…报送`, `被省市采用`) is above it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from parsers.textnorm import clean_name

from .places import adcodes_path

LEVEL_CHARS = ("省", "市", "县", "区", "旗", "州", "盟")
_SKIP_NAMES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_OWN_LEVEL = re.compile(
    r"(?:全|我|本)(?P<c>省|市|县|区|旗|州|盟)|(?:^|[,，。;；:：、])(?P<b>省|市|县|区|旗)(?:人民政府|政府|委)"
)
_UPWARD_BEFORE = ("向", "被", "报", "经", "至", "由")
_UPWARD_AFTER = ("采用", "采纳", "转发", "人民政府办公厅")
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")


@dataclass(frozen=True)
class Place:
    name: str  # the place's own full name: 城中区
    code: str  # 6-digit division code: 630103
    level: str  # province, prefecture, county (县, 县级市, 旗), district
    prefecture: str | None  # 西宁市 (a prefecture is its own prefecture)
    province: str | None  # 青海省


@dataclass
class _Index:
    by_code: dict[str, Place] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)  # full name or prefecture stem -> codes
    longest: int = 0  # the longest form, in characters

    def form_at(self, text: str, at: int) -> str | None:
        """The longest division name or city stem printed at position `at`, or None."""
        for size in range(min(self.longest, len(text) - at), 1, -1):
            if text[at : at + size] in self.by_name:
                return text[at : at + size]
        return None


@lru_cache(maxsize=1)
def _index() -> _Index:
    rows = []
    with adcodes_path().open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = clean_name(row["name"])
            if name not in _SKIP_NAMES:
                rows.append((row["adcode"][:6], name))
    names = dict(rows)
    index = _Index()
    for code, name in rows:
        province = names.get(code[:2] + "0000")
        if code.endswith("0000"):
            level, prefecture = "province", None
        elif code.endswith("00"):
            level, prefecture = "prefecture", name
        else:
            level = "district" if name.endswith("区") else "county"
            prefecture = names.get(code[:4] + "00") or (province if _is_municipality(code, names) else None)
        index.by_code[code] = Place(name, code, level, prefecture, province)
        index.by_name.setdefault(name, []).append(code)
    for name, codes in index.by_name.items():
        # A municipality (北京市) is also listed as its own city: the name means the municipality.
        index.by_name[name] = [c for c in codes if not any(o != c and _is_under(index.by_code[c], index.by_code[o])
                                                            for o in codes)]
    for code, place in list(index.by_code.items()):
        if place.level in ("prefecture", "province"):
            stem = _stem(place.name)
            if len(stem) >= 2 and stem not in index.by_name:
                index.by_name.setdefault(stem, []).append(code)
    index.longest = max(map(len, index.by_name))
    return index


def _is_municipality(code: str, names: dict[str, str]) -> bool:
    return code[:4] + "00" not in names and names.get(code[:2] + "0000", "").endswith("市")


def _stem(name: str) -> str:
    for suffix in ("自治州", "地区", "市", "盟", "州"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return _PROVINCE_SUFFIX.sub("", name)


def place_by_name(name: str | None) -> Place | None:
    """Given a division's full name (`宝鸡市`), return it when the name is unambiguous."""
    codes = _index().by_name.get(clean_name(name or ""), [])
    places = [_index().by_code[c] for c in codes if _index().by_code[c].name == clean_name(name or "")]
    return places[0] if len(places) == 1 else None


def resolve_issuer_place(hints: list[str], texts: list[str] = ()) -> Place | None:
    """Given the issuer's texts (most trusted first) and the bulletin's texts (used
    only to tell apart two places of one name), return the place the first
    hint's printed chain names, or None."""
    mentions = _LazyMentions(texts)
    for hint in hints:
        place = _chain_place(clean_name(hint), mentions)
        if place:
            return place
    return None


def place_from_text(hints: list[str], texts: list[str]) -> Place | None:
    """Given an issuer printed without its place (`市政府办公室`) and the bulletin's
    texts, return the place the text shows issued it, or None when it does not."""
    return _place_from_text(_own_level(hints, texts), _mentions(texts))


class _LazyMentions:
    """The text's place mentions, counted only when a decision needs them."""

    def __init__(self, texts) -> None:
        self._texts, self._counts = texts, None

    def counts(self) -> Counter:
        if self._counts is None:
            self._counts = _mentions(self._texts)
        return self._counts

    def get(self, name: str, default: int = 0) -> int:
        return self.counts().get(name, default)


def _chain_place(text: str, mentions: Counter) -> Place | None:
    """`福州市长乐区大数据管理局` -> 长乐区: the deepest division its leading chain
    of full names names (a bare stem, `连云港卫生监督`, is no chain)."""
    index, at, parent, found = _index(), 0, None, None
    while at < len(text):
        form = index.form_at(text, at)
        if form is None:
            break
        candidates = [p for p in (index.by_code[c] for c in index.by_name[form]) if p.name == form]
        if parent is not None:
            candidates = [p for p in candidates if _is_under(p, parent)]
        place = _pick(candidates, mentions)
        if place is None:
            break
        found, parent, at = place, place, at + len(form)
    return found


def _pick(candidates: list[Place], mentions: Counter) -> Place | None:
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        return None
    # An ambiguous name (城中区 of 西宁市 or of 柳州市): the one whose city the text names.
    scored = sorted(candidates, key=lambda p: mentions.get(p.prefecture or "", 0), reverse=True)
    top = mentions.get(scored[0].prefecture or "", 0)
    return scored[0] if top and top > mentions.get(scored[1].prefecture or "", 0) else None


def _is_under(child: Place, parent: Place) -> bool:
    if parent.level == "province":
        return child.code[:2] == parent.code[:2] and child.code != parent.code
    if parent.level == "prefecture":
        return child.code[:4] == parent.code[:4] and child.code != parent.code
    return False


def _mentions(texts) -> Counter:
    """Places the text names (full names, or a city's stem), counted by full name;
    a place figures are reported to is above the issuer and not counted."""
    index, counts = _index(), Counter()
    for text in texts:
        name, at = clean_name(text), 0
        while at < len(name) - 1:
            form = index.form_at(name, at)
            if form is None:
                at += 1
                continue
            end = at + len(form)
            before, after = name[max(0, at - 1) : at], name[end : end + 8]
            if before not in _UPWARD_BEFORE and not after.startswith(_UPWARD_AFTER):
                for code in index.by_name[form]:
                    counts[index.by_code[code].name] += 1
            at = end
    return counts


def _own_level(hints: list[str], texts) -> str | None:
    """The level the bulletin speaks of itself at: the issuer's first character
    (`市政府办公室`) or the most frequent `全市` / `我县` / `本区`."""
    for hint in hints:
        first = clean_name(hint)[:1]
        if first in LEVEL_CHARS:
            return first
    counts = Counter(m.group("c") or m.group("b") for t in texts for m in _OWN_LEVEL.finditer(clean_name(t)))
    return counts.most_common(1)[0][0] if counts else None


def _level_char(place: Place) -> str:
    if place.name.endswith("自治州"):
        return "州"
    return place.name[-1]


def _place_from_text(level: str | None, mentions: Counter) -> Place | None:
    index = _index()
    named = []
    for name in mentions:
        places = [index.by_code[c] for c in index.by_name.get(name, []) if index.by_code[c].name == name]
        place = places[0] if len(places) == 1 else _pick(places, mentions)
        if place is not None:  # a name of two places counts only when the text names its city
            named.append(place)
    # Several places of one city named: the city addresses its subordinates.
    parents = Counter()
    for place in named:
        if place.level in ("county", "district"):
            parent = place_by_name(place.prefecture) if place.prefecture else None
            if parent:
                parents[parent.code] += 1
    subordinates = [(n, code) for code, n in parents.items() if n >= 2]
    if subordinates:
        parent = index.by_code[max(subordinates)[1]]
        if level is None or _level_char(parent) == level:
            return parent
    if level is None:
        return None  # one place named, and no word of the issuer's own level: not enough
    fitting = [p for p in named if p.level != "province" and _level_char(p) == level]
    if not fitting:
        return None
    # A county-level city named below its own named city: the city is the issuer.
    for place in fitting:
        if place.level == "prefecture":
            continue
        parent = place_by_name(place.prefecture) if place.prefecture else None
        if parent and parent in fitting:
            return parent
    best = max(fitting, key=lambda p: (mentions[p.name], p.level != "prefecture"))
    return best
