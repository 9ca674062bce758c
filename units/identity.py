"""The identity a unit name is given, and the evidence for it.

`UnitIdentity` is what every other module receives from `units.rules`; its
`rule` says which rule decided, so an analyst can see why (docs/units.md).
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CANDIDATES = 3
# Rules whose result an analyst should look at: the one list. The model runner
# writes it to the warehouse as `unit_review_rules`, which `unresolved_units` reads.
REVIEW_RULES = {
    "unmatched": "no catalog match",
    "fuzzy": "a fuzzy catalog match",
    "dev_zone": "a named development zone outside the catalog",
    "place_unverified": "a place name tongbao cannot check against the city's divisions",
    "place_other_city": "a place the bulletin's city does not have",
}


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


IDENTITY_COLUMNS = ("unit_name", "unit_function", "unit_kind", "match_rule")


def identity_columns(identity: UnitIdentity) -> dict:
    """Given an identity, return the warehouse columns it fills; the one
    place an identity becomes row values, for rows built at parse time and
    for rows re-identified later."""
    return {
        "unit_name": identity.unit_name,
        "unit_function": identity.unit_function,
        "unit_kind": identity.unit_kind,
        "match_rule": identity.rule,
    }
