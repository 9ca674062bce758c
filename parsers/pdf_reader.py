"""Read PDF bulletins into the document model, on pdfplumber.

Two passes. The first walks the pages one at a time (each released after
use, so memory does not grow with page count): it drops overprinted
duplicate glyphs (fake bold), finds ruled tables by their drawn lines, and
groups the remaining characters into text lines of cell-like segments. The
second pass, on those small records only, removes page numbers and running
heads, finds unruled tables by aligned segments, and joins the remaining
lines into paragraphs the way the text formats have them: wrapped lines
joined without spaces between Chinese characters.

Tables are emitted as rows only; ``parsers.structure`` joins a table that
continues on the next page, binds captions, splits headers and unstacks the
side-by-side layout.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .errors import Corrupt, Encrypted, NoTextLayer, ParseError, ParseTimeout, TooLarge, UndecodableText
from .limits import Limits
from .model import Document, Origin, Paragraph, Row, Table
from .wrapped_text import join_wrapped as join_wrapped_text
from .textnorm import clean_name

T_char = dict[str, Any]

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_CHAR = re.compile(rf"[{_CJK}]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_PAGE_NUMBER = re.compile(
    r"^[\s—–\-－一~～·.]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s—–\-－一~～·.]*$"
)
_CAPTION_LIKE = re.compile(r"^(附件|附表|表\s*\d|[(（]|注[:：])|表$")
_OPEN_BRACKETS = "(（[【〔"
_CLOSE_BRACKETS = ")）]】〕"

_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}

# pdfminer logs every odd object at WARNING; the reader reports what matters itself.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PdfSettings:
    """Tolerances, mostly in multiples of the font size of the text at hand."""

    dedupe_tolerance: float = 1.0  # points: overprinted glyphs closer than this are one glyph
    line_overlap: float = 0.5  # share of the smaller glyph height two chars must share to be one line
    segment_gap: float = 0.75  # a horizontal gap this wide separates two cells on a line
    space_gap: float = 0.2  # a horizontal gap this wide is a space in prose
    margin_band: float = 0.15  # share of the page height at top and bottom where heads and footers live
    running_head_share: float = 0.5  # share of pages a margin line repeats on to be a running head
    row_join: float = 0.5  # lines closer than this (and than half the row gap) are one table row
    region_gap: float = 1.6  # a gap over this many typical row pitches ends an unruled table
    single_line_width: float = 0.45  # a one-segment line wider than this share of the table is prose
    min_cells: int = 3  # an unruled one-line table fragment at a page edge needs this many cells
    undecodable_share: float = 0.1
    check_after_chars: int = 200


SETTINGS = PdfSettings()


@dataclass
class Segment:
    x0: float
    x1: float
    text: str


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[Segment]
    text: str  # segments joined as prose


@dataclass
class PageRead:
    number: int
    width: float
    height: float
    lines: list[Line]
    tables: list[tuple[float, float, list[list[str]]]]  # (top, bottom, rows) of ruled tables


@dataclass
class CharStats:
    total: int = 0
    undecodable: int = 0
    han: int = 0
    images: int = 0
    samples: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- entry point


def read_pdf(data: bytes, source: str, sha256: str, limits: Limits = Limits()) -> Document:
    """Given a PDF bulletin's bytes, return its document model (blocks in reading order)."""
    started = time.monotonic()
    check_complete(data, source)
    pages: list[PageRead] = []
    stats = CharStats()
    pdf = open_pdf(data, source)
    try:
        count = page_count(pdf, source)
        if count > limits.max_pdf_pages:
            raise TooLarge(
                f"{source} has {count} pages, over the max_pdf_pages limit of {limits.max_pdf_pages}; "
                "split the file or raise the limit if the bulletin is genuine."
            )
        for page in iter_pages(pdf, source):
            pages.append(read_page(page, stats, source, limits))
            if time.monotonic() - started > limits.parse_timeout_s:
                raise ParseTimeout(
                    f"{source}: reading stopped at page {page.page_number} of {count} after "
                    f"{limits.parse_timeout_s:g} s (parse_timeout_s); raise the limit for very long bulletins."
                )
            if stats.total >= SETTINGS.check_after_chars:
                check_decodable(stats, source)
    except ParseError:
        raise
    except Exception as exc:  # pdfminer/pdfplumber raise many types for damaged files
        raise Corrupt(f"{source} could not be read as a PDF ({type(exc).__name__}: {exc}); re-download or re-export it.") from exc
    finally:
        close_quietly(pdf)
    check_text_layer(stats, source, len(pages))
    check_decodable(stats, source)
    drop_margins(pages)
    doc = Document(source=source, format="pdf", sha256=sha256, blocks=pages_to_blocks(pages))
    doc.notes.append(f"pages={len(pages)}; ruled tables={sum(len(p.tables) for p in pages)}")
    return doc


def check_complete(data: bytes, source: str) -> None:
    """Given a PDF's bytes, raise Corrupt if the file was cut short (no `%%EOF` near the end)."""
    if b"%%EOF" not in data[-2048:]:
        raise Corrupt(
            f"{source} is truncated: the PDF has no end-of-file marker (%%EOF), so part of it is missing; "
            "download it again."
        )


def open_pdf(data: bytes, source: str) -> Any:
    """Given a PDF's bytes, return an open pdfplumber PDF; raise Encrypted or Corrupt."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "encrypt" in str(cause).lower():
            raise Encrypted(
                f"{source} is password-protected (encrypted PDF); ask the publisher for an unprotected copy "
                "or remove the password before ingesting."
            ) from exc
        raise Corrupt(
            f"{source} is not a readable PDF ({type(cause).__name__}: {cause}); re-download or re-export it."
        ) from exc


def page_count(pdf: Any, source: str) -> int:
    """Given an open PDF, return its page count from the page tree, without reading pages."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        if isinstance(count, int) and count >= 0:
            return count
    except Exception:
        pass
    return len(pdf.pages)


def iter_pages(pdf: Any, source: str) -> Iterator[Any]:
    """Given an open PDF, yield its pages one at a time, releasing each after use."""
    for page in pdf.pages:
        try:
            yield page
        finally:
            page.close()


def close_quietly(pdf: Any) -> None:
    try:
        pdf.close()
    except Exception:
        pass


# ---------------------------------------------------------------- checks


def check_text_layer(stats: CharStats, source: str, pages: int) -> None:
    """Given the character counts of a whole PDF, raise NoTextLayer if it has no text."""
    if stats.total:
        return
    if stats.images:
        raise NoTextLayer(
            f"{source} has {pages} page(s) of images and no text layer: it looks scanned. "
            "Run it through OCR (e.g. ocrmypdf -l chi_sim) and ingest the result."
        )
    raise NoTextLayer(f"{source} has {pages} page(s) but no text at all; check that the right file was exported.")


def check_decodable(stats: CharStats, source: str) -> None:
    """Given the character counts so far, raise UndecodableText if the text layer is not Chinese."""
    if not stats.total:
        return
    sample = "".join(stats.samples[:20])
    if stats.undecodable > stats.total * SETTINGS.undecodable_share:
        raise UndecodableText(
            f"{source}: {stats.undecodable} of {stats.total} characters have no Unicode mapping "
            f"(e.g. {sample[:60]!r}); the PDF's fonts lack a ToUnicode map, so its text would load as "
            "mojibake. Re-export the PDF with embedded Unicode fonts, or OCR it."
        )
    letters = stats.total - stats.undecodable
    if letters >= 20 and stats.han == 0:
        raise UndecodableText(
            f"{source}: the text layer holds {letters} characters but no Chinese ones (e.g. {sample[:60]!r}); "
            "its fonts most likely lack a ToUnicode map. Re-export the PDF with embedded Unicode fonts, or OCR it."
        )


def is_undecodable(text: str) -> bool:
    """Given a char's text, return True if it carries no real Unicode (cid codes, private use, U+FFFD)."""
    if text.startswith("(cid:") or not text:
        return True
    code = ord(text[0])
    return 0xE000 <= code <= 0xF8FF or code == 0xFFFD or code < 0x20 and text not in "\t\n\r"


# ---------------------------------------------------------------- pass 1: one page


def read_page(page: Any, stats: CharStats, source: str, limits: Limits) -> PageRead:
    """Given a pdfplumber page, return its ruled tables and the text lines outside them."""
    stats.images += len(page.images)
    chars = [c for c in page.chars if c.get("upright", True) and c["text"].strip()]
    kept = dedupe_chars(chars, SETTINGS.dedupe_tolerance)
    count_chars(kept, stats)
    keep_ids = {id(c) for c in kept}
    clean_page = page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in keep_ids)
    tables = []
    boxes = []
    if page.lines or page.rects or page.curves:
        for found in clean_page.find_tables(_RULED):
            rows = table_rows(found.extract())
            if not is_real_table(rows):
                continue
            if sum(len(r) for r in rows) > limits.max_cells_per_table:
                raise TooLarge(
                    f"{source}: a table on page {page.page_number} has over {limits.max_cells_per_table:,} cells "
                    "(max_cells_per_table)."
                )
            boxes.append(found.bbox)
            tables.append((found.bbox[1], found.bbox[3], rows))
    outside = [c for c in kept if not any(inside(c, box) for box in boxes)]
    return PageRead(page.page_number, float(page.width), float(page.height), chars_to_lines(outside, page.page_number), tables)


def dedupe_chars(chars: list[T_char], tolerance: float) -> list[T_char]:
    """Given a page's chars, return them without glyphs overprinted at (nearly) the
    same place (fake bold), keeping reading order. Linear, unlike a pairwise scan."""
    seen: dict[tuple, list[tuple[float, float]]] = {}
    kept = []
    for char in chars:
        key = (char["text"], char.get("fontname"), round(char["size"], 1))
        gx, gy = int(char["x0"] // tolerance), int(char["top"] // tolerance)
        duplicate = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for x0, top in seen.get((key, gx + dx, gy + dy), ()):
                    if abs(x0 - char["x0"]) <= tolerance and abs(top - char["top"]) <= tolerance:
                        duplicate = True
        if not duplicate:
            seen.setdefault((key, gx, gy), []).append((char["x0"], char["top"]))
            kept.append(char)
    return kept


def count_chars(chars: list[T_char], stats: CharStats) -> None:
    for char in chars:
        text = char["text"]
        stats.total += 1
        if is_undecodable(text):
            stats.undecodable += 1
            if len(stats.samples) < 20:
                stats.samples.append(text)
        elif _HAN.match(text):
            stats.han += 1
        elif len(stats.samples) < 20 and not text.isdigit():
            stats.samples.append(text)


def table_rows(extracted: list[list[str | None]]) -> list[list[str]]:
    """Given pdfplumber's extracted cells (None for merged ones), return rows of
    cell strings with each cell's wrapped lines joined."""
    return [[join_wrapped((cell or "").split("\n")) for cell in row] for row in extracted]


def is_real_table(rows: list[list[str]]) -> bool:
    """Given a ruled table's rows, return True if it is a grid of data, not a framed paragraph."""
    filled = [r for r in rows if any(c.strip() for c in r)]
    return len(filled) >= 2 and max((len(r) for r in filled), default=0) >= 2


def inside(char: T_char, bbox: tuple[float, float, float, float]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def chars_to_lines(chars: list[T_char], page_number: int) -> list[Line]:
    """Given chars outside tables, return text lines top to bottom, each split
    into segments at gaps wide enough to separate table cells."""
    lines: list[list[T_char]] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        for line in reversed(lines[-3:]):
            if same_line(line[0], char):
                line.append(char)
                break
        else:
            lines.append([char])
    return [chars_to_line(sorted(line, key=lambda c: c["x0"]), page_number) for line in lines]


def same_line(first: T_char, char: T_char) -> bool:
    overlap = min(first["bottom"], char["bottom"]) - max(first["top"], char["top"])
    height = min(first["bottom"] - first["top"], char["bottom"] - char["top"]) or 1.0
    return overlap >= height * SETTINGS.line_overlap


def chars_to_line(chars: list[T_char], page_number: int) -> Line:
    size = statistics.median(c["size"] for c in chars)
    segments: list[Segment] = []
    pieces: list[str] = []
    previous: T_char | None = None
    for char in chars:
        gap = char["x0"] - previous["x1"] if previous else 0.0
        if previous is None or gap >= SETTINGS.segment_gap * size:
            if previous is not None:
                segments[-1].text = "".join(pieces)
            segments.append(Segment(char["x0"], char["x1"], ""))
            pieces = []
        elif gap >= SETTINGS.space_gap * size and not (is_cjk(previous["text"]) or is_cjk(char["text"])):
            pieces.append(" ")
        pieces.append(char["text"])
        segments[-1].x1 = max(segments[-1].x1, char["x1"])
        previous = char
    segments[-1].text = "".join(pieces)
    text = join_segments(segments)
    return Line(
        page_number,
        min(c["top"] for c in chars),
        max(c["bottom"] for c in chars),
        chars[0]["x0"],
        max(c["x1"] for c in chars),
        float(size),
        segments,
        text,
    )


def is_cjk(text: str) -> bool:
    return bool(text) and bool(_CJK_CHAR.match(text[-1]))


def join_wrapped(parts: Iterable[str]) -> str:
    """Given the lines of a wrapped cell or paragraph, return them joined: no space
    where either side is Chinese, one space between Latin words."""
    return join_wrapped_text(parts, _CJK_CHAR)


def join_segments(segments: list[Segment]) -> str:
    out = ""
    for seg in segments:
        if out and not (_CJK_CHAR.match(out[-1]) and _CJK_CHAR.match(seg.text[0])):
            out += " "
        out += seg.text
    return out


# ---------------------------------------------------------------- pass 2: margins


def drop_margins(pages: list[PageRead]) -> None:
    """Given all pages, remove page numbers and running heads/feet (text repeated in
    the top or bottom band of most pages) from their lines, in place."""
    keys: Counter[str] = Counter()
    for page in pages:
        keys.update({margin_key(line) for line in edge_lines(page)})
    needed = max(2, int(len(pages) * SETTINGS.running_head_share + 0.5))
    repeated = {k for k, n in keys.items() if n >= needed} if len(pages) >= 2 else set()
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if not (in_margin(line, page) and _PAGE_NUMBER.match(line.text))
            and not (any(line is edge for edge in edge_lines(page)) and margin_key(line) in repeated)
        ]


def edge_lines(page: PageRead) -> list[Line]:
    """Given a page, return the lines that could be a running head or foot: the two
    topmost and two bottommost lines inside the margin bands, of at most two segments."""
    lines = sorted(page.lines, key=lambda line: line.top)
    edges = lines[:2] + lines[-2:]
    return [line for line in edges if in_margin(line, page) and len(line.segments) <= 2]


def in_margin(line: Line, page: PageRead) -> bool:
    band = page.height * SETTINGS.margin_band
    return line.bottom <= band or line.top >= page.height - band


def margin_key(line: Line) -> str:
    return re.sub(r"\d+", "#", clean_name(line.text))


# ---------------------------------------------------------------- pass 2: blocks


@dataclass
class Body:
    """The document's body text geometry: font size, left edge, right edge, line gap."""

    size: float
    left: float
    right: float
    gap: float


def body_geometry(lines: list[Line]) -> Body:
    """Given the prose lines of a document, return the body text's size, margins and usual line gap."""
    if not lines:
        return Body(12.0, 0.0, 600.0, 6.0)
    weights: Counter[float] = Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    size = weights.most_common(1)[0][0]
    body = [line for line in lines if abs(line.size - size) <= 0.1 * size]
    left = Counter(round(line.x0) for line in body).most_common(1)[0][0]
    rights = sorted(line.x1 for line in body)
    right = rights[int(len(rights) * 0.9)]
    gaps = [
        b.top - a.bottom
        for a, b in zip(body, body[1:])
        if a.page == b.page and 0 <= b.top - a.bottom < 2 * size
    ]
    gap = statistics.median(gaps) if gaps else size * 0.5
    return Body(size, float(left), float(right), float(gap))


def pages_to_blocks(pages: list[PageRead]) -> list[Paragraph | Table]:
    """Given pages with margins removed, return paragraphs and tables in reading order."""
    laid_out: list[list[tuple[float, Any]]] = []
    for page in pages:
        items: list[tuple[float, Any]] = [
            (top, Table([Row(r, Origin(page=page.number)) for r in rows], Origin(page=page.number)))
            for top, _, rows in page.tables
        ]
        items += unruled_tables(page.lines, page)
        laid_out.append(sorted(items, key=lambda pair: pair[0]))
    body = body_geometry([item for items in laid_out for _, item in items if isinstance(item, Line)])
    blocks: list[Paragraph | Table] = []
    open_paragraph: list[Line] = []

    def flush() -> None:
        if open_paragraph:
            blocks.append(lines_to_paragraph(open_paragraph, body))
            open_paragraph.clear()

    for items in laid_out:
        for _, item in items:
            if isinstance(item, Table):
                flush()
                blocks.append(item)
            else:
                if open_paragraph and starts_paragraph(open_paragraph[-1], item, body):
                    flush()
                open_paragraph.append(item)
    flush()
    return blocks


def lines_to_paragraph(lines: list[Line], body: Body) -> Paragraph:
    heading = 1 if lines[0].size >= body.size * 1.2 else 0
    return Paragraph(join_wrapped(line.text for line in lines), Origin(page=lines[0].page), heading)


def starts_paragraph(previous: Line, line: Line, body: Body) -> bool:
    """Given the last line of the open paragraph and the next line, return True if
    the next line begins a new paragraph."""
    size = line.size
    if abs(previous.size - size) > 0.1 * max(size, previous.size):
        return True
    same_page = previous.page == line.page
    gap = line.top - previous.bottom if same_page else 0.0
    if size >= body.size * 1.2:  # headings wrap onto centred lines of the same size
        return same_page and gap > size
    if same_page and gap > body.gap + 0.5 * size:
        return True
    if line.x0 > body.left + 0.8 * size:
        return True
    if previous.x0 > body.left + 4 * size:  # a centred or right-aligned line stands alone
        return True
    return previous.x1 < body.right - 1.5 * size


# ---------------------------------------------------------------- pass 2: unruled tables


def unruled_tables(lines: list[Line], page: PageRead) -> list[tuple[float, Any]]:
    """Given a page's lines outside ruled tables, return (top, item) pairs: a Table
    for each run of aligned multi-segment lines, and each remaining line."""
    items: list[tuple[float, Any]] = []
    used: set[int] = set()
    for start, end in table_regions(lines, page):
        rows = region_rows(lines[start:end])
        if rows:
            items.append((lines[start].top, Table([Row(r, Origin(page=page.number)) for r in rows], Origin(page=page.number))))
            used.update(range(start, end))
    items += [(line.top, line) for i, line in enumerate(lines) if i not in used]
    return items


def table_regions(lines: list[Line], page: PageRead) -> list[tuple[int, int]]:
    """Given a page's lines, return [start, end) index ranges that form unruled tables."""
    regions = []
    i = 0
    while i < len(lines):
        if len(lines[i].segments) < 2:
            i += 1
            continue
        start, end = i, i + 1
        multi = [i]
        while end < len(lines):
            nxt = lines[end]
            pitch = typical_pitch(lines, multi)
            if nxt.top - lines[end - 1].top > SETTINGS.region_gap * pitch + 0.5 * nxt.size:
                break
            if len(nxt.segments) >= 2:
                multi.append(end)
            elif not fits_in_table(nxt, lines, multi):
                break
            end += 1
        # Trailing one-segment lines stay only at the page foot (a group row before
        # a page break) or when they wrap the cell above.
        while end - 1 > multi[-1] and end < len(lines) and not wraps_above(lines, end - 1):
            end -= 1
        start = extend_upward(lines, start, multi)
        if len(multi) >= 2 or (at_page_edge(lines, start, end) and len(lines[multi[0]].segments) >= SETTINGS.min_cells):
            regions.append((start, end))
        i = end
    return regions


def wraps_above(lines: list[Line], index: int) -> bool:
    return lines[index].top - lines[index - 1].bottom < SETTINGS.row_join * lines[index].size


def typical_pitch(lines: list[Line], multi: list[int]) -> float:
    tops = [lines[k].top for k in multi]
    steps = [b - a for a, b in zip(tops, tops[1:])]
    return statistics.median(steps) if steps else lines[multi[0]].size * 2.0


def fits_in_table(line: Line, lines: list[Line], multi: list[int]) -> bool:
    """Given a one-segment line near table rows, return True if it reads as a group
    row or a wrapped cell (narrow, within the table's width) rather than prose."""
    x0 = min(lines[k].x0 for k in multi)
    x1 = max(lines[k].x1 for k in multi)
    narrow = line.x1 - line.x0 <= SETTINGS.single_line_width * (x1 - x0)
    return narrow and line.x0 >= x0 - 3 * line.size and line.x1 <= x1 + line.size


def aligned_with_column(line: Line, lines: list[Line], multi: list[int]) -> bool:
    """Given a one-segment line, return True if it starts where the table or one of its cells starts."""
    starts = [min(lines[k].x0 for k in multi) - 3 * line.size] + [s.x0 - line.size for k in multi for s in lines[k].segments]
    return any(s <= line.x0 <= s + 2 * line.size for s in starts)


def extend_upward(lines: list[Line], start: int, multi: list[int]) -> int:
    """Given a table region's first line, return the index of the earliest group row
    directly above it (aligned with a column, not a caption)."""
    while start > 0:
        above = lines[start - 1]
        pitch = typical_pitch(lines, multi)
        if lines[start].top - above.top > 1.3 * pitch or len(above.segments) != 1:
            break
        if _CAPTION_LIKE.search(clean_name(above.text)) or not (
            fits_in_table(above, lines, multi) and aligned_with_column(above, lines, multi)
        ):
            break
        start -= 1
    return start


def at_page_edge(lines: list[Line], start: int, end: int) -> bool:
    return start == 0 or end == len(lines)


def region_rows(lines: list[Line]) -> list[list[str]]:
    """Given the lines of an unruled table, return its rows of cells: columns from
    the segments' horizontal extents, rows from vertical gaps (wrapped cells join)."""
    columns = column_bounds([line for line in lines if len(line.segments) >= 2])
    if len(columns) < 2:
        return []
    multi_gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if len(a.segments) >= 2 and len(b.segments) >= 2]
    row_gap = statistics.median(multi_gaps) if multi_gaps else lines[0].size
    rows: list[list[list[str]]] = []
    previous: Line | None = None
    for line in lines:
        cells = line_cells(line, columns)
        gap = line.top - previous.bottom if previous else 0.0
        close = previous is not None and gap < min(SETTINGS.row_join * line.size, 0.5 * row_gap)
        if rows and (close or continues_bracket(rows[-1], cells)):
            for col, text in enumerate(cells):
                if text:
                    rows[-1][col].append(text)
        else:
            rows.append([[text] if text else [] for text in cells])
        previous = line
    return [[join_wrapped(parts) for parts in row] for row in rows]


def continues_bracket(row: list[list[str]], cells: list[str]) -> bool:
    """A line whose only text closes a bracket left open in the row above continues that cell."""
    filled = [i for i, c in enumerate(cells) if c]
    if len(filled) != 1:
        return False
    col = filled[0]
    text = "".join(row[col])
    opened = sum(text.count(b) for b in _OPEN_BRACKETS) > sum(text.count(b) for b in _CLOSE_BRACKETS)
    return opened and any(b in cells[col] for b in _CLOSE_BRACKETS)


def column_bounds(lines: list[Line]) -> list[tuple[float, float]]:
    """Given a table's multi-segment lines, return column extents. The lines with the
    most common segment count have every cell filled: their k-th segments make
    column k (a centred header and right-aligned numbers need not overlap)."""
    counts = Counter(len(line.segments) for line in lines)
    width = max(counts, key=lambda n: (counts[n], n))
    full = [line for line in lines if len(line.segments) == width]
    columns = [
        (min(line.segments[k].x0 for line in full), max(line.segments[k].x1 for line in full))
        for k in range(width)
    ]
    if any(a[1] >= b[0] for a, b in zip(columns, columns[1:])):
        return merged_spans(lines)  # ragged rows: fall back to overlapping extents
    return columns


def merged_spans(lines: list[Line]) -> list[tuple[float, float]]:
    """Given lines, return the horizontal extents covered by their segments, overlaps merged."""
    spans = sorted((s.x0, s.x1) for line in lines for s in line.segments)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def line_cells(line: Line, columns: list[tuple[float, float]]) -> list[str]:
    """Given a table line and column extents, return its text per column."""
    cells = [""] * len(columns)
    for seg in line.segments:
        col = max(range(len(columns)), key=lambda k: overlap(seg, columns[k]))
        if overlap(seg, columns[col]) <= 0:
            col = min(range(len(columns)), key=lambda k: distance(seg, columns[k]))
        cells[col] = join_wrapped([cells[col], seg.text])
    return cells


def distance(seg: Segment, column: tuple[float, float]) -> float:
    return max(column[0] - seg.x1, seg.x0 - column[1], 0.0)


def overlap(seg: Segment, column: tuple[float, float]) -> float:
    return min(seg.x1, column[1]) - max(seg.x0, column[0])
