"""Read a bulletin's metadata from its prose: city, issuer, number, title, date, period.

Government documents put these in conventional places: the document number
(`景府办明〔2021〕2号`) on a line of its own near the top, the title with
`关于…的通报`, the issuer and date in the signature block at the end (`…印发`
in the colophon). Copied web pages add a header under the title (`发布时间:`,
`来源:`) and an info-disclosure block (`索引号 / 发布机构 / 成文日期 / 文号`),
read by ``parsers.page_meta``; their breadcrumbs and buttons are never the title.

Interpretation reads the simplified copy; title, issuer and document number
are returned as printed (``Document.printed``). The issuing place is returned
as printed text (`place_hints`); the units layer resolves it to a division.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from .model import Document, Paragraph
from .page_meta import PageMeta, is_furniture, page_dates, read_page
from .periods import Period, find_dates, find_period, months_period
from .textnorm import clean_name, clean_prose

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d{1,4}\s*[号號]")
_ORG_SUFFIX = r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|管理局|委员会|局|中心|办)"
_ISSUER = re.compile(
    r"^(?:发电单位|发文单位|发文机关)?[:：]?(?P<org>[\u4e00-\u9fff()（）]{2,40}?" + _ORG_SUFFIX + r")$"
)
_TITLE_ORG = re.compile(r"^(?P<org>[\u4e00-\u9fff()（）]{2,40}?" + _ORG_SUFFIX + r")关于")
_CITIES = (
    re.compile(r"^(?P<city>[\u4e00-\u9fff]{1,6}?市)"),
    re.compile(r"^(?P<city>[\u4e00-\u9fff]{1,8}?(?:自治州|地区|盟|州))"),
    # A county, district or banner body (`洋县人民政府办公室`): never a NULL city.
    re.compile(r"^(?P<city>[\u4e00-\u9fff]{1,8}?(?:县|区|旗))(?=(?:人民)?政府|委员会|党委)"),
)
_FRAGMENT = re.compile(r"^(?:全|本|各|我|该|市|县|区|第|针对|关于|根据|按照)")
_TITLE_HINT = re.compile(r"(通报|情况的报告|排名表)")
_ISSUED = re.compile(r"印发$")
_ANNEX = re.compile(r"^附件\s*\d*\s*[:：.、]?")
_TITLE_WRAP = re.compile(r"^[《\"“]+|[》\"”。]+$")
MAX_TITLE_CHARS = 100
_ISO_DATE = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")


@dataclass
class BulletinMeta:
    city: str | None
    issuer: str | None
    doc_number: str | None
    title: str | None
    published_date: date | None
    period: Period | None
    # page_header, info_block, colophon (…印发) or signature; None without a date.
    published_date_source: str | None = None
    # Printed texts naming the issuing body or place, most trusted first (simplified):
    # the issuer, the title's issuer, 来源/发布机构, a bare place line. The units layer
    # resolves them to the place's division; `city` is the parser's own reading.
    place_hints: list[str] = field(default_factory=list)


def read_metadata(doc: Document) -> BulletinMeta:
    """Given a shaped document, return what it says about itself."""
    paragraphs = doc.paragraphs + doc.margin_text
    texts = [clean_prose(p.text) for p in paragraphs]
    page = read_page([p.text for p in paragraphs])
    title = (
        _heading_title(doc.paragraphs)
        or _page_title(doc.paragraphs, page)
        or _plain_title(doc.paragraphs)
        or _plain_title(doc.margin_text)
        or page.title
        or _first_caption_title(doc)
    )
    published, source = _published_date(texts, page)
    candidates = _issuer_candidates(texts, title, page)
    issuer = _fullest(candidates[0][1], [c for _, c in candidates]) if candidates else None
    hints = [c for _, c in candidates] + _place_lines(texts[:5])
    meta = BulletinMeta(
        city=_city(issuer, [c for _, c in candidates]),
        issuer=_printed(doc, issuer),
        doc_number=_printed(doc, _doc_number(texts, page)),
        title=_printed_title(doc, title),
        published_date=published,
        period=_period(title, texts, page, published, _source_date(doc.source)),
        published_date_source=source if published else None,
        place_hints=list(dict.fromkeys(h for h in hints if h)),
    )
    return _with_page_info(meta, doc.page_info) if doc.page_info else meta


def _with_page_info(meta: BulletinMeta, info: dict[str, str]) -> BulletinMeta:
    """Given what the text says and a web page's labelled facts (info block,
    <meta> tags, file name), fill only what the text left unsaid."""
    def first(*keys: str) -> str | None:
        return next((clean_prose(info[k]) for k in keys if info.get(k)), None)

    issuer = meta.issuer or first("issuer", "meta:ContentSource", "meta:author")
    title = meta.title or first("title", "meta:ArticleTitle", "file_name")
    named = [t for t in (issuer, title, first("file_name"), first("meta:SiteName")) if t]
    period = meta.period
    for text in ([] if period else [t for t in (title, first("file_name")) if t]):
        found = find_period(text)
        if found and found.year:
            period = found
            break
    published, source = meta.published_date, meta.published_date_source
    if published is None:
        for keys, where in ((("written_date", "published_date"), "info_block"), (("meta:PubDate",), "meta")):
            stated = clean_name(first(*keys) or "")
            dates = find_dates(stated) or find_dates(_ISO_DATE.sub(r"\1年\2月\3日", stated))
            if dates:
                published, source = dates[0], where
                break
    number = meta.doc_number or (_doc_number([info["doc_number"]], PageMeta()) if info.get("doc_number") else None)
    city = meta.city or (_city(issuer, []) if issuer else None) or _city(None, named)
    hints = meta.place_hints + [t for t in (issuer, first("meta:SiteName")) if t and t not in meta.place_hints]
    return replace(meta, city=city, issuer=issuer, doc_number=number, title=title, published_date=published,
                   published_date_source=source, period=period, place_hints=hints)


# ------------------------------------------------------------------ printed forms


def _printed(doc: Document, text: str | None) -> str | None:
    return doc.printed.printed(text, clean_name) if text else text


def _printed_title(doc: Document, title: str | None) -> str | None:
    if not title:
        return title
    # A joined title maps part by part (parts are marked by NUL while reading).
    return "".join(doc.printed.printed(p, _title_form) or p for p in title.split("\u0000"))


def _title_form(text: str) -> str:
    return clean_prose(text).replace(" ", "") if _mostly_chinese(text) else clean_prose(text)


# ------------------------------------------------------------------ document number


def _doc_number(texts: list[str], page: PageMeta) -> str | None:
    """The bulletin's own number: the 文号 field, or a number a line starts with
    (alone, or before `:《title》`). A number inside a sentence is a citation."""
    if page.doc_number:
        match = _DOC_NUMBER.match(page.doc_number)
        if match:
            return re.sub(r"\s+", "", match.group(0))
    for text in texts[:40] + texts[-20:]:
        name = clean_name(re.sub(r"^[\s•·●]+", "", text))
        match = _DOC_NUMBER.match(name)
        if match and _stands_alone(name[match.end() :]):
            return match.group(0)
    return None


def _stands_alone(rest: str) -> bool:
    return not rest or rest[0] in ":：《" or len(rest) <= 2


# ------------------------------------------------------------------ title


def _clean_title(text: str) -> str:
    text = _title_form(text)
    match = _DOC_NUMBER.match(text)
    if match and text[match.end() : match.end() + 1] in (":", "：", "《"):
        text = text[match.end() :].lstrip(":：")
    return _TITLE_WRAP.sub("", text)


def _title_like(p: Paragraph) -> bool:
    name = clean_name(p.text)
    return (
        2 <= len(name) <= MAX_TITLE_CHARS
        and _mostly_chinese(p.text)
        and not is_furniture(p.text)
        and not _ANNEX.match(name)
        and not name.endswith((":", "：", "。"))
    )


def _heading_title(paragraphs: list[Paragraph]) -> str | None:
    for p in paragraphs:
        if p.heading_level and _TITLE_HINT.search(p.text) and _title_like(p):
            return _clean_title(p.text)
    return None


def _page_title(paragraphs: list[Paragraph], page: PageMeta) -> str | None:
    """The line right above the page header (`发布时间:…`), joined with the line
    above it when the title was set over two lines."""
    if not page.header_lines:
        return None
    head = paragraphs[: max(page.header_lines) + 1]
    for i in sorted(page.header_lines):
        j = i - 1
        if j < 0 or j >= len(head) or j in page.header_lines or not _title_like(head[j]):
            continue
        above = head[j - 1] if j > 0 and j - 1 not in page.header_lines else None
        return _joined_title(above, head[j], issuer_line=True)
    return None


def _plain_title(paragraphs: list[Paragraph]) -> str | None:
    """The first line ending in 通报, joined with the line above when it continues it."""
    for i, p in enumerate(paragraphs[:30]):
        if _title_like(p) and _clean_title(p.text).endswith("通报"):
            return _joined_title(paragraphs[i - 1] if i > 0 else None, p, issuer_line=False)
    return None


def _joined_title(above: Paragraph | None, line: Paragraph, issuer_line: bool) -> str:
    """A title set over two lines is joined: `…关于2023年第二季度政府网站` over
    `检查情况的通报`, or (under a page header) the issuer over `关于…的通报`."""
    title = _clean_title(line.text)
    if above is None or not _adjacent(above, line) or not _title_like(above):
        return title
    upper = clean_name(above.text)
    continues = "关于" not in title and "关于" in upper and not _TITLE_HINT.search(upper)
    issuer_over = issuer_line and title.startswith("关于") and _ISSUER.match(upper)
    if continues or issuer_over:
        return _clean_title(above.text) + "\u0000" + title
    return title


def _adjacent(above: Paragraph, below: Paragraph) -> bool:
    a, b = above.origin, below.origin
    if a.line is not None and b.line is not None:
        return b.line == a.line + 1
    if a.block is not None and b.block is not None:
        return b.block == a.block + 1
    return True


def _first_caption_title(doc: Document) -> str | None:
    """A table caption stands in for a lost title, unless the text names the table as an annex."""
    annexes = {_annex_name(p.text) for p in doc.paragraphs if _ANNEX.match(clean_name(p.text))}
    for table in doc.tables:
        for line in table.caption:
            if not find_period(line) or line.startswith("(") or line.startswith("（"):
                continue
            if clean_name(line) in annexes or _ANNEX.match(clean_name(line)):
                continue
            return clean_prose(line)
    return None


def _annex_name(text: str) -> str:
    return _ANNEX.sub("", clean_name(text))


# ------------------------------------------------------------------ issuer and place


def _issuer_candidates(texts: list[str], title: str | None, page: PageMeta) -> list[tuple[str, str]]:
    """(where, body) in order of trust: signature, title, 来源/发布机构, a head line, colophon."""
    found: list[tuple[str, str]] = []
    signature = _signature_issuer(texts)
    if signature:
        found.append(("signature", signature))
    match = _TITLE_ORG.match(clean_name((title or "").replace("\u0000", "")))
    if match:
        found.append(("title", match.group("org")))
    for value in page.issuers:
        match = _ISSUER.match(value)
        if match:
            found.append(("page", match.group("org")))
    for i, text in enumerate(texts[:10]):
        if i in page.header_lines:
            continue
        match = _ISSUER.match(clean_name(text))
        if match:
            found.append(("head", match.group("org")))
    for i in range(len(texts) - 1, 0, -1):
        if _ISSUED.search(clean_name(texts[i])):
            match = _ISSUER.match(clean_name(texts[i - 1]))
            if match:
                found.append(("colophon", match.group("org")))
    return found


def _signature_issuer(texts: list[str]) -> str | None:
    # The signature block sits just above the issue date, near the end.
    for i in range(len(texts) - 1, 0, -1):
        if find_dates(texts[i]) and len(clean_name(texts[i])) <= 20:
            match = _ISSUER.match(clean_name(texts[i - 1]))
            if match and not _ISSUED.search(texts[i]):
                return match.group("org")
    return None


def _body_key(org: str) -> str:
    key = org.replace("人民", "")
    return key + "公室" if key.endswith("办") else key


def _fullest(chosen: str, candidates: list[str]) -> str:
    """The fullest printed name of the chosen body (`站前区政府办公室` -> `站前区人民政府办公室`)."""
    same = [c for c in candidates if _body_key(c) == _body_key(chosen)]
    return max(same, key=len) if same else chosen


def _city(issuer: str | None, orgs: list[str]) -> str | None:
    """The parser's own reading of the city: the place an issuing body's name starts with."""
    for text in ([issuer] if issuer else []) + orgs:
        for pattern in _CITIES:
            match = pattern.match(text)
            if match and not _FRAGMENT.match(match.group("city")):
                return match.group("city")
    return None


def _place_lines(texts: list[str]) -> list[str]:
    """A bare place name on a line of its own at the top (a site's banner: `长乐区`)."""
    out = []
    for text in texts:
        name = clean_name(text)
        if 2 <= len(name) <= 12 and re.fullmatch(r"[\u4e00-\u9fff]+(?:市|县|区|旗|州|盟)", name):
            out.append(name)
    return out


# ------------------------------------------------------------------ date


def _published_date(texts: list[str], page: PageMeta) -> tuple[date | None, str | None]:
    """The page header's date, else the info block's, else the signature's."""
    if page.header_date:
        return page.header_date, "page_header"
    if page.info_date:
        return page.info_date, "info_block"
    for text in reversed(texts):
        name = clean_name(text)
        if _ISSUED.search(name) and find_dates(name):
            return find_dates(name)[-1], "colophon"
    for text in reversed(texts):
        name = clean_name(text)
        dates = find_dates(name)
        if dates and len(name) <= 20:
            return dates[-1], "signature"
    return None, None


# ------------------------------------------------------------------ period


def _period(
    title: str | None, texts: list[str], page: PageMeta, published: date | None, source_date: date | None = None
) -> Period | None:
    """The title's period, else the first the text names with its year, else one
    printed without its year (`一季度`: the year of the published date, of a date
    in the text, or of the date in the page's address), else the month of the
    first date the body states."""
    body = [t for i, t in enumerate(texts) if i not in page.header_lines]
    dates = [d for t in body for d in page_dates(t)]
    reference = published or (dates[0] if dates else None) or source_date
    published = published or (source_date if not dates else None)
    title_text = (title or "").replace("\u0000", "")
    if title_text:
        period = find_period(title_text, reference.year if reference else None, True, published)
        if period and period.year:
            return _not_after(period, published)
    for text in body:
        period = find_period(text, None, True, published)
        if period and period.year:
            return period
    if reference:
        for text in body:
            period = find_period(text, reference.year, True, published)
            if period and period.year:
                return _not_after(period, published)
    if dates:
        return months_period(dates[0].year, dates[0].month, dates[0].month)
    return None


# A publishing date in a page's address: `/202504/t20250408_123.html`, `/2025-04/`.
_SOURCE_DATE = re.compile(r"(?<![0-9])(?P<y>20\d{2})[-_]?(?P<m>0[1-9]|1[0-2])(?:[-_]?(?P<d>[0-3]\d))?(?![0-9])")


def _source_date(source: str | None) -> date | None:
    """Given where the bulletin was read from, return the date its address prints, if any."""
    if not source or ("/" not in source and "\\" not in source):
        return None
    for segment in reversed(re.split(r"[/\\]", source)[-3:]):  # the file and the folders just above it
        for match in _SOURCE_DATE.finditer(segment.lstrip("t")):
            try:
                return date(int(match.group("y")), int(match.group("m")), int(match.group("d") or 1))
            except ValueError:
                continue
    return None


def _not_after(period: Period, published: date | None) -> Period:
    """A period printed without its year cannot start after the bulletin was published
    (`四季度` published in January is last year's)."""
    if published and period.start and period.start > published and period.year == published.year:
        start, end = period.start, period.end
        if period.grain == "quarter":
            return Period(period.year - 1, period.quarter)
        if start and end:
            shifted = months_period(period.year - 1, start.month, end.month)
            if shifted:
                return shifted
    return period


def _mostly_chinese(text: str) -> bool:
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han >= len(text.replace(" ", "")) * 0.6
