"""Site sources: read a site's listing pages and find the articles to ingest.

Offices publish bulletins as articles in a column of their site
(政府网站监管, 通知公告 …). A sources entry names the column's listing page,
a regular expression the article links match, and how many listing pages to
read (the first page and its 下一页 successors). Each scheduled run reads the
listing, keeps the article URLs it has not seen (not yet in
`source_documents`), and the flow fetches those like any URL, following
their attachments. Plain functions: the flow passes in how to fetch a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urljoin, urlsplit

from parsers.html_reader import decode_html

from .sources import FetchError, SiteSource

_NEXT_TEXT = re.compile(r"^\s*(下一页|下页|后一页|next|›|»|>)\s*$", re.IGNORECASE)


@dataclass
class SiteDiscovery:
    site: SiteSource
    articles: list[str] = field(default_factory=list)  # in listing order, each once
    pages_read: int = 0
    errors: list[FetchError] = field(default_factory=list)


def listing_links(data: bytes, page_url: str, pattern: re.Pattern) -> tuple[list[str], str | None]:
    """Given a listing page's bytes and URL, return the article URLs whose
    absolute form matches `pattern`, in order, and the next page's URL."""
    import lxml.html

    text, _ = decode_html(data, page_url)
    root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    articles: list[str] = []
    next_url = None
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = urljoin(page_url, href)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        label = link.text_content() or ""
        if next_url is None and (_NEXT_TEXT.match(label) or "next" in (link.get("rel") or "").lower()):
            if url.split("#")[0] != page_url.split("#")[0]:
                next_url = url
            continue
        if pattern.search(url) and url not in articles:
            articles.append(url)
    return articles, next_url


def discover(site: SiteSource, fetch: Callable[[str], bytes]) -> SiteDiscovery:
    """Given a site source and a function returning a page's bytes (raising
    FetchError), return the article URLs its listing pages link."""
    pattern = re.compile(site.pattern)
    found = SiteDiscovery(site)
    url: str | None = site.listing
    visited: set[str] = set()
    while url and url not in visited and found.pages_read < site.max_pages:
        visited.add(url)
        try:
            data = fetch(url)
        except FetchError as exc:
            found.errors.append(exc)
            break
        found.pages_read += 1
        articles, url = listing_links(data, url, pattern)
        found.articles.extend(a for a in articles if a not in found.articles)
    return found
