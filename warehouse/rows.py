"""Given a parsed bulletin, return the rows each warehouse table gets.

Plain functions, one per table; `ingest/` calls them after parsing and tests
call them directly. Unit identity comes from `units` (`normalise_unit`,
`identity_columns`), the same functions `warehouse.unit_identities` uses
when it re-identifies loaded rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from parsers.bulletin import ParsedBulletin
from parsers.periods import Period, period_fields
from parsers.textnorm import clean_name, clean_prose
from units import identity_columns, normalise_unit
from units.issuer_place import Place, place_by_name, place_from_text, resolve_issuer_place


@dataclass
class PreparedBulletin:
    """Everything one bulletin contributes to the warehouse, ready to insert."""

    bulletin_id: str
    source_file: str
    bulletin: dict
    unit_metrics: list[dict]
    bulletin_tables: list[dict]
    table_totals: list[dict]
    bulletin_statistics: list[dict] = field(default_factory=list)
    unit_findings: list[dict] = field(default_factory=list)
    table_cells: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def prepare(parsed: ParsedBulletin, source_file: str) -> PreparedBulletin:
    """Given a parsed bulletin, return the rows each warehouse table gets."""
    place = issuer_place(parsed)
    if place is not None and place.name != parsed.meta.city:
        parsed = replace(parsed, meta=replace(parsed.meta, city=place.name))
    meta = parsed.meta
    bulletin = {
        "bulletin_id": parsed.bulletin_id,
        "city": meta.city,
        "issuer": meta.issuer,
        "doc_number": meta.doc_number,
        "title": meta.title,
        "published_date": meta.published_date,
        **period_fields(meta.period),
        "source_file": source_file,
        "format": parsed.document.format,
        "parser_version": parsed.parser_version,
        "tables_found": len(parsed.tables),
        "warnings": "\n".join(parsed.warnings) or None,
        "ocr": parsed.document.ocr,
        "ocr_confidence": parsed.document.ocr_confidence,
        "admin_level": place.level if place else None,
        "prefecture": place.prefecture if place else None,
        "province": place.province if place else None,
        "admin_code": place.code if place else None,
        "published_date_source": meta.published_date_source,
    }
    return PreparedBulletin(
        bulletin_id=parsed.bulletin_id,
        source_file=source_file,
        bulletin=bulletin,
        unit_metrics=unit_metric_rows(parsed),
        bulletin_tables=table_rows(parsed),
        table_totals=total_rows(parsed),
        bulletin_statistics=statistic_rows(parsed),
        unit_findings=finding_rows(parsed),
        table_cells=cell_rows(parsed),
        warnings=list(parsed.warnings),
    )


def issuer_place(parsed: ParsedBulletin) -> Place | None:
    """Given a parsed bulletin, return its issuing place: from the issuer's texts, else
    (when the parser read no city) from the places its text names."""
    meta = parsed.meta
    tables = parsed.document.tables
    texts = [p.text for p in parsed.document.paragraphs]
    texts += [cell for table in tables for row in table.rows for cell in row.cells]
    texts += [line for table in tables for line in table.caption]
    place = resolve_issuer_place(meta.place_hints, texts)
    if place is None and meta.city:
        return place_by_name(meta.city)
    return place or place_from_text(meta.place_hints, texts)


def unit_metric_rows(parsed: ParsedBulletin) -> list[dict]:
    """Given a parsed bulletin, return its `unit_metrics` rows (lineage included)."""
    meta = parsed.meta
    printed = _printed(parsed)
    rows = []
    for table in parsed.tables:
        period = table.period or meta.period
        for fact in table.metrics:
            identity = normalise_unit(fact.unit_raw, meta.city, fact.unit_group)
            rows.append(
                {
                    "bulletin_id": parsed.bulletin_id,
                    "table_index": fact.table_index,
                    "city": meta.city,
                    "period_year": period.year if period else None,
                    "period_quarter": period.quarter if period else None,
                    "unit_group": printed(fact.unit_group),
                    "unit_raw": printed(fact.unit_raw),
                    **_identity(identity, ("unit_name", "unit_function", "unit_kind")),
                    "metric": fact.metric,
                    "value": fact.value,
                    "value_raw": printed(fact.value_raw),
                    "header_raw": printed(fact.header_raw),
                    "row_index": fact.row_index,
                    **_identity(identity, ("match_rule",)),
                    "source_line": fact.origin.line,
                    "source_page": fact.origin.page,
                    "scope": fact.scope,
                    "outlet": fact.outlet,
                    "evidence": "table",
                    "col_index": fact.col_index,
                    "ocr_confidence": fact.confidence,
                    **_extra_period(period),
                }
            )
    rows.extend(prose_metric_rows(parsed))
    return rows


def prose_metric_rows(parsed: ParsedBulletin) -> list[dict]:
    """Given a parsed bulletin, return the `unit_metrics` rows of the per-unit figures
    its sentences state (evidence `prose`, no table; the sentence is the lineage)."""
    meta = parsed.meta
    printed, sentence = _printed(parsed), _printed(parsed, clean_prose)
    rows = []
    for fact in parsed.unit_counts:
        identity = normalise_unit(fact.unit_raw, meta.city, None)
        period = fact.period
        rows.append(
            {
                "bulletin_id": parsed.bulletin_id,
                "table_index": None,
                "city": meta.city,
                "period_year": period.year if period else None,
                "period_quarter": period.quarter if period else None,
                "unit_group": None,
                "unit_raw": printed(fact.unit_raw),
                **_identity(identity, ("unit_name", "unit_function", "unit_kind")),
                "metric": fact.metric,
                "value": fact.value,
                "value_raw": printed(fact.value_raw),
                "header_raw": fact.header_raw,
                "row_index": None,
                **_identity(identity, ("match_rule",)),
                "source_line": fact.origin.line,
                "source_page": fact.origin.page,
                "scope": "period",
                "outlet": None,
                "evidence": "prose",
                "col_index": None,
                "sentence": sentence(fact.sentence),
                **_extra_period(period),
            }
        )
    return rows


def cell_rows(parsed: ParsedBulletin) -> list[dict]:
    """Given a parsed bulletin, return one `table_cells` row per printed cell (text as printed)."""
    printed = _printed(parsed)
    return [
        {
            "bulletin_id": parsed.bulletin_id,
            "table_index": c.table_index,
            "row_index": c.row_index,
            "col_index": c.col_index,
            "header_raw": printed(c.header_raw) or None,
            "row_role": c.row_role,
            "unit_raw": printed(c.unit_raw),
            "text": printed(c.text),
            "number": c.number,
            "source_line": c.origin.line,
            "source_page": c.origin.page,
            "unit_group": printed(c.unit_group),
            "unit_row": c.unit_row,
            "col_role": c.col_role,
            "ocr_confidence": c.confidence,
        }
        for facts in parsed.tables
        for c in facts.cells
    ]


def table_rows(parsed: ParsedBulletin) -> list[dict]:
    """Given a parsed bulletin, return one `bulletin_tables` row per table."""
    rows = []
    printed = _printed(parsed)
    for table, facts in zip(parsed.document.tables, parsed.tables):
        period = facts.period or parsed.meta.period
        rows.append(
            {
                "bulletin_id": parsed.bulletin_id,
                "table_index": facts.table_index,
                "caption": _printed(parsed, clean_prose)(facts.caption) or None,
                "period_year": period.year if period else None,
                "period_quarter": period.quarter if period else None,
                "columns": " | ".join(f"{printed(k)}={v}" for k, v in facts.columns.items()) or None,
                "unit_rows": len({m.row_index for m in facts.metrics}),
                "source_line": table.origin.line,
                "source_page": table.origin.page,
                **_extra_period(period),
                "source_file": table.source or parsed.document.source,
            }
        )
    return rows


def total_rows(parsed: ParsedBulletin) -> list[dict]:
    """Given a parsed bulletin, return its printed 合计/总计 rows, kept for reconciliation."""
    printed = _printed(parsed)
    return [
        {
            "bulletin_id": parsed.bulletin_id,
            "table_index": t.table_index,
            "label_raw": printed(t.label_raw),
            "metric": t.metric,
            "value": t.value,
            "value_raw": printed(t.value_raw),
            "source_line": t.origin.line,
            "source_page": t.origin.page,
            "ocr_confidence": t.confidence,
        }
        for facts in parsed.tables
        for t in facts.totals
    ]


def statistic_rows(parsed: ParsedBulletin) -> list[dict]:
    """Given a parsed bulletin, return its `bulletin_statistics` rows."""
    printed, sentence = _printed(parsed), _printed(parsed, clean_prose)
    return [
        {
            "bulletin_id": parsed.bulletin_id,
            "city": parsed.meta.city,
            "period_year": s.period.year if s.period else None,
            "period_quarter": s.period.quarter if s.period else None,
            "statistic": s.statistic,
            "value": s.value,
            "sentence": sentence(s.sentence),
            "label": printed(s.label),
            "source_line": s.origin.line,
            "source_page": s.origin.page,
            "source_block": s.origin.block,
            "ocr_confidence": s.origin.confidence,
            **_extra_period(s.period),
        }
        for s in parsed.statistics + parsed.other_statistics
    ]


def finding_rows(parsed: ParsedBulletin) -> list[dict]:
    """Given a parsed bulletin, return its `unit_findings` rows. A sentence that
    counts zero-report units without naming them names the units its own
    tables show with 0 submitted in that period (evidence `table_zero`). An
    account or site printed without its unit is owned by the unit its name
    spells (`商丘市医保局` → 医疗保障局), else by nobody (unit columns NULL)."""
    rows = []
    seen: set[tuple] = set()
    printed, sentence = _printed(parsed), _printed(parsed, clean_prose)
    for finding in parsed.findings:
        if finding.unit_raw:
            names = [finding.unit_raw]
        elif finding.evidence == "table_zero":
            names = _zero_submitters(parsed, finding.period)
        else:
            names = [_owner_by_name(finding.subject_name, parsed.meta.city)]
        for name in names:
            key = (finding.finding, name, finding.subject_name, finding.period)
            if name and key in seen:
                continue  # a unit the tables already name for this finding, listed again in the prose
            seen.add(key)
            identity = normalise_unit(name, parsed.meta.city, None) if name else None
            rows.append(
                {
                    "bulletin_id": parsed.bulletin_id,
                    "city": parsed.meta.city,
                    "period_year": finding.period.year if finding.period else None,
                    "period_quarter": finding.period.quarter if finding.period else None,
                    "unit_raw": printed(name),
                    **_identity(identity, ("unit_name", "unit_function", "unit_kind")),
                    "finding": finding.finding,
                    "sentence": sentence(finding.sentence),
                    "evidence": finding.evidence,
                    **_identity(identity, ("match_rule",)),
                    "source_line": finding.origin.line,
                    "source_page": finding.origin.page,
                    "label": printed(finding.label),
                    "polarity": finding.polarity,
                    "subject_kind": finding.subject_kind,
                    "subject_name": printed(finding.subject_name),
                    "platform": finding.platform,
                    "source_block": finding.origin.block,
                    "ocr_confidence": finding.origin.confidence,
                    **_extra_period(finding.period),
                }
            )
    return rows


def _owner_by_name(name: str | None, city: str | None) -> str | None:
    """Given an account's printed name, return it when it names a catalog unit
    (`商丘市医保局`, `茂名应急管理`: the catalog's fuzzy match, with its margin)."""
    if not name:
        return None
    return name if normalise_unit(name, city, None).unit_function else None


def _zero_submitters(parsed: ParsedBulletin, period: Period | None) -> list[str]:
    names: list[str] = []
    for table in parsed.tables:
        if (table.period or parsed.meta.period) != period:
            continue
        for fact in table.metrics:
            if fact.metric == "submitted" and fact.headline and fact.value == 0 and fact.unit_raw not in names:
                names.append(fact.unit_raw)
    return names


def _identity(identity, names: tuple[str, ...]) -> dict:
    """Given an identity (None: no owning unit), return the named columns of it
    (kept in the tables' column order)."""
    if identity is None:
        return {name: None for name in names}
    columns = identity_columns(identity)
    return {name: columns[name] for name in names}


def _printed(parsed: ParsedBulletin, norm=clean_name):
    """Given a parsed bulletin, return text -> its printed form (identity for a
    document printed in simplified script). Facts are read in simplified script;
    the *_raw columns keep what was printed."""
    forms = parsed.document.printed
    return (lambda text: forms.printed(text, norm)) if forms else (lambda text: text)


def _extra_period(period: Period | None) -> dict:
    """The period columns added after period_year/period_quarter (at the tables' end)."""
    fields = period_fields(period)
    return {k: fields[k] for k in ("period_grain", "period_start", "period_end", "period_month")}
