"""Read what a copied web page prints around a bulletin: header, info block, furniture.

Government sites print a header line under the title (`发布时间:2023-08-15
来源:本网`) and often an info-disclosure block (`索引号 … 发布机构 … 成文日期 …
文号 …`). Their labels are data (`data/page_labels.csv`); so are the lines of
page furniture (breadcrumbs, share buttons) that are never a title
(`data/page_furniture.csv`). Text here is the simplified copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .periods import find_dates
from .textnorm import clean_name, clean_prose
from .vocab import read_data_csv

_ISO_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})(?!\d)")
_CN_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_BULLET = re.compile(r"^[\s•·●◆■□▪\-*>]+")
_PUNCT = re.compile(r"[,，。;；:：、!！?？《》“”\"()（）]")
HEAD_LINES = 25  # a page header sits within the first lines of the copy


@dataclass(frozen=True)
class Field:
    label: str
    role: str
    value: str


@dataclass
class PageMeta:
    """What the page's header and info-disclosure block say."""

    header_date: date | None = None
    info_date: date | None = None
    issuers: list[str] = field(default_factory=list)  # 来源 / 发布机构 values, in order
    doc_number: str | None = None  # 文号 field
    title: str | None = None  # 名称 field
    header_lines: set[int] = field(default_factory=set)  # indexes of header / info-block lines


@lru_cache(maxsize=None)
def page_labels() -> tuple[tuple[str, str], ...]:
    rows = [(clean_name(r["label"]), r["role"].strip()) for r in read_data_csv("parsers", "page_labels.csv")]
    return tuple(sorted(rows, key=lambda r: len(r[0]), reverse=True))


@lru_cache(maxsize=None)
def _label_pattern() -> re.Pattern:
    alternatives = [r"\s*".join(map(re.escape, label)) for label, _ in page_labels()]
    return re.compile(r"(?<![\u4e00-\u9fff])(?P<label>" + "|".join(alternatives) + r")\s*(?P<colon>[:：]?)")


@lru_cache(maxsize=None)
def _furniture() -> tuple[tuple[str, str], ...]:
    return tuple((clean_name(r["text"]), r["kind"].strip()) for r in read_data_csv("parsers", "page_furniture.csv"))


def fields_of(line: str) -> list[Field]:
    """Given one line, return its labelled fields (`来源:本网` -> Field(来源, issuer, 本网)).
    A label needs a colon unless the line holds two or more labels (an info block row)."""
    text = _BULLET.sub("", line)
    roles = dict(page_labels())
    hits = [m for m in _label_pattern().finditer(text) if m.start() == 0 or not text[m.start() - 1].isalnum()]
    if len(hits) < 2:
        # One label: it needs a colon, or to open the line followed by a blank (`发布机构  某局`).
        hits = [m for m in hits if m.group("colon") or (m.start() == 0 and text[m.end("label") : m.end("label") + 1].isspace())]
    out = []
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        label = clean_name(m.group("label"))
        out.append(Field(label, roles[label], text[m.end() : end].strip(" \t:：|")))
    return out


def page_dates(text: str) -> list[date]:
    """Given text, return the dates it prints as 2023-08-15, 2023/8/15 or 2023年8月15日."""
    found = []
    for pattern in (_ISO_DATE, _CN_DATE):
        for m in pattern.finditer(text):
            try:
                found.append((m.start(), date(int(m.group("y")), int(m.group("m")), int(m.group("d")))))
            except ValueError:
                continue
    found.extend((10**9, d) for d in find_dates(text) if d not in {x for _, x in found})
    return [d for _, d in sorted(found, key=lambda p: p[0])]


def read_page(texts: list[str]) -> PageMeta:
    """Given a document's first paragraphs (simplified), return its page header and info block."""
    meta = PageMeta()
    for i, text in enumerate(texts[:HEAD_LINES]):
        fields = fields_of(text)
        if not fields:
            continue
        roles = [f.role for f in fields]
        info_block = sum(r in ("info", "info_date", "doc_number", "title") for r in roles) >= 2 or "info" in roles
        dated = page_dates(text)
        for f in fields:
            value_dates = page_dates(f.value)
            if f.role == "header_date" and value_dates:
                if info_block:
                    meta.info_date = meta.info_date or value_dates[0]
                else:
                    meta.header_date = meta.header_date or value_dates[0]
            elif f.role == "info_date" and value_dates:
                meta.info_date = meta.info_date or value_dates[0]
            elif f.role == "issuer" and f.value:
                meta.issuers.append(clean_name(_first_token(f.value)))
            elif f.role == "doc_number" and f.value:
                meta.doc_number = meta.doc_number or clean_name(f.value)
            elif f.role == "title" and f.value:
                meta.title = meta.title or clean_prose(f.value)
        if dated and meta.header_date is None and not info_block and set(roles) <= {"page", "issuer"}:
            # `2022-05-26 作者: 点击数:` or `来源:长乐区 2022-12-09 16:42 浏览量:`
            meta.header_date = dated[0]
        meta.header_lines.add(i)
    return meta


def _first_token(value: str) -> str:
    """`长乐区 2022-12-09 16:42` -> `长乐区`: a source is one name, before any date or blank."""
    value = _ISO_DATE.split(value)[0]
    return value.strip().split()[0] if value.strip() else ""


def is_furniture(text: str) -> bool:
    """Given a line, say whether it is page furniture: a breadcrumb, a site
    navigation bar, share buttons or a header/info line, never a title."""
    name = clean_name(_BULLET.sub("", text))
    if not name:
        return True
    for marker, kind in _furniture():
        if (kind == "start" and name.startswith(marker)) or (kind == "contains" and marker in name):
            return True
    if name.count(">") >= 2 or name.count("»") >= 2 or (name.count("/") >= 2 and not _PUNCT.search(name)):
        return True
    if fields_of(text):
        return True
    tokens = _BULLET.sub("", text).split()
    if len(tokens) >= 4 and all(len(t) <= 6 for t in tokens) and not _PUNCT.search(text):
        return True  # a navigation bar: 首页 走进洋县 新闻中心 政府信息公开 …
    return False
