"""Read Word 2007+ (DOCX) bulletins into the shared document model.

Why a reader of its own: tables in DOCX are real structure (merged cells,
nested tables, headers and text boxes), which a text export loses or garbles.
This module turns that structure into plain rows and leaves every format-free
decision (joining split tables, captions, header rows, side-by-side layouts)
to ``parsers.structure``.

Reading rules, chosen so a DOCX gives the same facts as its text twin:

* The body is walked in order (``w:p`` and ``w:tbl``, content controls
  ``w:sdt`` opened), one Paragraph per non-empty Word paragraph; empty
  paragraphs (including page and section breaks) are dropped so a table split
  by a break comes out as two adjacent tables that ``structure`` joins.
  Heading styles (``Heading N``/``标题 N``, ``Title``, or an outline level)
  set ``heading_level``.
* Cells are read from the XML, once per ``w:tc`` (python-docx's grid view
  repeats a merged cell at every grid position). A horizontal merge
  (``gridSpan``) gives the text once followed by empty strings, so a group
  row merged across the table still reads as a single-cell group row;
  ``gridBefore``/``gridAfter`` pad with empty strings. A vertical merge
  (``vMerge``) repeats the value in every row it covers: a merged cell
  applies to each row it spans, and for a group column (类别/分类) the
  interpretation's carry-down gives the same facts either way.
* Several paragraphs or line breaks in a cell are joined with nothing between
  Chinese characters and one space between Latin words or numbers.
* Nested tables are lifted out: each is emitted as its own Table right after
  its parent, and the parent cell keeps only its own paragraphs. A parent left
  with no text (a layout frame around the real table) is dropped, so the
  nested table takes its place and binds the caption above it.
* Trailing blank rows are dropped; a table over ``max_cells_per_table``
  cells is refused (TooLarge).
* Page headers, footers and text boxes (``w:txbxContent``; the VML fallback
  copy inside ``mc:Fallback`` is skipped) go to ``margin_text`` so the
  metadata reader can find a title, document number or date placed there.

Safety, before python-docx sees the bytes: the ZIP's declared uncompressed
total must stay under ``max_docx_uncompressed_bytes`` (zipfile never inflates
a member past its declared size — it stops and fails the CRC — so the
declared total bounds the work), and no XML part may declare a DTD (Word never
writes one; a DTD is how entity-expansion "billion laughs" bombs are built).
Independently, python-docx 1.2 parses every part with
``etree.XMLParser(remove_blank_text=True, resolve_entities=False)``
(``docx/oxml/parser.py`` and ``docx/opc/oxml.py``, read in the installed
source), so even a DTD that got past the first check would not be expanded;
with lxml 6.1 the bundled libxml2 goes further and refuses the billion-laughs
document outright ("Maximum entity amplification factor exceeded"), which
then surfaces as Corrupt. ``tests/test_docx.py`` proves both layers: the
bomb fixture is rejected in milliseconds, and the same XML handed straight to
python-docx's parser is refused or left unexpanded in well under a second. Any other
failure inside python-docx/lxml/zipfile on a bad file becomes ``Corrupt``.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Iterable, Iterator

from .deadline import check_deadline
from .errors import Corrupt, ParseError, TooLarge
from .limits import Limits
from .model import Document, Origin, Paragraph, Row, Table
from .wrapped_text import join_wrapped

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"
_DTD_SNIFF_BYTES = 4096
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_NOT_TEXT = {W + "pPr", W + "del", W + "moveFrom", f"{{{MC_NS}}}Fallback"}
_CJK_OR_PUNCT = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f（）()、，。：；]")


def read_docx(data: bytes, source: str, sha256: str, limits: Limits = Limits()) -> Document:
    """Given a DOCX file's bytes, return its document model (body blocks in
    order, headers/footers/text boxes as margin text)."""
    check_package(data, source, limits)
    word = _open_with_python_docx(data, source)
    try:
        body = word.element.body
        levels = heading_levels(word.styles.element)
        blocks = list(_body_blocks(body, levels, source, limits))
        margin = _margin_paragraphs(word, body, levels)
    except ParseError:
        raise
    except Exception as exc:  # lxml/python-docx internals on a malformed part
        raise Corrupt(_corrupt_message(source, exc)) from exc
    doc = Document(source=source, format="docx", sha256=sha256, blocks=blocks, margin_text=margin)
    doc.notes.append(f"docx: {len(doc.paragraphs)} paragraphs, {len(doc.tables)} tables, {len(margin)} margin paragraphs")
    return doc


# -- package safety -------------------------------------------------------------


def check_package(data: bytes, source: str, limits: Limits) -> None:
    """Given DOCX bytes, raise Corrupt/TooLarge for a broken ZIP, a ZIP bomb
    (declared uncompressed total over the cap) or an XML part with a DTD."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(info.file_size for info in infos)
            if total > limits.max_docx_uncompressed_bytes:
                raise TooLarge(
                    f"{source} would unpack to {total:,} bytes, over the max_docx_uncompressed_bytes limit of "
                    f"{limits.max_docx_uncompressed_bytes:,} (a ZIP bomb, or a document full of images); "
                    "raise the limit only if the bulletin is genuine."
                )
            for info in infos:
                if _is_xml_part(info.filename) and _declares_dtd(zf, info):
                    raise Corrupt(
                        f"{source}: part {info.filename} declares a DTD (<!DOCTYPE>), which Word never writes; "
                        "refused as a possible XML entity bomb. Open and re-save it in Word or export it as PDF."
                    )
    except ParseError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, RuntimeError (encrypted member) ...
        raise Corrupt(_corrupt_message(source, exc)) from exc


def _is_xml_part(name: str) -> bool:
    return name.endswith(".xml") or name.endswith(".rels")


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    with zf.open(info) as member:
        head = member.read(_DTD_SNIFF_BYTES)
    # UTF-16 parts interleave NULs; drop them so one byte test serves both.
    return b"<!doctype" in head.replace(b"\x00", b"").lower()


def _open_with_python_docx(data: bytes, source: str):
    import docx  # imported here so the other readers do not pay for it

    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # PackageNotFoundError, KeyError, XMLSyntaxError, ValueError ...
        raise Corrupt(_corrupt_message(source, exc)) from exc


def _corrupt_message(source: str, exc: BaseException) -> str:
    return (
        f"{source} is not a readable Word document ({type(exc).__name__}: {exc}); "
        "open it in Word or WPS and save it again as DOCX, or export it as PDF."
    )


# -- body ---------------------------------------------------------------------------


def _body_blocks(body, levels: dict[str, int], source: str, limits: Limits) -> Iterator[Paragraph | Table]:
    """Given the w:body element, yield its paragraphs and tables in order,
    checking the shared parse deadline before each block."""
    for number, element in enumerate(_flow_children(body), start=1):
        check_deadline()
        if element.tag == W + "p":
            paragraph = _paragraph(element, Origin(block=number), levels)
            if paragraph is not None:
                yield paragraph
        elif element.tag == W + "tbl":
            yield from _tables(element, Origin(block=number), source, limits)


def _flow_children(container) -> Iterator:
    """Given a body/cell/content-control element, yield its w:p and w:tbl
    children in order, opening content controls (w:sdt) and custom XML."""
    for child in container.iterchildren():
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _flow_children(content)


def _paragraph(p, origin: Origin, levels: dict[str, int]) -> Paragraph | None:
    """Given a w:p element, return its Paragraph, or None when it holds no text."""
    text = paragraph_text(p).strip()
    if not text:
        return None
    return Paragraph(text, origin, _heading_level(p, levels))


def paragraph_text(p) -> str:
    """Given a w:p element, return its text: runs in hyperlinks, fields and
    insertions included, deletions and text boxes anchored in it excluded;
    line breaks as newlines, tabs as tabs."""
    parts: list[str] = []
    _collect_runs(p, parts)
    return "".join(parts)


def _collect_runs(element, parts: list[str]) -> None:
    for child in element.iterchildren():
        if child.tag == W + "r":
            parts.append(_run_text(child))
        elif child.tag not in _NOT_TEXT:
            _collect_runs(child, parts)


def _run_text(r) -> str:
    out = []
    for child in r.iterchildren():
        tag = child.tag
        if tag == W + "t":
            out.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            out.append("\t")
        elif tag == W + "br":
            out.append("" if child.get(W + "type") in ("page", "column") else "\n")
        elif tag == W + "cr":
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
    return "".join(out)


def _heading_level(p, levels: dict[str, int]) -> int:
    style = p.find(f"{W}pPr/{W}pStyle")
    if style is not None and levels.get(style.get(W + "val", "")):
        return levels[style.get(W + "val", "")]
    return _outline_level(p.find(f"{W}pPr"))


def _outline_level(ppr) -> int:
    outline = ppr.find(f"{W}outlineLvl") if ppr is not None else None
    value = outline.get(W + "val", "") if outline is not None else ""
    return int(value) + 1 if value.isdigit() and int(value) < 9 else 0


def heading_levels(styles_root) -> dict[str, int]:
    """Given the w:styles element, return style id -> heading level for the
    paragraph styles that are headings (by name, outline level or basedOn)."""
    own: dict[str, int] = {}
    based_on: dict[str, str] = {}
    for style in styles_root.iterchildren(W + "style"):
        style_id = style.get(W + "styleId", "")
        name_el = style.find(W + "name")
        name = (name_el.get(W + "val", "") if name_el is not None else "").strip()
        match = _HEADING_STYLE.match(name)
        if match:
            own[style_id] = int(match.group(1))
        elif name.lower() in ("title", "标题"):
            own[style_id] = 1
        else:
            own[style_id] = _outline_level(style.find(W + "pPr"))
        parent = style.find(W + "basedOn")
        if parent is not None:
            based_on[style_id] = parent.get(W + "val", "")
    levels = {}
    for style_id in own:
        current, hops = style_id, 0
        while not own.get(current) and current in based_on and hops < 10:
            current, hops = based_on[current], hops + 1
        levels[style_id] = own.get(current, 0)
    return levels


# -- tables ---------------------------------------------------------------------


def _tables(tbl, origin: Origin, source: str, limits: Limits) -> Iterator[Table]:
    """Given a w:tbl element, yield it as a Table followed by any tables nested
    in its cells; a parent with no text of its own (a frame) is dropped."""
    rows, nested = _table_rows(tbl, origin)
    while rows and rows[-1].is_blank():
        rows.pop()
    width = max((len(r.cells) for r in rows), default=0)
    if width * len(rows) > limits.max_cells_per_table:
        raise TooLarge(
            f"{source}: table at {origin.describe()} has {len(rows):,} rows x {width} columns, over the "
            f"max_cells_per_table limit of {limits.max_cells_per_table:,}."
        )
    if rows:
        yield Table(rows=rows, origin=origin)
    for inner in nested:
        yield from _tables(inner, origin, source, limits)


def _table_rows(tbl, origin: Origin) -> tuple[list[Row], list]:
    """Given a w:tbl element, return its rows as text cells (merges resolved)
    and the nested w:tbl elements found in its cells, in order."""
    rows: list[Row] = []
    nested: list = []
    above: dict[int, str] = {}  # grid column -> text of the cell a vMerge continues
    for tr in _row_elements(tbl):
        check_deadline()
        cells: list[str] = [""] * _grid_skip(tr, "gridBefore")
        for tc in _cell_elements(tr):
            column = len(cells)
            text, inner = _cell_text(tc)
            nested.extend(inner)
            if _vmerge(tc) == "continue":
                text = above.get(column, "")
            above[column] = text
            cells.append(text)
            cells.extend([""] * (_grid_span(tc) - 1))
        cells.extend([""] * _grid_skip(tr, "gridAfter"))
        rows.append(Row(cells=cells, origin=origin))
    if not any(not r.is_blank() for r in rows):
        rows = []
    return rows, nested


def _row_elements(tbl) -> Iterator:
    return _children_tagged(tbl, W + "tr")


def _cell_elements(tr) -> Iterator:
    return _children_tagged(tr, W + "tc")


def _children_tagged(parent, tag: str) -> Iterator:
    """Given a table or row element, yield its children with `tag`, looking
    inside content controls (w:sdt) and custom XML wrappers too."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from (c for c in content.iterchildren() if c.tag == tag)


def _grid_span(tc) -> int:
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    value = span.get(W + "val", "1") if span is not None else "1"
    return max(1, min(int(value), 1000)) if value.isdigit() else 1


def _grid_skip(tr, name: str) -> int:
    skip = tr.find(f"{W}trPr/{W}{name}")
    value = skip.get(W + "val", "0") if skip is not None else "0"
    return min(int(value), 1000) if value.isdigit() else 0


def _vmerge(tc) -> str | None:
    merge = tc.find(f"{W}tcPr/{W}vMerge")
    if merge is None:
        return None
    return "restart" if merge.get(W + "val") == "restart" else "continue"


def _cell_text(tc) -> tuple[str, list]:
    """Given a w:tc element, return its text (paragraphs and line breaks
    joined) and the tables nested in it."""
    lines: list[str] = []
    nested: list = []
    for element in _flow_children(tc):
        if element.tag == W + "tbl":
            nested.append(element)
        else:
            lines.extend(paragraph_text(element).replace("\t", " ").split("\n"))
    return join_lines(lines), nested


def join_lines(lines: Iterable[str]) -> str:
    """Given the lines of one cell, return them as one string: nothing between
    Chinese characters or punctuation, one space between Latin words/numbers."""
    return join_wrapped(lines, _CJK_OR_PUNCT)


# -- margin text ------------------------------------------------------------------


def _margin_paragraphs(word, body, levels: dict[str, int]) -> list[Paragraph]:
    """Given the python-docx document and its body, return the paragraphs of
    page headers, body text boxes and page footers, in that order."""
    headers, footers = _header_footer_elements(word, body)
    margin: list[Paragraph] = []
    for number, root in enumerate(headers, start=1):
        margin.extend(_loose_paragraphs(root, Origin(block=number, layer="page_header"), levels))
    for number, box in enumerate(body.iter(W + "txbxContent"), start=1):
        margin.extend(_loose_paragraphs(box, Origin(block=number, layer="text_box"), levels))
    for number, root in enumerate(footers, start=1):
        margin.extend(_loose_paragraphs(root, Origin(block=number, layer="page_footer"), levels))
    return margin


def _header_footer_elements(word, body) -> tuple[list, list]:
    """Given the document and its body, return the header and footer root
    elements its sections reference, each once, in section order."""
    related = word.part.related_parts
    headers, footers, seen = [], [], set()
    for sect in body.iter(W + "sectPr"):
        for ref in sect.iterchildren(W + "headerReference", W + "footerReference"):
            rid = ref.get(f"{{{R_NS}}}id")
            if rid in seen or rid not in related:
                continue
            seen.add(rid)
            (headers if ref.tag == W + "headerReference" else footers).append(related[rid].element)
    return headers, footers


def _loose_paragraphs(root, origin: Origin, levels: dict[str, int]) -> list[Paragraph]:
    """Given a header, footer or text box element, return every non-empty
    paragraph in it (its tables and text boxes included; the VML fallback
    copy of a text box skipped, as Word writes each box twice)."""
    if _in_fallback(root):
        return []
    out = []
    for p in root.iter(W + "p"):
        if not _in_fallback(p):
            paragraph = _paragraph(p, origin, levels)
            if paragraph is not None:
                out.append(paragraph)
    return out


def _in_fallback(element) -> bool:
    return any(a.tag == f"{{{MC_NS}}}Fallback" for a in element.iterancestors())
