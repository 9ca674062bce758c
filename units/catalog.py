"""The vocabularies unit names are matched against, read once from `units/data/`.

`departments.csv` (codes, canonical names and printed forms),
`unit_wording.csv` (leads, prefixes, suffix variants …) and `groups.csv`
(group rows and their default kind). Adding a form is a line in a CSV file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from parsers.textnorm import clean_name
from parsers.vocab import read_data_csv

UNIT_KINDS = ("county", "district", "dev_zone", "department", "other")


@dataclass(frozen=True)
class Department:
    code: str
    canonical_name: str
    kind: str



@lru_cache(maxsize=None)
def catalog() -> tuple[dict[str, Department], dict[str, str]]:
    """Return (code -> department, printed form -> code)."""
    departments: dict[str, Department] = {}
    forms: dict[str, str] = {}
    for row in read_data_csv("units", "departments.csv"):
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
    """Return the wording rules of `units/data/unit_wording.csv`."""
    rows: dict[str, list[tuple[str, str]]] = {}
    for row in read_data_csv("units", "unit_wording.csv"):
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



@lru_cache(maxsize=None)
def group_kinds() -> dict[str, str]:
    """Return printed group row (县区, 市直部门 …) -> the kind of the units under it."""
    return {clean_name(r["group"]): r["kind"].strip() for r in read_data_csv("units", "groups.csv")}
