"""Where bulletins come from: a sources file, and polite downloading.

A nightly run needs to know, per city, which inbox folders to read and which
URLs to fetch. Downloads must not hang (timeouts), must not fill the disk
(a size limit, checked while streaming), must not hammer a site (conditional
requests with ETag / Last-Modified, so an unchanged file costs a 304), and
must survive a flaky server: `fetch_url` raises `FetchError(retryable=True)`
for errors worth retrying, and the Prefect task that wraps it retries with
backoff. Everything downloaded goes into the raw store first.

The sources file (TOML, or YAML with the same structure):

    [defaults]            # all optional
    timeout_s = 30
    retries = 3
    retry_delay_s = 10    # first retry; doubles each time
    max_bytes = 52428800
    deadline_s = 300      # a whole download, however slowly the bytes trickle
    redirect_hosts = []   # hosts (host or host:port) a redirect may lead to besides the URL's own

    [cities."吉林市"]
    inboxes = ["/data/inbox/jilin"]          # relative paths: relative to this file
    urls = ["https://www.jlcity.gov.cn/…/tongbao-2020q3.docx"]
"""

from __future__ import annotations

import hashlib
import json
import math
import time
import os
import tempfile
import tomllib
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from .rawstore import StoredDocument, RawStore, _suffix

USER_AGENT = "tongbao (government bulletin archiver; https://github.com/tongbao)"


class SourcesError(ValueError):
    """The sources file is missing or malformed; the message says where."""


class FetchError(Exception):
    """A download failed. `retryable` errors (timeouts, 5xx, 429, broken
    connections) are worth another attempt; the others are final."""

    def __init__(self, url: str, reason: str, message: str, retryable: bool = False):
        super().__init__(url, reason, message, retryable)
        self.url, self.reason, self.message, self.retryable = url, reason, message, retryable

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FetchOptions:
    timeout_s: float = 30.0
    retries: int = 3
    retry_delay_s: float = 10.0
    max_bytes: int = 50 * 1024 * 1024
    deadline_s: float = 300.0
    redirect_hosts: tuple[str, ...] = ()

    def retry_delays(self) -> list[float]:
        """Return the wait before each retry: exponential backoff."""
        return [self.retry_delay_s * 2**i for i in range(self.retries)]


@dataclass(frozen=True)
class SiteSource:
    """A site column to watch: its listing page, the pattern article links
    match, and how many listing pages (the first and its 下一页) to read."""

    listing: str
    pattern: str
    max_pages: int = 5


@dataclass(frozen=True)
class CitySources:
    city: str
    inboxes: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    sites: tuple[SiteSource, ...] = ()


@dataclass(frozen=True)
class SourcesConfig:
    path: str
    cities: tuple[CitySources, ...] = ()
    options: FetchOptions = field(default_factory=FetchOptions)

    def select(self, cities: list[str] | None) -> tuple[CitySources, ...]:
        """Given city names (None: all), return their entries; raise
        SourcesError for a name the file does not list."""
        if not cities:
            return self.cities
        known = {c.city: c for c in self.cities}
        unknown = [c for c in cities if c not in known]
        if unknown:
            raise SourcesError(f"{self.path} lists no city {', '.join(unknown)}; it lists {', '.join(known) or 'none'}.")
        return tuple(known[c] for c in cities)


def load_sources(path: str | Path) -> SourcesConfig:
    """Given a TOML or YAML sources file, return its validated contents."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"cannot read the sources file {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SourcesError(f"the sources file {path} is not UTF-8 text (byte {exc.start}); save it as UTF-8.") from exc
    try:
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            raw = yaml.safe_load(text) or {}
        else:
            raw = tomllib.loads(text)
    except Exception as exc:  # tomllib / yaml errors carry the line
        raise SourcesError(f"{path} is not valid {'YAML' if path.suffix.lower() in ('.yaml', '.yml') else 'TOML'}: {exc}") from exc
    return parse_sources(raw, path)


def parse_sources(raw: dict, path: Path) -> SourcesConfig:
    """Given the parsed file, return a SourcesConfig; inbox paths are made
    absolute relative to the file's folder."""
    if not isinstance(raw, dict):
        raise SourcesError(f"{path}: expected a table with `cities`")
    unknown = set(raw) - {"defaults", "cities"}
    if unknown:
        raise SourcesError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}; expected `defaults` and `cities`.")
    options = _options(_table(raw.get("defaults"), "defaults", path), path)
    cities = []
    for name, entry in _table(raw.get("cities"), "cities", path).items():
        if not isinstance(entry, dict):
            raise SourcesError(f"{path}: cities.{name} must be a table with `inboxes`, `urls` and/or `sites`")
        extra = set(entry) - {"inboxes", "urls", "sites"}
        if extra:
            raise SourcesError(f"{path}: cities.{name} has unknown key(s) {', '.join(sorted(extra))}")
        inbox_list = _strings(entry.get("inboxes", []), f"cities.{name}.inboxes", path)
        for inbox in inbox_list:
            if ".." in Path(inbox).parts:
                raise SourcesError(f"{path}: cities.{name}.inboxes: {inbox!r} climbs out with `..`; give the folder itself")
        inboxes = tuple(str((path.parent / p).resolve()) for p in inbox_list)
        urls = tuple(_strings(entry.get("urls", []), f"cities.{name}.urls", path))
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https"):
                raise SourcesError(f"{path}: cities.{name}.urls: {url!r} is not an http(s) URL")
        cities.append(CitySources(str(name), inboxes, urls, _sites(entry.get("sites", []), f"cities.{name}.sites", path)))
    return SourcesConfig(str(path), tuple(cities), options)


def _table(value, where: str, path: Path) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SourcesError(f"{path}: `{where}` must be a table, got {type(value).__name__}")
    return value


def _options(raw: dict, path: Path) -> FetchOptions:
    allowed = {"timeout_s": float, "retries": int, "retry_delay_s": float, "max_bytes": int, "deadline_s": float,
               "redirect_hosts": tuple}
    values = {}
    for key, value in raw.items():
        if key not in allowed:
            raise SourcesError(f"{path}: defaults.{key} is not a setting; use one of {', '.join(allowed)}")
        if allowed[key] is tuple:
            values[key] = tuple(_strings(value, f"defaults.{key}", path))
            continue
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) or value < 0:
            raise SourcesError(f"{path}: defaults.{key} must be a finite non-negative number, got {value!r}")
        if allowed[key] is int and value != int(value):
            raise SourcesError(f"{path}: defaults.{key} must be a whole number, got {value!r}")
        values[key] = allowed[key](value)
    return FetchOptions(**values)


def _sites(value, where: str, path: Path) -> tuple[SiteSource, ...]:
    """Given the `sites` list of a city, return its validated site sources."""
    import re

    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise SourcesError(f"{path}: {where} must be a list of tables with `listing` and `pattern`")
    sites = []
    for i, site in enumerate(value):
        extra = set(site) - {"listing", "pattern", "max_pages"}
        if extra:
            raise SourcesError(f"{path}: {where}[{i}] has unknown key(s) {', '.join(sorted(extra))}")
        listing, pattern = site.get("listing"), site.get("pattern")
        if not isinstance(listing, str) or urlsplit(listing).scheme not in ("http", "https"):
            raise SourcesError(f"{path}: {where}[{i}].listing must be an http(s) URL, got {listing!r}")
        if not isinstance(pattern, str):
            raise SourcesError(f"{path}: {where}[{i}].pattern must be a regular expression the article links match")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SourcesError(f"{path}: {where}[{i}].pattern {pattern!r} is not a regular expression ({exc})") from exc
        pages = site.get("max_pages", 5)
        if not isinstance(pages, int) or isinstance(pages, bool) or pages < 1:
            raise SourcesError(f"{path}: {where}[{i}].max_pages must be a positive whole number, got {pages!r}")
        sites.append(SiteSource(listing, pattern, pages))
    return tuple(sites)


def _strings(value, where: str, path: Path) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesError(f"{path}: {where} must be a list of strings")
    return value


# --- conditional downloads -------------------------------------------------


def _state_path(store: RawStore, url: str) -> Path:
    return store.root / "_http" / (hashlib.sha256(url.encode()).hexdigest()[:24] + ".json")


def read_http_state(store: RawStore, url: str) -> dict:
    """Given a URL, return what the last successful fetch saw (etag,
    last_modified, sha256), or {}."""
    try:
        return json.loads(_state_path(store, url).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_http_state(store: RawStore, url: str, state: dict) -> None:
    target = _state_path(store, url)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"url": url, **state}, handle, ensure_ascii=False)
    os.replace(tmp, target)


def conditional_headers(state: dict) -> dict[str, str]:
    """Given the last fetch's state, return If-None-Match / If-Modified-Since headers."""
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    return headers


def fetch_url(url: str, store: RawStore, options: FetchOptions = FetchOptions(), city: str | None = None,
              client: httpx.Client | None = None) -> StoredDocument:
    """Given a URL, return the document it serves, stored in the raw store.
    An unchanged file (304) returns the stored copy without downloading.
    Raises FetchError (retryable or not) when there is nothing to return."""
    state = read_http_state(store, url)
    own = client is None
    client = client or httpx.Client(follow_redirects=False, headers={"User-Agent": USER_AGENT})
    try:
        return _fetch(client, url, store, options, city, state)
    except httpx.TimeoutException as exc:
        raise FetchError(url, "download_timeout", f"{url} did not answer within {options.timeout_s:g}s ({type(exc).__name__}); "
                         "the site may be slow or down: it will be tried again on the next run.", retryable=True) from exc
    except httpx.TransportError as exc:
        raise FetchError(url, "download_failed", f"{url} could not be downloaded ({type(exc).__name__}: {exc}); "
                         "check the URL and the network.", retryable=True) from exc
    finally:
        if own:
            client.close()


MAX_REDIRECTS = 10


def _host_port(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return f"{(parts.hostname or '').lower()}:{port}"


def redirect_allowed(origin: str, target: str, allowed: tuple[str, ...]) -> bool:
    """Given the URL asked for, a redirect target and the hosts the sources
    file allows, tell whether to follow: same host and port (http→https on the
    same host too), or a host listed (`host` for its default port, or `host:port`)."""
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https"):
        return False
    here, there = _host_port(origin), _host_port(target)
    if there == here or (parts.hostname or "").lower() == (urlsplit(origin).hostname or "").lower() and \
            urlsplit(origin).scheme == "http" and parts.scheme == "https" and parts.port in (None, 443):
        return True
    names = {a.lower() for a in allowed}
    default = f"{(parts.hostname or '').lower()}:{ {'http': 80, 'https': 443}[parts.scheme] }"
    return there in names or ((parts.hostname or "").lower() in names and there == default)


def _fetch(client: httpx.Client, url: str, store: RawStore, options: FetchOptions, city: str | None, state: dict) -> StoredDocument:
    stored = store.find(state["sha256"]) if state.get("sha256") else None
    headers = conditional_headers(state) if stored else {}
    deadline = time.monotonic() + options.deadline_s
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        request = client.build_request("GET", current, headers=headers, timeout=options.timeout_s)
        response = client.send(request, stream=True)
        if response.status_code not in (301, 302, 303, 307, 308) or response.next_request is None:
            break
        target = str(response.next_request.url)
        response.close()
        if not redirect_allowed(url, target, options.redirect_hosts):
            raise FetchError(url, "redirect_refused", f"{url} redirects to {target}, another host or port; not followed. "
                             "If that host is the publisher's, list it in defaults.redirect_hosts of the sources file.")
        current = target
    else:
        raise FetchError(url, "download_failed", f"{url} redirects more than {MAX_REDIRECTS} times; check the URL.")
    with closing(response):
        if response.status_code == 304 and stored:
            return StoredDocument(url, str(stored), state["sha256"], stored.stat().st_size, city=city,
                            etag=state.get("etag"), last_modified=state.get("last_modified"),
                            fetched_at=_parse_time(state.get("fetched_at")), charset=state.get("charset"))
        if response.status_code >= 500 or response.status_code == 429:
            raise FetchError(url, "http_error", f"{url} answered HTTP {response.status_code}; the site may be down: "
                             "it will be tried again.", retryable=True)
        if response.status_code >= 400:
            raise FetchError(url, "http_error", f"{url} answered HTTP {response.status_code}; "
                             "check the URL in the sources file (the file may have been moved or removed).")
        data = _read_limited(response, url, options.max_bytes, deadline, options.deadline_s)
    sha, raw_path = store.put_bytes(data, _suffix(urlsplit(url).path))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    charset = response.charset_encoding  # the Content-Type's charset, for a web page's decoding
    write_http_state(store, url, {"etag": etag, "last_modified": last_modified, "sha256": sha, "fetched_at": now.isoformat(),
                                  "charset": charset, "final_url": current})
    return StoredDocument(url, str(raw_path), sha, len(data), city=city, etag=etag, last_modified=last_modified,
                          fetched_at=now, charset=charset, final_url=current)


def _read_limited(response: httpx.Response, url: str, max_bytes: int, deadline: float = math.inf,
                  deadline_s: float = math.inf) -> bytes:
    """Given a streaming response, return its body; raise a final FetchError
    as soon as it is known to exceed max_bytes, or the whole download to
    outlast `deadline` (a monotonic time; `timeout_s` only bounds each read)."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(url, "too_large", f"{url} is {int(declared):,} bytes, over the download limit of {max_bytes:,} "
                         "(defaults.max_bytes in the sources file).")
    chunks, total = [], 0
    for chunk in response.iter_bytes():
        if time.monotonic() > deadline:
            raise FetchError(url, "download_timeout", f"{url} was still arriving after the download deadline of "
                             f"{deadline_s:g}s (defaults.deadline_s in the sources file); it was dropped.")
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(url, "too_large", f"{url} is over the download limit of {max_bytes:,} bytes "
                             "(defaults.max_bytes in the sources file).")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse_time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
