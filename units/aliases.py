"""The analyst's alias file: corrections that win over every rule.

`aliases.csv` beside the warehouse, one line per (city or `*`, printed name);
see docs/units.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from parsers.textnorm import clean_name

from .catalog import UNIT_KINDS, catalog
from .identity import UnitIdentity


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

    def merged(self, other: "AliasTable") -> "AliasTable":
        """Return this table with `other`'s entries added; `other` wins on the same (city, name)."""
        return AliasTable(self.entries + other.entries, other.source or self.source)

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
        return cls.from_text(Path(path).read_text(encoding="utf-8-sig"), str(path))

    @classmethod
    def from_text(cls, text: str, path: str) -> "AliasTable":
        """Given an alias file's text and where it came from, return its table;
        raise AliasFileError naming a bad line."""
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
                                     "(see units/data/departments.csv); leave it empty for a unit outside the catalog")
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
