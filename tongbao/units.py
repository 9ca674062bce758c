"""Map a unit name as printed to one canonical unit within its city.

Rules run in a fixed order and the first that finds the name in the
department catalog wins; the rule's name is kept as evidence. Places
(counties, county-level cities, districts) and development zones keep their
own cleaned name. The catalog lives in `tongbao/data/departments.csv`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parsers.textnorm import clean_name
from parsers.vocab import group_kinds, read_data_csv

ADMIN_PREFIXES = ("市政府", "市委", "市人民政府", "市")
DEV_ZONE_SUFFIXES = ("开发区", "新区", "高新区", "风景名胜区", "风景区", "园区", "示范区", "食品区", "管委会", "保税区", "试验区")
PLACE_SUFFIXES = ("县", "市", "区", "旗")
DEPARTMENT_SUFFIXES = ("局", "委", "办", "委员会", "办公室", "中心", "厅", "处", "所", "队", "站", "院")
SUFFIX_VARIANTS = (("委员会", "委"), ("事务局", "局"), ("管理局", "局"), ("办公室", "办"))
_PAREN = re.compile(r"\(([^()]*)\)")


@dataclass(frozen=True)
class Department:
    code: str
    canonical_name: str
    kind: str


@dataclass(frozen=True)
class UnitIdentity:
    unit_name: str
    unit_function: str | None
    unit_kind: str
    rule: str  # evidence: which rule decided


@lru_cache(maxsize=None)
def catalog() -> tuple[dict[str, Department], dict[str, str]]:
    """Return (code -> department, printed form -> code)."""
    departments: dict[str, Department] = {}
    forms: dict[str, str] = {}
    for row in read_data_csv("tongbao", "departments.csv"):
        dept = Department(row["code"].strip(), clean_name(row["canonical_name"]), row["kind"].strip())
        departments[dept.code] = dept
        for form in [dept.canonical_name, *(row["aliases"] or "").split("|")]:
            form = clean_name(form)
            if form:
                previous = forms.setdefault(form, dept.code)
                if previous != dept.code:
                    raise ValueError(f"departments.csv: {form!r} is listed for both {previous} and {dept.code}")
    return departments, forms


def city_forms(city: str | None) -> tuple[str, ...]:
    """Given `景德镇市`, return the ways bulletins write it: 景德镇市, 景德镇, 景市."""
    if not city:
        return ()
    city = clean_name(city)
    stem = city[:-1] if city.endswith("市") and len(city) > 2 else city
    forms = {city, stem}
    if len(stem) >= 2:
        forms.add(stem[0] + "市")
    return tuple(sorted(forms, key=len, reverse=True))


def normalise_unit(raw: str, city: str | None = None, group: str | None = None) -> UnitIdentity:
    """Given a printed unit name, its city and table group, return its identity."""
    name = clean_name(raw)
    group_kind = group_kinds().get(clean_name(group)) if group else None
    departments, forms = catalog()
    if group_kind in ("county", "district") or _looks_like_place(name, city):
        return UnitIdentity(name, None, _place_kind(name, group_kind), "place")
    for rule, form in _candidate_forms(name, city):
        code = forms.get(form)
        if code:
            dept = departments[code]
            return UnitIdentity(dept.canonical_name, code, dept.kind, rule)
    return UnitIdentity(name, None, _fallback_kind(name, group_kind), "unmatched")


def _candidate_forms(name: str, city: str | None):
    yield "exact", name
    bases = [("", name)]
    for form in city_forms(city):
        if name.startswith(form) and len(name) > len(form):
            bases.append(("city_prefix", name[len(form):]))
    for origin, base in list(bases):
        yield origin or "exact", base
        for prefix in ADMIN_PREFIXES:
            if base.startswith(prefix) and len(base) > len(prefix) + 1:
                bases.append(("admin_prefix", base[len(prefix):]))
                yield "admin_prefix", base[len(prefix):]
    for _, base in list(bases):
        for inner in _PAREN.findall(base):
            for prefix in ("",) + ADMIN_PREFIXES:
                if inner.startswith(prefix):
                    yield "parenthetical", inner[len(prefix):]
        outer = _PAREN.sub("", base)
        if outer != base:
            yield "parenthetical", outer
            for prefix in ADMIN_PREFIXES:
                if outer.startswith(prefix):
                    yield "parenthetical", outer[len(prefix):]
    for form in city_forms(city):
        if form in name[1:]:
            stripped = name.replace(form, "")
            yield "city_inside", stripped
            for prefix in ADMIN_PREFIXES:
                if stripped.startswith(prefix):
                    yield "city_inside", stripped[len(prefix):]
    for _, base in list(bases):
        for long, short in SUFFIX_VARIANTS:
            if base.endswith(long):
                yield "suffix_variant", base[: -len(long)] + short
            elif base.endswith(short):
                yield "suffix_variant", base[: -len(short)] + long
        if "和" in base or "与" in base:
            yield "suffix_variant", base.replace("和", "").replace("与", "")


def _looks_like_place(name: str, city: str | None) -> bool:
    if name in city_forms(city) or name.startswith("市") or not name.endswith(PLACE_SUFFIXES):
        return False
    if name.endswith(DEV_ZONE_SUFFIXES) or len(name) > 5:
        return False
    return not any(name.endswith(s) for s in DEPARTMENT_SUFFIXES if s not in PLACE_SUFFIXES)


def _place_kind(name: str, group_kind: str | None) -> str:
    if name.endswith(DEV_ZONE_SUFFIXES):
        return "dev_zone"
    return "district" if name.endswith("区") else "county"


def _fallback_kind(name: str, group_kind: str | None) -> str:
    if name.endswith(DEV_ZONE_SUFFIXES):
        return "dev_zone"
    if group_kind:
        return group_kind
    if name.endswith(DEPARTMENT_SUFFIXES):
        return "department"
    return "other"
