"""Find and store a web page's annexes (附件) so they are parsed with it.

A bulletin page links its ranking table as a PDF, DOCX or Excel annex. Before
a page is parsed, its `附件` links are resolved — against the page's URL, or,
for a page saved on disk, against its folder — and each annex is downloaded
with the same timeouts, retries, size limit and raw store as `tongbao fetch`
(the flow passes its fetch task in) or copied from disk. The page's
``StoredDocument`` then carries the annexes (``AnnexRef``: where from, the
raw-store path or why there is none), and ``ingest.parsing`` hands their
bytes to ``parsers.bulletin.parse_bulletin``. Plain functions, no Prefect.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin, urlsplit

from parsers.detect import detect_format
from parsers.errors import ParseError
from parsers.html_reader import looks_like_html, read_html

from .outcomes import Outcome, Status
from .rawstore import RawStore, StoredDocument

MAX_ANNEXES = 20  # a page linking more is a listing or a download centre, not a bulletin


@dataclass(frozen=True)
class AnnexRef:
    label: str  # URL or path of the annex
    raw_path: str | None = None  # where its bytes are in the raw store
    error: str | None = None  # why there are none
    charset: str | None = None


def annex_targets(doc: StoredDocument) -> list[str]:
    """Given a stored document, return the annex URLs or paths its page links
    (resolved; none when it is not a web page or links nothing)."""
    with open(doc.raw_path, "rb") as handle:
        head = handle.read(4096)
    if not looks_like_html(head):
        return []
    data = Path(doc.raw_path).read_bytes()
    try:
        if detect_format(data, doc.label) != "html":
            return []
        page = read_html(data, doc.label, doc.sha256, declared_charset=doc.charset)
    except ParseError:
        return []  # the page itself will be rejected when it is parsed
    targets: list[str] = []
    for attachment in page.attachments[:MAX_ANNEXES]:
        target = resolve(doc.label, attachment.href)
        if target and target not in targets and target != doc.label:
            targets.append(target)
    return targets


def resolve(page: str, href: str) -> str | None:
    """Given the page's URL or path and a link as printed, return the annex's
    absolute URL or path; None for a link that leaves http(s) or the disk."""
    if urlsplit(page).scheme in ("http", "https"):
        url = urljoin(page, href)
        return url if urlsplit(url).scheme in ("http", "https") else None
    if urlsplit(href).scheme in ("http", "https"):
        return href
    if urlsplit(href).scheme:
        return None
    return str((Path(page).parent / unquote(href.split("?")[0].split("#")[0])).resolve())


def with_annexes(documents: list[StoredDocument], store: RawStore,
                 fetch: Callable[[list[tuple[str, str | None]]], dict[str, StoredDocument | str]]) -> list[StoredDocument]:
    """Given documents about to be parsed, return them with their annexes
    stored and attached. `fetch` takes (url, city) pairs and returns url ->
    stored document or the error message of a failed download."""
    wanted = {doc.sha256: annex_targets(doc) for doc in documents}
    urls = sorted({(t, doc.city) for doc in documents for t in wanted[doc.sha256] if "://" in t})
    fetched = fetch(urls) if urls else {}
    out = []
    for doc in documents:
        refs = tuple(_ref(target, fetched, store) for target in wanted[doc.sha256])
        out.append(dataclasses.replace(doc, annexes=refs) if refs else doc)
    return out


def split_annexes(documents: list[StoredDocument]) -> tuple[list[StoredDocument], list[Outcome]]:
    """Given documents with their annexes attached, return those to parse
    and a `skipped` outcome for each that is also an annex of a page in the
    same run (a page saved with its annex files beside it): its tables load
    with the page, not a second time as a bulletin of their own."""
    pages = {Path(ref.raw_path).name.split(".")[0]: doc.label
             for doc in documents for ref in doc.annexes if ref.raw_path}
    keep, skipped = [], []
    for doc in documents:
        page = pages.get(doc.sha256)
        if page and not doc.annexes:
            skipped.append(Outcome(doc.label, doc.sha256, Status.SKIPPED, reason="annex",
                                   message=f"read as an annex of {page}"))
        else:
            keep.append(doc)
    return keep, skipped


def _ref(target: str, fetched: dict, store: RawStore) -> AnnexRef:
    if "://" in target:
        got = fetched.get(target)
        if isinstance(got, StoredDocument):
            return AnnexRef(target, got.raw_path, charset=got.charset)
        return AnnexRef(target, error=str(got or "not downloaded"))
    try:
        _, _, stored = store.put_file(target)
    except OSError as exc:
        return AnnexRef(target, error=f"{target} could not be read ({exc.strerror or exc})")
    return AnnexRef(target, str(stored))
