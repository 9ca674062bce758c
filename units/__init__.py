"""Printed unit names → canonical units within their city (the `units` layer).

Imports only `parsers/` (for text normalisation and the CSV reader). Split by
job: `catalog` (the department catalog and wording vocabularies),
`places` (administrative divisions), `rules` (the ordered rules that decide
an identity: `normalise_unit`), `aliases` (the analyst's alias file) and
`identity` (what is decided, and the columns it fills).
"""

from .aliases import Alias, AliasFileError, AliasTable, default_aliases_path
from .catalog import UNIT_KINDS, catalog, wording
from .identity import MAX_CANDIDATES, REVIEW_RULES, Candidate, UnitIdentity, identity_columns
from .places import divisions
from .rules import normalise_unit

__all__ = [
    "Alias", "AliasFileError", "AliasTable", "default_aliases_path", "UNIT_KINDS", "catalog", "wording",
    "MAX_CANDIDATES", "REVIEW_RULES", "Candidate", "UnitIdentity", "identity_columns", "divisions", "normalise_unit",
]
