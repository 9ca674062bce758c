"""Read a saved or downloaded bulletin web page (HTML) into the document model.

Offices publish a bulletin as an article page: the prose, sometimes a
`<table>`, an info-disclosure block (索引号, 发布机构, 成文日期, 文号, 发布日期)
and `附件` links to the annexes, all inside site navigation, breadcrumbs,
share bars and footers. Reading rules, chosen so a page gives the same facts
as its text copy:

* Encoding (``decode_html``): a byte-order mark, else the charset the HTTP
  header declared (passed in by the ingest layer), else a `<meta charset>`
  in the first 4 KB, else UTF-8, else GB18030. GB2312 and GBK are read as
  GB18030, their superset. A declared charset the bytes do not decode in is
  not believed; the others are tried.
* Furniture: `<script>`, `<style>`, forms and comments go; so do `<nav>`,
  `<header>`, `<footer>`, `<aside>` and elements whose class or id, or whose
  whole short text, is listed in ``parsers/data/html_boilerplate.csv`` — but
  never an element that holds a data table or most of the page's text.
* The info-disclosure block is found by its labels
  (``parsers/data/page_info_labels.csv``), read into ``Document.page_info``
  (label field -> value) and removed from the body; `<meta name=… content=…>`
  tags go there too as ``meta:<name>``, the `<title>` as ``page_title``.
  The metadata reader uses them when the article text does not say.
* The article body is located by readability-lxml (a maintained port of
  Mozilla's Readability): every element is tagged with an id, readability's
  summary says which elements it kept, and the page's own tree is walked
  below their common ancestor, skipping the ancestor's children readability
  left out. Walking the original tree (rather than readability's cleaned
  copy) keeps every table readability would prune for having few commas.
  A page readability finds nothing in is read whole.
* Blocks: each `<p>`/`<div>`/`<li>`/heading (and each `<br>`-separated line)
  is a Paragraph (`<h1>`..`<h6>` set ``heading_level``); the article title,
  when it stands outside the body, is put first as a level-1 heading.
* Tables: cells are expanded the way ``parsers.docx_reader`` expands merged
  Word cells — ``colspan`` gives the text once followed by empty strings,
  ``rowspan`` repeats the text in every row it covers; lines inside a cell
  are joined like DOCX cell lines. Nested tables are lifted out after their
  parent; a one-column table around the article (a layout frame) is read as
  flow. Trailing blank rows are dropped; ``max_cells_per_table`` applies.
* Attachments: links whose target ends like an annex (.pdf, .doc, .docx,
  .wps, .xls, .xlsx, .et) or whose text says 附件, in the article or below it
  (not in the site furniture), go to ``Document.attachments`` as printed;
  resolving and fetching them is the ingest layer's job (no I/O here).
* Origins are source lines of the page (lxml's ``sourceline``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from .deadline import check_deadline
from .decode import _plausible_share, MIN_PLAUSIBLE_SHARE
from .docx_reader import join_lines
from .errors import Corrupt, EmptyDocument, TooLarge, UndecodableText
from .limits import Limits
from .model import Attachment, Document, Origin, Paragraph, Row, Table
from .textnorm import clean_name, nfkc
from .vocab import read_data_csv

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta\s|title>)", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_TB = "data-tb"  # element ids given before readability runs
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "form", "select", "button", "object", "embed")
_FURNITURE_TAGS = ("nav", "header", "footer", "aside")
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
    "dd", "table", "blockquote", "pre", "center", "address", "figure", "figcaption", "hr", "body", "html",
    "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_ANNEX_SUFFIX = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|txt)$", re.IGNORECASE)
_PAGE_SUFFIX = re.compile(r"\.(s?html?|jsp|php|aspx?)$", re.IGNORECASE)
_LABEL_SPLIT = re.compile(r"^(?P<label>[\u4e00-\u9fff]{2,6})\s*[:：]\s*(?P<value>.*)$")
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_INFO_BLOCK_MAX_CHARS = 800
_SPAN_CAP = 1000
_MAX_BROKEN_SHARE = 1000  # at most one replaced sequence per 1000 characters


def read_html(data: bytes, source: str, sha256: str, limits: Limits = Limits(),
              declared_charset: str | None = None) -> Document:
    """Given a web page's bytes (and the charset its HTTP header declared,
    if any), return its document model: the article's paragraphs and tables,
    the info block and meta tags in `page_info`, annex links in `attachments`."""
    text, encoding = decode_html(data, source, declared_charset)
    if len(text) > limits.max_text_chars * 4:
        raise TooLarge(
            f"{source} holds {len(text):,} characters of HTML, over 4 x the max_text_chars limit "
            f"of {limits.max_text_chars:,}; raise the limit if the page is genuine."
        )
    root = _parse_tree(text, source)
    page_info = _meta_tags(root)
    title_el = _title_element(root)
    for element in root.iter(*_DROP_TAGS):
        _drop(element)
    page_info.update(_take_info_block(root))
    page_info.update(_labelled_lines(root))
    _remove_furniture(root)
    attachments = list(_attachments(root))
    check_deadline()
    parts = _article_parts(root)
    blocks: list[Paragraph | Table] = []
    for part in parts:
        blocks.extend(_flow_blocks(part, source, limits))
    title = _title_text(root, title_el, page_info)
    if title and not any(isinstance(b, Paragraph) and clean_name(b.text) == clean_name(title) for b in blocks[:5]):
        line = title_el.sourceline if title_el is not None else None
        blocks.insert(0, Paragraph(title, Origin(line=line), heading_level=1))
    if not any(isinstance(b, Table) or b.text.strip() for b in blocks):
        raise EmptyDocument(f"{source} is a web page with no article text or table.")
    doc = Document(source=source, format="html", sha256=sha256, blocks=blocks,
                   page_info=page_info, attachments=attachments)
    doc.notes.append(f"html: encoding={encoding}; {len(doc.paragraphs)} paragraphs, {len(doc.tables)} tables, "
                     f"{len(attachments)} attachment link(s), {len(page_info)} page facts")
    return doc


def looks_like_html(data: bytes) -> bool:
    """Given a document's bytes, return whether they are an HTML page (tags
    of a page in the first 2 KB, in any ASCII-compatible encoding)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(_HTML_SNIFF.search(head)) and head[:1] == b"<"


# -- decoding ---------------------------------------------------------------------


def decode_html(data: bytes, source: str, declared: str | None = None) -> tuple[str, str]:
    """Given a page's bytes and its HTTP-declared charset, return (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    meta = _META_CHARSET.search(data[:4096])
    candidates = [_codec(declared), _codec(meta.group(1).decode("ascii")) if meta else None, "utf-8", "gb18030"]
    tried: list[str] = []
    for encoding in candidates:
        if not encoding or encoding in tried:
            continue
        tried.append(encoding)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible_share(text) >= MIN_PLAUSIBLE_SHARE:
            return text, encoding
    # A page with a few broken byte sequences (a CMS cutting a character in
    # two) is read as browsers read it, the broken bytes replaced, when they
    # are rare; the encoding name says how many were replaced.
    for encoding in tried:
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            continue
        broken = text.count("\ufffd")
        if broken <= max(3, len(text) // _MAX_BROKEN_SHARE) and _plausible_share(text) >= MIN_PLAUSIBLE_SHARE:
            return text, f"{encoding} ({broken} broken byte sequence(s) replaced)"
    raise UndecodableText(
        f"{source} is a web page whose bytes do not decode as {', '.join(tried)} into Chinese text; "
        "save the page again from the browser (File > Save As, 'Web page, HTML only') or fetch it from its URL."
    )


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("'\"").lower()
    if name in _GB:
        return "gb18030"
    if name in ("utf8", "utf-8"):
        return "utf-8"
    return name


def _parse_tree(text: str, source: str):
    import lxml.html

    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise EmptyDocument(f"{source} is an empty web page.")
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml ParserError on a page with no elements
        raise Corrupt(f"{source} is not a readable web page ({type(exc).__name__}: {exc}); save it again.") from exc
    for comment in root.xpath("//comment() | //processing-instruction()"):
        _drop(comment)
    return root


def _drop(element) -> None:
    """Remove an element and its subtree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


# -- page facts: meta tags, info block, title ------------------------------------------


def _meta_tags(root) -> dict[str, str]:
    out: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = meta.get("name") or meta.get("property")
        content = meta.get("content")
        if name and content and content.strip() and len(out) < 100:
            out[f"meta:{name.strip()}"] = _text(content)[:1000]
    titles = root.xpath("//head/title")
    if titles:
        page_title = _text(titles[0].text_content())
        if page_title:
            out["page_title"] = page_title
    return out


@lru_cache(maxsize=None)
def info_labels() -> dict[str, str]:
    """Return printed label (cleaned) -> page_info field, from page_info_labels.csv."""
    return {clean_name(row["label"]): row["field"].strip() for row in read_data_csv("parsers", "page_info_labels.csv")}


def _label_of(text: str) -> tuple[str, str] | None:
    """Given a short text, return (field, value after the label) when it starts
    with an info-block label, else None."""
    name = clean_name(text)
    for label, field in sorted(info_labels().items(), key=lambda kv: -len(kv[0])):
        if name.startswith(label) and (len(name) == len(label) or name[len(label)] in ":："):
            rest = nfkc(text).strip()
            # drop the label as printed (it may have spaces inside: 文　　号)
            match = re.match(r"^\s*" + r"\s*".join(map(re.escape, label)) + r"\s*[:：]?\s*", rest)
            return field, _text(rest[match.end():] if match else "")
    return None


def _take_info_block(root) -> dict[str, str]:
    """Find the info-disclosure block (the smallest element holding two or
    more labels, grown while it gains labels and stays short), read its
    label/value pairs, and remove it from the tree."""
    body = root.find("body")
    if body is None:
        return {}
    best = None
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("body", "html"):
            continue
        count = _label_count(element)
        if count >= 2 and not any(_label_count(child) >= 2 for child in element if isinstance(child.tag, str)):
            best = element
            break
    if best is None:
        return {}
    count = _label_count(best)
    while best.getparent() is not None and best.getparent().tag not in ("body", "html"):
        parent = best.getparent()
        parent_count = _label_count(parent)
        if parent_count <= count or len(_text(parent.text_content())) > _INFO_BLOCK_MAX_CHARS:
            break
        best, count = parent, parent_count
    pairs = _pairs(_leaf_texts(best))
    _drop(best)
    return pairs


def _label_count(element) -> int:
    text = clean_name(element.text_content())
    if len(text) > _INFO_BLOCK_MAX_CHARS * 4:
        return 0
    return len({field for label, field in info_labels().items() if label + ":" in text or label + "：" in text})


def _leaf_texts(element) -> list[str]:
    """Given a block, return the texts of its smallest text-bearing parts in order."""
    out: list[str] = []
    for part in element.iter():
        if not isinstance(part.tag, str):
            continue
        if part.text and part.text.strip():
            out.append(_text(part.text))
        for child in part:
            if child.tail and child.tail.strip():
                out.append(_text(child.tail))
    return out


def _pairs(texts: list[str]) -> dict[str, str]:
    """Given label and value texts in reading order, return field -> value
    (a label's value is after its colon, or the next text that is no label)."""
    out: dict[str, str] = {}
    i = 0
    while i < len(texts):
        found = _label_of(texts[i])
        if found:
            field, value = found
            if not value and i + 1 < len(texts) and not _label_of(texts[i + 1]):
                value = texts[i + 1]
                i += 1
            if value and field not in out:
                out[field] = value
        i += 1
    return out


def _labelled_lines(root) -> dict[str, str]:
    """Return field -> value for short `发布时间:…`-style lines outside the
    info block (the date/source line under a title); several may share one
    line (`发布时间:2020-10-12 来源:…`)."""
    out: dict[str, str] = {}
    body = root.find("body")
    for element in body.iter() if body is not None else []:
        if not isinstance(element.tag, str) or element.tag in ("body", "html") or len(element) > 6:
            continue
        text = _text(element.text_content())
        if not text or len(text) > 120:
            continue
        for piece in re.split(r"\s{2,}|【|\s(?=[\u4e00-\u9fff]{2,4}[:：])", text):
            found = _label_of(piece)
            if found and found[1] and found[0] not in out:
                out[found[0]] = found[1]
    return out


def _title_element(root):
    """Return the article's title element: the first <h1>, else the first
    heading or element whose class says title, inside the body."""
    for path in ("//body//h1", "//body//*[contains(@class, 'title')]", "//body//h2"):
        for element in root.xpath(path):
            if _text(element.text_content()) and len(_text(element.text_content())) <= 120:
                return element
    return None


def _title_text(root, title_el, page_info: dict[str, str]) -> str | None:
    for key in ("meta:ArticleTitle", "title"):
        if page_info.get(key):
            return page_info[key]
    if title_el is not None:
        return _text(title_el.text_content()) or None
    page_title = page_info.get("page_title", "")
    parts = [p for p in re.split(r"\s*[|_\-—–]+\s*", page_title) if p]
    return max(parts, key=len) if parts else None


# -- furniture -------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _furniture() -> tuple[tuple[str, ...], tuple[str, ...]]:
    rows = read_data_csv("parsers", "html_boilerplate.csv")
    classes = tuple(r["value"].strip().lower() for r in rows if r["kind"].strip() == "class")
    texts = tuple(clean_name(r["value"]) for r in rows if r["kind"].strip() == "text")
    return classes, texts


def _remove_furniture(root) -> None:
    body = root.find("body")
    if body is None:
        return
    page_chars = max(1, len(clean_name(body.text_content())))
    classes, texts = _furniture()
    doomed = []
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("body", "html"):
            continue
        if any(element is d or d in element.iterancestors() for d in doomed[-3:]):
            continue
        words = " ".join(filter(None, (element.get("class"), element.get("id")))).lower().split()
        text = clean_name(element.text_content())
        furniture = element.tag in _FURNITURE_TAGS or any(c in w for w in words for c in classes) or (
            len(text) <= 200 and any(text.startswith(t) for t in texts))
        if furniture and not _holds_content(element, text, page_chars):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            _drop(element)


def _holds_content(element, text: str, page_chars: int) -> bool:
    """An element that holds a data table or a third of the page's text is
    content, whatever its class says."""
    if len(text) > page_chars / 3:
        return True
    return any(len(t.xpath(".//tr")) >= 3 for t in element.iter("table"))


# -- attachments -----------------------------------------------------------------------


def _attachments(root) -> Iterator[Attachment]:
    seen: set[str] = set()
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")) or href in seen:
            continue
        text = _text(link.text_content()) or _text(link.get("title") or "")
        path = href.split("?")[0].split("#")[0]
        context = _text((link.getparent().text_content() if link.getparent() is not None else "") or "")[:200]
        annex_like = bool(_ANNEX_SUFFIX.search(path)) or bool(_ANNEX_SUFFIX.search(text))
        says_annex = "附件" in text or "附件" in context
        if annex_like or (says_annex and not _PAGE_SUFFIX.search(path)):
            seen.add(href)
            yield Attachment(text=text, href=href)


# -- the article -----------------------------------------------------------------------


def _article_parts(root) -> list:
    """Return the elements of the page that make up the article, in order."""
    import lxml.html
    from readability import Document as Readable

    body = root.find("body")
    if body is None:
        return [root]
    by_id = {}
    for number, element in enumerate(body.iter()):
        if isinstance(element.tag, str):
            element.set(_TB, str(number))
            by_id[str(number)] = element
    try:
        summary = Readable(lxml.html.tostring(root, encoding="unicode")).summary(html_partial=True)
    except Exception:  # readability.Unparseable: fall back to the whole body
        summary = ""
    kept = [by_id[i] for i in re.findall(rf'{_TB}="(\d+)"', summary) if i in by_id]
    kept = [e for e in kept if _text(e.text_content())]
    if not kept:
        return [body]
    ancestor = _common_ancestor(kept)
    kept_set = set(kept)
    parts = [child for child in ancestor if isinstance(child.tag, str) and (
        child in kept_set or any(d in kept_set for d in child.iterdescendants()))]
    return [ancestor] if ancestor in kept_set or not parts else parts


def _common_ancestor(elements: list):
    chains = [[e] + list(e.iterancestors()) for e in elements]
    common = set(chains[0])
    for chain in chains[1:]:
        common &= set(chain)
    for candidate in chains[0]:
        if candidate in common:
            return candidate
    return chains[0][-1]


def _flow_blocks(element, source: str, limits: Limits) -> list[Paragraph | Table]:
    """Given an element of the article, return its paragraphs and tables in order."""
    flow = _Flow(source, limits)
    if element.tag == "table":
        flow.table(element)
    else:
        flow.walk(element)
    flow.flush()
    return flow.blocks


class _Flow:
    """Walks an element tree, turning inline text into paragraphs."""

    def __init__(self, source: str, limits: Limits):
        self.source, self.limits = source, limits
        self.blocks: list[Paragraph | Table] = []
        self.buffer: list[str] = []
        self.line: int | None = None
        self.level = 0

    def flush(self) -> None:
        text = _text("".join(self.buffer))
        if text:
            self.blocks.append(Paragraph(text, Origin(line=self.line), self.level))
        self.buffer, self.line, self.level = [], None, 0

    def add(self, text: str | None, line: int | None) -> None:
        if text:
            if self.line is None and text.strip():
                self.line = line
            self.buffer.append(text)

    def walk(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "table":
            self.flush()
            self.table(element)
            return
        if tag == "br":
            self.flush()
            return
        block = tag in _BLOCK_TAGS
        if block:
            self.flush()
            self.level = _HEADINGS.get(tag, 0)
        self.add(element.text, element.sourceline)
        for child in element:
            self.walk(child)
            if block and tag in _HEADINGS:
                self.level = _HEADINGS[tag]
            self.add(child.tail, child.sourceline)
        if block:
            self.flush()

    def table(self, element) -> None:
        rows, nested = _table_rows(element, self.limits.max_cells_per_table, self.source)
        while rows and rows[-1].is_blank():
            rows.pop()
        width = max((len(r.cells) for r in rows), default=0)
        if width * len(rows) > self.limits.max_cells_per_table:
            raise TooLarge(
                f"{self.source}: table at line {element.sourceline} has {len(rows):,} rows x {width} columns, "
                f"over the max_cells_per_table limit of {self.limits.max_cells_per_table:,}."
            )
        if width == 1 and rows and not nested:
            # A one-column table is a layout frame: read its cells as flow.
            for cell in _cells_of(element):
                self.walk(cell)
                self.flush()
            return
        if rows:
            self.blocks.append(Table(rows=rows, origin=Origin(line=element.sourceline)))
        for inner in nested:
            self.table(inner)
        check_deadline()


def _rows_of(table) -> Iterator:
    """Given a <table>, yield its own <tr> elements (not those of nested tables)."""
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child if tr.tag == "tr")


def _cells_of(table) -> Iterator:
    for tr in _rows_of(table):
        yield from (c for c in tr if c.tag in ("td", "th"))


def _table_rows(table, max_cells: int = 200_000, source: str = "") -> tuple[list[Row], list]:
    """Given a <table>, return its rows with rowspan/colspan expanded (text
    once then empty strings across a colspan; repeated down a rowspan) and
    the tables nested in its cells; raise TooLarge as soon as the expanded
    cells pass `max_cells` (spans are capped at 1000, but 1000 x 1000 is a
    bomb too)."""
    total = 0
    rows: list[Row] = []
    nested: list = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text)
    trs = list(_rows_of(table))
    for number, tr in enumerate(trs):
        cells: list[str] = []

        def fill_pending() -> None:
            while len(cells) in pending:
                left, text = pending[len(cells)]
                cells.append(text)
                if left <= 1:
                    del pending[len(cells) - 1]
                else:
                    pending[len(cells) - 1] = (left - 1, text)

        for td in (c for c in tr if c.tag in ("td", "th")):
            fill_pending()
            text, inner = _cell_text(td)
            nested.extend(inner)
            colspan = _span(td.get("colspan"), 1)
            rowspan = _span(td.get("rowspan"), 1, rest=len(trs) - number)
            start = len(cells)
            cells.append(text)
            cells.extend([""] * (colspan - 1))
            if rowspan > 1:
                for k in range(colspan):
                    pending[start + k] = (rowspan - 1, text if k == 0 else "")
        for column in sorted(c for c in pending if c >= len(cells)):
            cells.extend([""] * (column - len(cells)))
            fill_pending()
        total += len(cells)
        if total > max_cells:
            raise TooLarge(f"{source}: table at line {table.sourceline} expands (rowspan/colspan) to over "
                           f"{max_cells:,} cells, the max_cells_per_table limit.")
        rows.append(Row(cells=cells, origin=Origin(line=tr.sourceline)))
    if not any(not r.is_blank() for r in rows):
        rows = []
    return rows, nested


def _span(value: str | None, default: int, rest: int | None = None) -> int:
    value = (value or "").strip()
    if not value.isdigit():
        return default
    number = int(value)
    if number == 0 and rest is not None:  # rowspan=0: to the end of the table
        return max(1, rest)
    return max(1, min(number, _SPAN_CAP))


def _cell_text(td) -> tuple[str, list]:
    """Given a <td>/<th>, return its text (lines joined like DOCX cell lines)
    and the tables nested in it."""
    nested = [t for t in td.iter("table") if t is not td and _nearest_table(t) is td]
    lines: list[str] = [""]

    def collect(element) -> None:
        for child in element:
            if child in nested:
                lines.append("")
                if child.tail:
                    lines[-1] += child.tail
                continue
            if not isinstance(child.tag, str):
                continue
            if child.tag == "br" or child.tag in _BLOCK_TAGS:
                lines.append("")
            lines[-1] += child.text or ""
            collect(child)
            if child.tag in _BLOCK_TAGS:
                lines.append("")
            lines[-1] += child.tail or ""

    lines[-1] += td.text or ""
    collect(td)
    return join_lines(_text(line) for line in lines), nested


def _nearest_table(element):
    """Return the closest td/th ancestor of a nested table."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("td", "th"):
            return ancestor
    return None


def _text(text: str) -> str:
    """Collapse HTML whitespace (nbsp included) to single spaces, trimmed;
    ideographic spaces used as indents are trimmed too."""
    return _WS.sub(" ", text or "").strip(" \u3000")
