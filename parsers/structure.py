"""Format-free shaping of a read document: the same steps for PDF, DOCX, text.

Readers emit raw tables as they find them. ``shape_document`` returns a new
document whose tables are new ``Table`` objects (the raw ones kept in each
one's ``sources``); in order, it
joins tables that continue across a blank line or page break, splits a
table where a caption row inside it starts a new one, binds each table's
caption (the short paragraphs above it, then caption rows printed inside it
above the header), finds its header rows (expanding a header merged over
two or three rows), unstacks side-by-side layouts (`部门 信息更新量 部门
信息更新量`) and gives every row its role.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .header_grid import MAX_HEADER_ROWS, expand_header, packed_count
from .model import Document, Paragraph, Row, Table
from .periods import find_period
from .table_facts import classify_row, column_roles
from .textnorm import clean_name
from .vocab import header_role

MAX_CAPTION_PARAGRAPHS = 3
MAX_CAPTION_CHARS = 80
MIN_CAPTION_ROW_CHARS = 16  # a one-cell row this long above a header is a caption, not a group name
_ANNEX_LABEL = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[:：]?$")
_SENTENCE_END = re.compile(r"[。；;：:]$")
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")  # a signature's date, never a caption
_CAPTION_END = re.compile(r"(表|情况|统计|排名|名单)[)）]?$")


def shape_document(doc: Document) -> Document:
    """Given a document as read, return a new one with its tables joined,
    split at inner captions, captioned, headed, unstacked and their rows given roles."""
    blocks = [_copy(b) if isinstance(b, Table) else b for b in doc.blocks]
    blocks = join_continued_tables(blocks)
    blocks = [piece for b in blocks for piece in (split_at_inner_captions(b) if isinstance(b, Table) else [b])]
    bind_captions(blocks)
    shaped = []
    for block in blocks:
        if isinstance(block, Table):
            block = assign_roles(unstack_side_by_side(split_header(block)))
        shaped.append(block)
    return replace(doc, blocks=shaped, notes=list(doc.notes))


def _copy(raw: Table) -> Table:
    return replace(
        raw, rows=list(raw.rows), caption_paragraphs=list(raw.caption_paragraphs), warnings=list(raw.warnings),
        sources=[raw],
    )


def join_continued_tables(blocks: list) -> list:
    """Given blocks in order, return them with each table that directly follows
    a table of the same width (and no new header of its own) merged into it,
    and a table of caption rows only merged into the table under it."""
    joined: list = []
    # The last joined table's width and whether it is all caption rows, kept
    # up to date as tables are merged into it: recomputing them from its
    # rows at every merge made thousands of tables in a row quadratic.
    last_width, last_captions, last_header = 0, False, None
    for block in blocks:
        previous = joined[-1] if joined else None
        if isinstance(previous, Table) and (last_header is None or last_header[0] != len(previous.rows)):
            # the first header lies in the first rows: once they are all there, it is settled
            if last_header is None or len(previous.rows) <= HEADER_SEARCH_ROWS + MAX_HEADER_ROWS:
                last_header = (len(previous.rows), _header_index(previous.rows))
            else:
                last_header = (len(previous.rows), last_header[1])
        if isinstance(block, Table) and isinstance(previous, Table) and (
            _continues(previous, block, last_width, last_header[1]) or last_captions
        ):
            hint = previous.header_at
            if hint is None and block.header_at is not None:
                hint = len(previous.rows) + block.header_at
            previous.rows.extend(block.rows)
            joined[-1] = replace(
                previous, header_at=hint, warnings=previous.warnings + block.warnings,
                cut_row=block.cut_row, sources=previous.sources + block.sources,
            )
            last_width = max(last_width, _width(block))
            last_captions = last_captions and _only_caption_rows(block) and block.cut_row is None
        else:
            if isinstance(block, Table):
                block = replace(block, rows=list(block.rows))  # merged into below: never the caller's list
                last_width, last_captions, last_header = _width(block), _only_caption_rows(block), None
            joined.append(block)
    return joined


_UNKNOWN = object()


def _continues(first: Table, second: Table, first_width: int | None = None, first_header=_UNKNOWN) -> bool:
    if first.cut_row is not None:
        return False
    if (_width(first) if first_width is None else first_width) != _width(second):
        return False
    if first_header is _UNKNOWN:
        first_header = _header_index(first.rows)
    second_header = _header_index(second.rows)
    if second_header is None:
        return True
    if first_header is None:
        return False
    return _header_key(first.rows[first_header]) == _header_key(second.rows[second_header])


def _width(table: Table) -> int:
    return max((len(r.cells) for r in table.rows if not r.is_blank()), default=0)


def _only_caption_rows(table: Table) -> bool:
    return bool(table.rows) and table.cut_row is None and all(_is_caption_row(r) for r in table.rows)


def _is_caption_row(row: Row) -> bool:
    """A row printing one cell, first, that reads as a table's title: it ends
    in 表/情况/…, names a period, or is too long for a group name."""
    filled = [c for c in row.cells if c.strip()]
    if len(filled) != 1 or not row.cells[0].strip():
        return False
    text = clean_name(filled[0])
    return bool(
        _CAPTION_END.search(text) or len(text) >= MIN_CAPTION_ROW_CHARS or (find_period(text) and "年" in text)
    )


def split_at_inner_captions(table: Table) -> list[Table]:
    """Given a table, return it split before each caption row (below its first
    body row) that sits directly above a header row: a second table printed
    in the same grid, such as `(二)政府组成部门…统计表` over `单位 | …`."""
    starts = [0]
    seen_body = False
    for i, row in enumerate(table.rows):
        if _header_index([row]) is not None or _is_caption_row(row) or row.is_blank():
            pass
        else:
            seen_body = True
        if (
            seen_body
            and i + 1 < len(table.rows)
            and _is_caption_row(row)
            and _header_index([table.rows[i + 1]]) is not None
        ):
            starts.append(i)
            seen_body = False
    if len(starts) == 1:
        return [table]
    pieces = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(table.rows)
        last = n + 1 == len(starts)
        hint = table.header_at - start if table.header_at is not None and start <= table.header_at < end else None
        pieces.append(
            replace(
                table, rows=table.rows[start:end], origin=table.rows[start].origin if n else table.origin,
                caption_paragraphs=table.caption_paragraphs if n == 0 else [], header_at=hint,
                warnings=table.warnings if last else [], cut_row=table.cut_row if last else None,
            )
        )
    return pieces


def bind_captions(blocks: list) -> None:
    """Given blocks in order, set each table's caption to the short paragraphs
    right above it (stopping at an `附件N` label, a sentence, a date line, or
    another table)."""
    for index, block in enumerate(blocks):
        if not isinstance(block, Table):
            continue
        caption: list[Paragraph] = []
        j = index - 1
        while j >= 0 and len(caption) < MAX_CAPTION_PARAGRAPHS:
            candidate = blocks[j]
            if not isinstance(candidate, Paragraph):
                break
            text = candidate.text.strip()
            if (
                len(clean_name(text)) > MAX_CAPTION_CHARS
                or (_SENTENCE_END.search(text) and caption)
                or _DATE_LINE.match(clean_name(text))
            ):
                break
            caption.insert(0, Paragraph(text, candidate.origin, candidate.heading_level))
            if _ANNEX_LABEL.match(clean_name(text)):
                break
            j -= 1
        block.caption_paragraphs = caption


def split_header(table: Table) -> Table:
    """Given a table, return it with caption rows printed at its top moved to
    its caption, then its header rows (the first row naming a unit column and
    a metric, plus the header lines under it; else the header a reader found
    by the layout, see ``Table.header_count``), then the body."""
    rows = list(table.rows)
    captions = []
    while rows and _is_caption_row(rows[0]) and _header_index(rows[:1]) is None:
        captions.append(Paragraph(next(c for c in rows[0].cells if c.strip()).strip(), rows[0].origin))
        rows = rows[1:]
    caption_paragraphs = table.caption_paragraphs + captions
    index = _header_index(rows)
    if index is None and table.header_at is not None and table.header_at >= len(captions):
        index = table.header_at - len(captions)
    if index is None:
        return replace(table, rows=rows, header_count=0, header_at=None, caption_paragraphs=caption_paragraphs)
    header, follower = _header_rows(rows, index)
    return replace(
        table,
        rows=header + rows[:index] + rows[follower:],
        header_count=len(header),
        header_at=None,
        caption_paragraphs=caption_paragraphs,
    )


def _header_rows(rows: list[Row], index: int) -> tuple[list[Row], int]:
    """Given rows and the index of the first header row, return the header
    rows (a merged header expanded to a full grid) and the index after them."""
    width = max(len(r.cells) for r in rows)
    merged = _merged_header(rows, index, width)
    if merged is not None:
        return merged, index + len(merged)
    header = [rows[index]]
    follower = index + 1
    if follower < len(rows) and _is_sub_header(rows[follower]):
        header.append(rows[follower])
        follower += 1
    return header, follower


def _merged_header(rows: list[Row], index: int, width: int) -> list[Row] | None:
    """A header printed left-packed (each merged cell once, the row padded
    with empty cells at its end) over the rows under it, up to the first row
    holding a number."""
    top = packed_count(rows[index].cells)
    if top is None or top >= width:
        return None
    below = []
    for row in rows[index + 1 : index + MAX_HEADER_ROWS]:
        count = packed_count(row.cells)
        if count is None or count >= width or any(re.search(r"\d", c) and not header_role(c) for c in row.cells if c.strip()):
            break
        below.append(row)
    for take in range(len(below), 0, -1):
        group = [rows[index]] + below[:take]
        grid = expand_header([r.cells for r in group], width)
        if grid is not None:
            return [Row(cells, r.origin) for cells, r in zip(grid, group)]
    return None


HEADER_SEARCH_ROWS = 40


def _header_index(rows: list[Row]) -> int | None:
    """Given rows, return the index of the first header row: one naming the
    unit column and a metric, or naming the unit column over left-packed
    header lines (no figures) that name a metric (a merged header)."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        roles = [header_role(c) for c in row.cells if c.strip()]
        if "unit" not in roles:
            continue
        if _names_metric(roles):
            return i
        if packed_count(row.cells) is not None:
            for lower in rows[i + 1 : i + MAX_HEADER_ROWS]:
                cells = [c for c in lower.cells if c.strip()]
                if packed_count(lower.cells) is None or any(re.search(r"\d", c) for c in cells):
                    break
                if _names_metric([header_role(c) for c in cells]):
                    return i
    return None


def _names_metric(roles: list) -> bool:
    return any(r not in (None, "unit", "group", "ignore") for r in roles)


def _is_sub_header(row: Row) -> bool:
    """A second header line: no numbers, and at least one known metric name."""
    cells = [c for c in row.cells if c.strip()]
    if not cells or any(re.search(r"\d", c) for c in cells):
        return False
    return any(header_role(c) not in (None, "unit", "group") for c in cells)


def _header_key(row: Row) -> tuple:
    return tuple(clean_name(c) for c in row.cells if c.strip())


def unstack_side_by_side(table: Table) -> Table:
    """Given a headed table whose header repeats k times across the row,
    return it as one column set: the left copy's rows, then the next copy's."""
    if table.header_count != 1:
        return table
    header = table.header_rows[0]
    cells = header.cells
    width = _repeat_width(cells)
    if width is None:
        return table
    copies = len(cells) // width
    body: list[Row] = []
    for k in range(copies):
        for row in table.body_rows:
            chunk = row.cells[k * width : (k + 1) * width]
            chunk += [""] * (width - len(chunk))
            confidences = None
            if row.confidences is not None:
                confidences = row.confidences[k * width : (k + 1) * width]
                confidences += [None] * (width - len(confidences))
            if any(c.strip() for c in chunk):
                body.append(Row(chunk, row.origin, confidences=confidences))
    return replace(table, rows=[Row(cells[:width], header.origin)] + body, unstacked_from=copies)


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


def assign_roles(table: Table) -> Table:
    """Given a headed table, return it with each row's role set: `header` for
    the header rows; for body rows `blank`, `header` (a repeated header),
    `group`, `total`, `note` or `unit`, read against the unit column. With no
    unit column recognised, body rows keep role None."""
    roles = column_roles(table.header_rows)
    unit_col = roles.index("unit") if "unit" in roles else None
    header_keys = {_header_key(r) for r in table.header_rows}
    rows = [Row(r.cells, r.origin, "header", r.confidences) for r in table.header_rows]
    for row in table.body_rows:
        role = classify_row(row, unit_col, header_keys) if unit_col is not None else None
        rows.append(Row(row.cells, row.origin, role, row.confidences))
    return replace(table, rows=rows)

