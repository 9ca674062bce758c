"""Read a bulletin's metadata from its prose: city, issuer, number, title, date, period.

Government documents put these in conventional places: the document number
(`景府办明〔2021〕2号`) near the top, the title with `关于…的通报`, the
issuer and date in the signature block at the end (`…印发` in the colophon).
Copied web pages often lose the title; the first table's caption stands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .model import Document, Paragraph
from .periods import Period, find_dates, find_period
from .textnorm import clean_name, clean_prose

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d{1,4}\s*号")
_ISSUER = re.compile(
    r"^(?:发电单位|发文单位|发文机关)?[:：]?(?P<org>[\u4e00-\u9fff()（）]{2,40}?"
    r"(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|管理局|委员会|局|中心|办))$"
)
_CITIES = (
    re.compile(r"^(?P<city>[\u4e00-\u9fff]{1,6}?市)"),
    re.compile(r"^(?P<city>[\u4e00-\u9fff]{1,8}?(?:自治州|地区|盟|州))"),
)
_TITLE_HINT = re.compile(r"(通报|情况的报告|排名表)")
_ISSUED = re.compile(r"印发$")
_ISO_DATE = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})[-/.](\d{1,2})")


@dataclass
class BulletinMeta:
    city: str | None
    issuer: str | None
    doc_number: str | None
    title: str | None
    published_date: date | None
    period: Period | None


def read_metadata(doc: Document) -> BulletinMeta:
    """Given a shaped document, return what it says about itself."""
    paragraphs = doc.paragraphs + doc.margin_text
    texts = [clean_prose(p.text) for p in paragraphs]
    issuer = _issuer(texts)
    title = _title(doc.paragraphs) or _title(doc.margin_text) or _first_caption_title(doc)
    period = None
    for candidate in ([title] if title else []) + texts:
        period = find_period(candidate)
        if period and period.year:
            break
        period = None
    meta = BulletinMeta(
        city=_city(issuer, texts),
        issuer=issuer,
        doc_number=_doc_number(texts),
        title=title,
        published_date=_published_date(texts),
        period=period,
    )
    return _with_page_info(meta, doc.page_info) if doc.page_info else meta


def _with_page_info(meta: BulletinMeta, info: dict[str, str]) -> BulletinMeta:
    """Given what the text says and a page's labelled facts (info block,
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
    stated = clean_name(first("written_date", "published_date", "meta:PubDate") or "")
    dates = find_dates(stated) or find_dates(_ISO_DATE.sub(r"\1年\2月\3日", stated))
    number = meta.doc_number or (_doc_number([info["doc_number"]]) if info.get("doc_number") else None)
    # The issuer names the city more surely than a guess from the first lines.
    city = (_city(issuer, []) if issuer and not meta.issuer else None) or meta.city or _city(None, named)
    return BulletinMeta(city=city, issuer=issuer, doc_number=number, title=title,
                        published_date=meta.published_date or (dates[0] if dates else None), period=period)


def _doc_number(texts: list[str]) -> str | None:
    for text in texts[:40] + texts[-20:]:
        match = _DOC_NUMBER.search(text)
        if match:
            return re.sub(r"\s+", "", match.group(0))
    return None


def _title(paragraphs: list[Paragraph]) -> str | None:
    headed = [p for p in paragraphs if p.heading_level and _TITLE_HINT.search(p.text)]
    plain = [p for p in paragraphs[:30] if len(clean_name(p.text)) <= 80 and clean_name(p.text).endswith("通报")]
    for p in headed + plain:
        return clean_prose(p.text).replace(" ", "") if _mostly_chinese(p.text) else clean_prose(p.text)
    return None


def _first_caption_title(doc: Document) -> str | None:
    for table in doc.tables:
        for line in table.caption:
            if find_period(line) and not line.startswith("(") and not line.startswith("（"):
                return clean_prose(line)
    return None


def _issuer(texts: list[str]) -> str | None:
    # The signature block sits just above the issue date, near the end.
    for i in range(len(texts) - 1, -1, -1):
        if find_dates(texts[i]) and len(clean_name(texts[i])) <= 20 and i > 0:
            candidate = clean_name(texts[i - 1])
            match = _ISSUER.match(candidate)
            if match and not _ISSUED.search(texts[i]):
                return match.group("org")
    for text in texts[:10]:
        match = _ISSUER.match(clean_name(text))
        if match:
            return match.group("org")
    for i in range(len(texts) - 1, -1, -1):
        if _ISSUED.search(clean_name(texts[i])) and i > 0:
            match = _ISSUER.match(clean_name(texts[i - 1]))
            if match:
                return match.group("org")
    return None


def _city(issuer: str | None, texts: list[str]) -> str | None:
    for text in ([issuer] if issuer else []) + [clean_name(t) for t in texts[:5]]:
        for pattern in _CITIES:
            match = pattern.match(text)
            if match:
                return match.group("city")
    return None


def _published_date(texts: list[str]) -> date | None:
    for text in reversed(texts):
        name = clean_name(text)
        if _ISSUED.search(name) and find_dates(name):
            return find_dates(name)[-1]
    for text in reversed(texts):
        name = clean_name(text)
        dates = find_dates(name)
        if dates and len(name) <= 20:
            return dates[-1]
    return None


def _mostly_chinese(text: str) -> bool:
    han = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return han >= len(text.replace(" ", "")) * 0.6
