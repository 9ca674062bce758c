"""Read bulletins copied off web pages or converted to text.

Three table dialects are recognised line by line, by content:

* cell-per-line: each cell on its own line ending in ` |`, rows separated by
  lines of bars (`||||||||`) — what copying a web table gives (seed 000);
* tab-separated rows (PDF-to-text converters, seed 004);
* markdown pipe rows (`| a | b |`, with an optional `|---|` rule).

Everything else is prose, one paragraph per line (`#` headings keep their
level). A blank line or page break ends a table block; ``parsers.structure``
joins blocks that continue the same table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .deadline import check_deadline
from .decode import decode_text
from .errors import EmptyDocument, TooLarge
from .limits import Limits
from .model import Document, Origin, Paragraph, Row, Table

_BAR_SEPARATOR = re.compile(r"^\s*\|{2,}\s*$")
_BAR_SEPARATOR_THEN_CELL = re.compile(r"^\s*(\|{2,})\s*(\S.*\|)\s*$")
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
            yield _paragraph(line)
            i += 1


def _paragraph(line: _Line) -> Paragraph:
    heading = _HEADING.match(line.text)
    if heading:
        return Paragraph(heading.group("text").strip(), Origin(line=line.number), len(heading.group("marks")))
    return Paragraph(_LIST_MARK.sub("", line.text), Origin(line=line.number))


def _cell_per_line_table(lines: list[_Line], i: int) -> tuple[Table, int]:
    rows: list[Row] = []
    cells: list[str] = []
    first_line = lines[i].number
    row_start = first_line

    def flush() -> None:
        nonlocal cells
        if cells:
            rows.append(Row(cells, Origin(line=row_start)))
        cells = []

    while i < len(lines):
        line = lines[i]
        if line.kind == "cell":
            if not cells:
                row_start = line.number
            cells.append(line.cells[0])
        elif line.kind == "bar":
            flush()
        elif line.kind == "blank" and _next_kind(lines, i) in ("cell", "bar"):
            pass  # a stray blank line inside a copied table
        else:
            break
        i += 1
    flush()
    return Table(rows, Origin(line=first_line)), i


def _row_per_line_table(lines: list[_Line], i: int, kind: str) -> tuple[Table, int]:
    kinds = {"tsv"} if kind == "tsv" else {"md", "md_rule"}
    rows: list[Row] = []
    first_line = lines[i].number
    while i < len(lines) and lines[i].kind in kinds:
        if lines[i].kind != "md_rule":
            rows.append(Row(lines[i].cells, Origin(line=lines[i].number)))
        i += 1
    return Table(rows, Origin(line=first_line)), i


def _next_kind(lines: list[_Line], i: int) -> str:
    for line in lines[i + 1 :]:
        if line.kind != "blank":
            return line.kind
    return "end"
