"""The normalisation step between reading and shaping, the same for every format.

Given a read document, repair what mirror sites did to its text and make the
copy interpretation reads:

* inline pinyin glosses (`區(qū)`) and stray mojibake list markers (`?。`) are
  removed from the text itself: they are damage, not what the bulletin printed;
* a document printed in traditional script is converted to simplified for
  interpretation; its printed form of every paragraph and cell is kept in
  ``Document.printed`` so the `*_raw` columns, titles and issuers stay as printed.

A document printed in simplified script passes through unchanged.
"""

from __future__ import annotations

import re

from .model import Document, Row, Table
from .script import is_traditional, strip_glosses, to_simplified

# A paragraph opening with question marks or replacement characters (a list
# marker the mirror could not encode), optionally followed by a stray 。/、.
_MOJIBAKE_LEAD = re.compile(r"^(?P<lead>\s*)[?？\ufffd](?:[\s?？\ufffd]*)[。、]?(?=\S|$)")


def normalise_document(doc: Document) -> Document:
    """Given a read document, return it repaired and, if traditional, converted (in place)."""
    for paragraph in doc.paragraphs + doc.margin_text:
        paragraph.text = _repair(paragraph.text)
    for table in doc.tables:
        _repair_table(table)
    if is_traditional(list(_texts(doc))):
        for paragraph in doc.paragraphs + doc.margin_text:
            paragraph.text = _convert(doc, paragraph.text)
        for table in doc.tables:
            _map_caption(table, lambda line: _convert(doc, line))
            for row in _rows(table):
                row.cells = [_convert(doc, cell) for cell in row.cells]
        doc.notes.append("script=traditional (interpreted in simplified; printed text kept)")
    return doc


def _repair(text: str) -> str:
    text = strip_glosses(text)
    if text.lstrip()[:1] in ("?", "？", "\ufffd"):
        text = _MOJIBAKE_LEAD.sub(r"\g<lead>", text, count=1)
    return text


def _repair_table(table: Table) -> None:
    _map_caption(table, strip_glosses)
    for row in _rows(table):
        row.cells = [strip_glosses(cell) for cell in row.cells]


def _map_caption(table: Table, change) -> None:
    """Apply `change` to each caption line (plain strings, or paragraphs with their origin)."""
    paragraphs = getattr(table, "caption_paragraphs", None)
    if paragraphs is not None:
        for paragraph in paragraphs:
            paragraph.text = change(paragraph.text)
    else:
        table.caption = [change(line) for line in table.caption]


def _rows(table: Table) -> list[Row]:
    """Every row a table holds, once (header and body rows may be views of `rows`)."""
    seen: dict[int, Row] = {}
    cut = getattr(table, "cut_row", None)
    for row in list(table.rows) + list(table.header_rows) + list(table.body_rows) + ([cut] if cut else []):
        seen.setdefault(id(row), row)
    return list(seen.values())


def _convert(doc: Document, text: str) -> str:
    simplified = to_simplified(text)
    doc.printed.add(simplified, text)
    return simplified


def _texts(doc: Document):
    for paragraph in doc.paragraphs + doc.margin_text:
        yield paragraph.text
    for table in doc.tables:
        yield from table.caption
        for row in _rows(table):
            yield from row.cells

