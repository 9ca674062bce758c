"""Read bulletins copied off web pages or converted to text.

Table dialects are recognised line by line, by content:

* cell-per-line: each cell on its own line ending in ` |`, rows separated by
  lines of bars (`||||||||`) — what copying a web table gives (seed 000). With
  no bars at all, the cells are reflowed by the header's width
  (``parsers.cell_stream``); a blank line between cells changes nothing;
* one cell per paragraph, with no bars at all: a run of short paragraphs
  opening with a known header that names a unit and a metric, reflowed the
  same way;
* tab-separated rows (PDF-to-text converters, seed 004); a one-cell line
  between two such rows (a group name, `县(市、区)`) stays in the table;
* markdown pipe rows (`| a | b |`, with an optional `|---|` rule), and pipe
  rows without the leading pipe (`a | b |`), padded with empty cells where a
  merged header cell was printed once.

Everything else is prose, one paragraph per line (`#` headings keep their
level). A blank line or page break ends a table block; ``parsers.structure``
joins blocks that continue the same table. A table at the very end of the
text whose last row stops short (a page stored only up to a length) keeps
its complete rows; the partial one becomes the table's ``cut_row`` and a
warning says the table was cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .deadline import check_deadline
from .decode import decode_text
from .errors import EmptyDocument, TooLarge
from .cell_stream import cell_kind, column_kinds, fits, fitting_rows, reflow
from .limits import Limits
from .model import Document, Origin, Paragraph, Row, Table
from .vocab import header_role

_BAR_SEPARATOR = re.compile(r"^\s*\|{2,}\s*$")
_BAR_SEPARATOR_THEN_CELL = re.compile(r"^\s*(\|{2,}+)\s*(\S.*\|)\s*$")  # possessive: linear on a line of many `|`
_MARKDOWN_ROW = re.compile(r"^\s*\|(?P<inner>.*)\|\s*$")
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.*)$")
_LIST_MARK = re.compile(r"^\s*[-*+]\s+")
_PAGE_BREAK = "\f"


@dataclass
class _Line:
    number: int
    kind: str  # bar, cell, tsv, md, md_rule, blank, text
    cells: list[str]
    text: str


def read_text(data: bytes, source: str, sha256: str, limits: Limits = Limits()) -> Document:
    """Given a text bulletin's bytes, return its document model."""
    text, encoding = decode_text(data, source)
    if len(text) > limits.max_text_chars:
        raise TooLarge(
            f"{source} holds {len(text):,} characters, over the max_text_chars limit "
            f"of {limits.max_text_chars:,}; raise the limit if the bulletin is genuine."
        )
    if not text.strip():
        raise EmptyDocument(f"{source} contains only whitespace.")
    lines = list(_classify(text))
    doc = Document(source=source, format="text", sha256=sha256, blocks=list(_blocks(lines)))
    dialects = sorted({line.kind for line in lines} & {"cell", "tsv", "md"})
    doc.notes.append(f"encoding={encoding}; table dialects={','.join(dialects) or 'none'}")
    return doc


def _classify(text: str) -> Iterator[_Line]:
    number = 0
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        number += 1
        if number % 2000 == 0:
            check_deadline()
        for piece in raw_line.split(_PAGE_BREAK) if _PAGE_BREAK in raw_line else [raw_line]:
            yield from _classify_line(number, piece)
            if _PAGE_BREAK in raw_line:
                yield _Line(number, "blank", [], "")


def _classify_line(number: int, line: str) -> Iterator[_Line]:
    stripped = line.strip()
    if not stripped:
        yield _Line(number, "blank", [], "")
        return
    if _BAR_SEPARATOR.match(line):
        yield _Line(number, "bar", [], stripped)
        return
    joined = _BAR_SEPARATOR_THEN_CELL.match(line)
    if joined and joined.group(2).count("|") == 1:
        yield _Line(number, "bar", [], joined.group(1))
        yield _Line(number, "cell", [joined.group(2)[:-1].strip()], stripped)
        return
    if "\t" in line and len([c for c in line.split("\t") if c.strip()]) >= 2:
        yield _Line(number, "tsv", [c.strip() for c in line.split("\t")], stripped)
        return
    if _MARKDOWN_RULE.match(line) and "|" in line:
        yield _Line(number, "md_rule", [], stripped)
        return
    md = _MARKDOWN_ROW.match(line)
    if md and md.group("inner").count("|") >= 1:
        yield _Line(number, "md", [c.strip() for c in md.group("inner").split("|")], stripped)
        return
    if stripped.endswith("|") and stripped.count("|") >= 2 and not stripped.startswith("|"):
        yield _Line(number, "md", [c.strip() for c in stripped[:-1].split("|")], stripped)
        return
    if stripped == "|" or (stripped.endswith("|") and stripped.count("|") == 1):
        yield _Line(number, "cell", [stripped[:-1].strip()], stripped)
        return
    yield _Line(number, "text", [], stripped)


def _blocks(lines: list[_Line]) -> Iterator[Paragraph | Table]:
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind == "blank":
            i += 1
        elif line.kind in ("cell", "bar"):
            table, i = _cell_per_line_table(lines, i)
            if table.rows:
                yield table
        elif line.kind in ("tsv", "md", "md_rule"):
            table, i = _row_per_line_table(lines, i, line.kind)
            if table.rows:
                yield table
        else:
            found = _paragraph_cells_table(lines, i)
            if found is not None:
                table, i = found
                yield table
                continue
            yield _paragraph(line)
            i += 1


def _paragraph(line: _Line) -> Paragraph:
    heading = _HEADING.match(line.text)
    if heading:
        return Paragraph(heading.group("text").strip(), Origin(line=line.number), len(heading.group("marks")))
    return Paragraph(_LIST_MARK.sub("", line.text), Origin(line=line.number))


def _cell_per_line_table(lines: list[_Line], i: int) -> tuple[Table, int]:
    """Given lines and the index of a cell or bar line, return the table they
    start and the index after it: rows broken at bar lines, or, with no bars,
    the cells reflowed by the header's width."""
    cells: list[tuple[str, int]] = []  # (text, line number)
    breaks: list[int] = []  # positions in `cells` where a bar line ends a row
    first_line = lines[i].number
    while i < len(lines):
        line = lines[i]
        if line.kind == "cell":
            cells.append((line.cells[0], line.number))
        elif line.kind == "bar":
            breaks.append(len(cells))
        elif line.kind == "blank" and _next_kind(lines, i) in ("cell", "bar"):
            pass  # a stray blank line inside a copied table
        else:
            break
        i += 1
    if breaks:
        rows, bounds = [], breaks + [len(cells)]
        start = 0
        for end in bounds:
            if end > start:
                rows.append(Row([c for c, _ in cells[start:end]], Origin(line=cells[start][1])))
            start = max(start, end)
        return Table(rows, Origin(line=first_line)), i
    return _reflowed_table(cells, lines, i, first_line)


def _reflowed_table(cells: list[tuple[str, int]], lines: list[_Line], i: int, first_line: int) -> tuple[Table, int]:
    texts = [c for c, _ in cells]
    shaped = reflow(texts)
    at_end = _next_kind(lines, i - 1) == "end"
    if shaped is not None and shaped.cut:
        tail = _cut_tail(lines, i)
        if tail is not None:  # the page stopped inside the cell after the last full one
            texts.append(tail.text)
            cells.append((tail.text, tail.number))
            shaped.cut.append(len(cells) - 1)
            i, at_end = len(lines), True
    if shaped is None:
        # Not a table by its content: keep every cell, as one row, as printed.
        rows = [Row(texts, Origin(line=cells[0][1]))] if cells else []
        tail = _cut_tail(lines, i)
        if rows and tail is not None and all(cell_kind(c) == "text" for c in texts):
            # Only a header, then the page stopped: the header row, cut.
            table = Table(rows, Origin(line=first_line), header_at=0)
            _mark_cut(table, Row([tail.text], Origin(line=tail.number)), len(texts))
            return table, len(lines)
        return Table(rows, Origin(line=first_line)), i
    full_rows = [row for row in shaped.rows if len(row) == shaped.width]
    empty_columns = {col for col in range(shaped.width) if all(not texts[row[col]].strip() for row in full_rows)}
    rows = [Row([texts[k]], Origin(line=cells[k][1])) for k in shaped.lead]
    for row in shaped.rows:
        kept = [k for col, k in enumerate(row) if col not in empty_columns or len(row) == 1]
        rows.append(Row([texts[k] for k in kept], Origin(line=cells[row[0]][1])))
    # The reflow found the header by its width: say so, for shaping.
    table = Table(rows, Origin(line=first_line), header_at=len(shaped.lead))
    if shaped.cut:
        _mark_cut(table, Row([texts[k] for k in shaped.cut], Origin(line=cells[shaped.cut[0]][1])), shaped.width, at_end)
    return table, i


MAX_PARAGRAPH_CELL_CHARS = 30


def _paragraph_cells_table(lines: list[_Line], i: int) -> tuple[Table, int] | None:
    """Given lines and the index of a text line, return the table its run of
    short paragraphs prints one cell per paragraph (`单位`, `报送数`, …, with
    or without blank lines between) and the index after it; None when the
    run does not open with a known header naming a unit and a metric, or
    does not reflow into rows."""
    if not _could_be_cell(lines[i]) or not header_role(lines[i].text):
        return None
    run: list[int] = []
    j = i
    while j < len(lines) and lines[j].kind in ("text", "blank"):
        if lines[j].kind == "text":
            if not _could_be_cell(lines[j]):
                break
            run.append(j)
        j += 1
    texts = [lines[k].text for k in run]
    shaped = reflow(texts)
    if shaped is None or shaped.lead:
        return None
    header_roles = [header_role(texts[k]) for k in shaped.rows[0]]
    if "unit" not in header_roles or not any(r not in (None, "unit", "group", "ignore") for r in header_roles):
        return None
    keep = fitting_rows(texts, shaped)
    if keep < 2:
        return None
    rows = [Row([texts[k] for k in row], Origin(line=lines[run[row[0]]].number)) for row in shaped.rows[:keep]]
    table = Table(rows, Origin(line=lines[i].number), header_at=0)
    used = shaped.rows[keep - 1][-1]
    rest = [k for k in run[used + 1 :]]
    at_end = keep == len(shaped.rows) and _next_kind(lines, j - 1) == "end" and shaped.cut
    if at_end and fits(texts, shaped.cut, column_kinds(texts, shaped)):
        cut = [run[k] for k in shaped.cut]
        _mark_cut(table, Row([lines[k].text for k in cut], Origin(line=lines[cut[0]].number)), shaped.width)
        return table, j
    # Paragraphs after the table's last row are read again as prose.
    return table, (rest[0] if rest else j)


def _could_be_cell(line: _Line) -> bool:
    return (
        line.kind == "text"
        and len(line.text) <= MAX_PARAGRAPH_CELL_CHARS
        and not _SENTENCE_END.search(line.text)
        and not _HEADING.match(line.text)
    )


def _row_per_line_table(lines: list[_Line], i: int, kind: str) -> tuple[Table, int]:
    """Given lines and the index of a tab-separated or pipe row, return the
    table of the rows that follow it and the index after them."""
    kinds = {"tsv"} if kind == "tsv" else {"md", "md_rule"}
    rows: list[Row] = []
    first_line = lines[i].number
    while i < len(lines):
        line = lines[i]
        if line.kind in kinds:
            if line.kind != "md_rule":
                rows.append(Row(line.cells, Origin(line=line.number)))
        elif kind == "tsv" and _is_group_line(lines, i):
            rows.append(Row([line.text], Origin(line=line.number)))
        else:
            break
        i += 1
    table = Table(rows, Origin(line=first_line))
    if kind != "tsv":
        tail = _cut_tail(lines, i)
        if tail is not None and "|" in tail.text:
            cells = [c.strip() for c in tail.text.strip().lstrip("|").split("|")]
            _mark_cut(table, Row(cells, Origin(line=tail.number)), table.width)
            i = len(lines)
    return table, i


MAX_GROUP_LINE_CHARS = 20


def _is_group_line(lines: list[_Line], i: int) -> bool:
    """A one-cell text line directly between two tab-separated rows (no blank
    line either side) is a row of the table: a group name such as `县(市、区)`."""
    line = lines[i]
    return (
        line.kind == "text"
        and 0 < i < len(lines) - 1
        and lines[i - 1].kind == "tsv"
        and lines[i + 1].kind == "tsv"
        and len(line.text) <= MAX_GROUP_LINE_CHARS
        and not _SENTENCE_END.search(line.text)
    )


_SENTENCE_END = re.compile(r"[。；;：:，,]$")


def _cut_tail(lines: list[_Line], i: int) -> _Line | None:
    """Given the index after a table, return the text line that ends the
    document right there (blank lines aside), or None: the start of a row
    the page stopped inside."""
    rest = []
    for j in range(i, len(lines)):  # stop at the second: linear over many tables
        line = lines[j]
        if line.kind != "blank":
            rest.append(line)
            if len(rest) > 1:
                return None
    if len(rest) == 1 and rest[0].kind == "text" and not _SENTENCE_END.search(rest[0].text):
        return rest[0]
    return None


def _mark_cut(table: Table, row: Row, width: int, at_end: bool = True) -> None:
    """Given a table and the partial row that ends it, keep the row aside and say why."""
    table.cut_row = row
    where = "a table was cut off: the text ends inside a row" if at_end else "a table ends with a partial row"
    table.warnings.append(
        f"{where} at {row.origin.describe()} "
        f"({len(row.cells)} of {width} cells: {' | '.join(row.cells)}); its complete rows are loaded, "
        "the partial row is kept as printed and not loaded"
    )


def _next_kind(lines: list[_Line], i: int) -> str:
    for line in lines[i + 1 :]:
        if line.kind != "blank":
            return line.kind
    return "end"
