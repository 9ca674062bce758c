"""Format-free shaping of a read document: the same steps for PDF, DOCX, text.

Readers emit tables as they find them; this module, in order,
joins tables that continue across a blank line or page break, binds each
table's caption (the short paragraphs above it), finds its header rows, and
unstacks side-by-side layouts (`部门 信息更新量 部门 信息更新量`).
"""

from __future__ import annotations

import re

from .model import Document, Paragraph, Row, Table
from .textnorm import clean_name
from .vocab import header_role

MAX_CAPTION_PARAGRAPHS = 3
MAX_CAPTION_CHARS = 80
_ANNEX_LABEL = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[:：]?$")
_SENTENCE_END = re.compile(r"[。；;：:]$")


def shape_document(doc: Document) -> Document:
    """Given a document as read, return it with tables joined, captioned, headed and unstacked."""
    blocks = join_continued_tables(doc.blocks)
    bind_captions(blocks)
    for block in blocks:
        if isinstance(block, Table):
            split_header(block)
            unstack_side_by_side(block)
    doc.blocks = blocks
    return doc


def join_continued_tables(blocks: list) -> list:
    """Given blocks in order, return them with each table that directly follows
    a table of the same width (and no new header of its own) merged into it."""
    joined: list = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if isinstance(block, Table) and isinstance(previous, Table) and _continues(previous, block):
            previous.rows.extend(block.rows)
        else:
            joined.append(block)
    return joined


def _continues(first: Table, second: Table) -> bool:
    if _width(first) != _width(second):
        return False
    first_header = _header_index(first.rows)
    second_header = _header_index(second.rows)
    if second_header is None:
        return True
    if first_header is None:
        return False
    return _header_key(first.rows[first_header]) == _header_key(second.rows[second_header])


def _width(table: Table) -> int:
    return max((len(r.cells) for r in table.rows if not r.is_blank()), default=0)


def bind_captions(blocks: list) -> None:
    """Given blocks in order, set each table's caption to the short paragraphs
    right above it (stopping at an `附件N` label, a sentence, or another table)."""
    for index, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        caption: list[str] = []
        j = index - 1
        while j >= 0 and len(caption) < MAX_CAPTION_PARAGRAPHS:
            candidate = blocks[j]
            if not isinstance(candidate, Paragraph):
                break
            text = candidate.text.strip()
            if len(clean_name(text)) > MAX_CAPTION_CHARS or (_SENTENCE_END.search(text) and caption):
                break
            caption.insert(0, text)
            if _ANNEX_LABEL.match(clean_name(text)):
                break
            j -= 1
        block.caption = caption


def split_header(table: Table) -> None:
    """Given a table, set its header rows (the first row naming a unit column
    and a metric, plus a second header line under it) and body rows (the rest)."""
    index = _header_index(table.rows)
    if index is None:
        table.header_rows, table.body_rows = [], list(table.rows)
        return
    header = [table.rows[index]]
    rest = table.rows[:index] + table.rows[index + 1 :]
    follower = index + 1
    if follower < len(table.rows) and _is_sub_header(table.rows[follower]):
        header.append(table.rows[follower])
        rest = table.rows[:index] + table.rows[follower + 1 :]
    table.header_rows, table.body_rows = header, rest


def _header_index(rows: list[Row]) -> int | None:
    for i, row in enumerate(rows[:40]):
        roles = [header_role(c) for c in row.cells if c.strip()]
        if "unit" in roles and any(r not in (None, "unit", "group", "ignore") for r in roles):
            return i
    return None


def _is_sub_header(row: Row) -> bool:
    """A second header line: no numbers, and at least one known metric name."""
    cells = [c for c in row.cells if c.strip()]
    if not cells or any(re.search(r"\d", c) for c in cells):
        return False
    return any(header_role(c) not in (None, "unit", "group") for c in cells)


def _header_key(row: Row) -> tuple:
    return tuple(clean_name(c) for c in row.cells if c.strip())


def unstack_side_by_side(table: Table) -> None:
    """Given a headed table whose header repeats k times across the row,
    return it as one column set: the left copy's rows, then the next copy's."""
    if len(table.header_rows) != 1:
        return
    header = table.header_rows[0]
    cells = header.cells
    width = _repeat_width(cells)
    if width is None:
        return
    copies = len(cells) // width
    body: list[Row] = []
    for k in range(copies):
        for row in table.body_rows:
            chunk = row.cells[k * width : (k + 1) * width]
            chunk += [""] * (width - len(chunk))
            if any(c.strip() for c in chunk):
                body.append(Row(chunk, row.origin))
    table.header_rows = [Row(cells[:width], header.origin)]
    table.body_rows = body
    table.unstacked_from = copies


def _repeat_width(cells: list[str]) -> int | None:
    keys = [clean_name(c) for c in cells]
    n = len(keys)
    for width in range(2, n // 2 + 1):
        if n % width:
            continue
        first = keys[:width]
        if header_role(cells[0]) != "unit" and "unit" not in [header_role(c) for c in cells[:width]]:
            continue
        if all(keys[k * width : (k + 1) * width] == first for k in range(1, n // width)):
            return width
    return None
