"""Sources files, the raw store and downloads, against a real HTTP server on loopback."""

from __future__ import annotations

import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from tests.support import FIXTURES
from ingest.rawstore import RawStore
from ingest.sources import FetchError, FetchOptions, SourcesError, fetch_url, load_sources

SEED = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"
SEED2 = FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"


class _Handler(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        _Handler.hits[path] = _Handler.hits.get(path, 0) + 1
        n = _Handler.hits[path]
        if path == "/flaky.txt" and n <= 2:
            return self._send(500, b"busy")
        if path == "/flaky.txt":
            return self._send(200, SEED.read_bytes())
        if path == "/slow.txt":
            time.sleep(2.5)
            return self._send(200, SEED2.read_bytes())
        if path == "/big.txt":
            return self._send(200, b"x" * 300_000)
        if path == "/etag.txt":
            if self.headers.get("If-None-Match") == '"v1"':
                return self._send(304, b"")
            return self._send(200, SEED2.read_bytes(), {"ETag": '"v1"', "Last-Modified": "Mon, 05 Oct 2020 00:00:00 GMT"})
        if path == "/gone.txt":
            return self._send(404, b"not found")
        return self._send(404, b"")

    def _send(self, status, body, headers=None):
        try:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture()
def http_server():
    _Handler.hits = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_a_toml_sources_file_is_read_with_paths_relative_to_it(tmp_path):
    (tmp_path / "inbox").mkdir()
    f = tmp_path / "sources.toml"
    f.write_text('[defaults]\ntimeout_s = 5\nretries = 2\n\n[cities."吉林市"]\ninboxes = ["inbox"]\n'
                 'urls = ["https://example.gov.cn/a.docx"]\n', encoding="utf-8")
    config = load_sources(f)
    assert config.options == FetchOptions(timeout_s=5.0, retries=2)
    (city,) = config.cities
    assert city.city == "吉林市" and city.inboxes == (str((tmp_path / "inbox").resolve()),)
    assert city.urls == ("https://example.gov.cn/a.docx",)
    assert config.options.retry_delays() == [10.0, 20.0]


def test_a_yaml_sources_file_has_the_same_structure(tmp_path):
    f = tmp_path / "sources.yaml"
    f.write_text("cities:\n  景德镇市:\n    urls: [\"http://127.0.0.1/x.txt\"]\n", encoding="utf-8")
    assert load_sources(f).cities[0].urls == ("http://127.0.0.1/x.txt",)


@pytest.mark.parametrize("text, fragment", [
    ("[cities.a]\nurls = 'http://x'\n", "must be a list of strings"),
    ("[cities.a]\nurls = ['ftp://x/a.pdf']\n", "not an http(s) URL"),
    ("[defaults]\ntimeout = 3\n", "defaults.timeout is not a setting"),
    ("[cities.a]\nfolders = []\n", "unknown key"),
    ("[cities.a\n", "not valid TOML"),
])
def test_a_malformed_sources_file_says_what_is_wrong(tmp_path, text, fragment):
    f = tmp_path / "sources.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        load_sources(f)


def test_the_raw_store_keeps_each_content_once(tmp_path):
    store = RawStore(tmp_path / "raw")
    a = tmp_path / "a.txt"
    shutil.copy(SEED, a)
    sha1, size, p1 = store.put_file(a)
    sha2, _, p2 = store.put_file(SEED)
    assert sha1 == sha2 and p1 == p2 and size == SEED.stat().st_size
    assert p1.read_bytes() == SEED.read_bytes() and p1.parent.name == sha1[:2]
    assert len([p for p in store.root.rglob("*") if p.is_file()]) == 1
    assert RawStore.for_warehouse(tmp_path / "w.duckdb").root == tmp_path / "w.raw"


def test_a_download_is_stored_and_an_unchanged_file_costs_a_304(tmp_path, http_server):
    store = RawStore(tmp_path / "raw")
    url = f"{http_server}/etag.txt"
    first = fetch_url(url, store, FetchOptions(timeout_s=5))
    assert first.etag == '"v1"' and Path(first.raw_path).read_bytes() == SEED2.read_bytes()
    second = fetch_url(url, store, FetchOptions(timeout_s=5))
    assert (second.sha256, second.raw_path) == (first.sha256, first.raw_path)
    assert _Handler.hits["/etag.txt"] == 2  # the second answered 304 with no body


def test_download_errors_say_whether_to_retry(tmp_path, http_server):
    store = RawStore(tmp_path / "raw")
    with pytest.raises(FetchError) as gone:
        fetch_url(f"{http_server}/gone.txt", store)
    assert (gone.value.reason, gone.value.retryable) == ("http_error", False)
    with pytest.raises(FetchError) as big:
        fetch_url(f"{http_server}/big.txt", store, FetchOptions(max_bytes=100_000))
    assert (big.value.reason, big.value.retryable) == ("too_large", False)
    with pytest.raises(FetchError) as busy:
        fetch_url(f"{http_server}/flaky.txt", store)
    assert (busy.value.reason, busy.value.retryable) == ("http_error", True)
    assert not (store.root / "_http").exists() or not any((store.root / "_http").iterdir())


@pytest.mark.slow
def test_the_ingest_flow_fetches_retries_and_rejects_with_reasons(tmp_path, http_server):
    from flows.ingest import ingest_flow

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "multicity" / "synthetic_jilin_2021q1.md", inbox)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "[defaults]\ntimeout_s = 0.5\nretries = 2\nretry_delay_s = 0.1\nmax_bytes = 200000\n\n"
        f'[cities."吉林市"]\ninboxes = ["inbox"]\nurls = ["{http_server}/flaky.txt", "{http_server}/slow.txt", '
        f'"{http_server}/big.txt"]\n', encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    started = time.monotonic()
    summary = ingest_flow([], warehouse=str(warehouse), sources=str(sources))
    assert time.monotonic() - started < 60
    assert summary["counts"] == {"loaded": 2, "rejected": 2}
    assert summary["rejected_by_reason"] == {"download_timeout": 1, "too_large": 1}
    assert _Handler.hits["/flaky.txt"] == 3  # 500, 500, 200
    assert _Handler.hits["/slow.txt"] == 3  # timed out on every attempt
    assert _Handler.hits["/big.txt"] == 1  # too large is final: not retried
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        sources_rows = con.execute("SELECT source, city FROM source_documents ORDER BY source").fetchall()
        assert sources_rows == [(str(inbox / "synthetic_jilin_2021q1.md"), "吉林市"), (f"{http_server}/flaky.txt", "吉林市")]
        assert con.execute("SELECT source_file FROM bulletins WHERE source_file LIKE 'http%'").fetchall() == [(f"{http_server}/flaky.txt",)]
        reasons = dict(con.execute("SELECT source_file, reason FROM rejections").fetchall())
        assert reasons == {f"{http_server}/slow.txt": "download_timeout", f"{http_server}/big.txt": "too_large"}
    finally:
        con.close()
    # Every document read is in the raw store next to the warehouse, once.
    stored = [p for p in (tmp_path / "w.raw").rglob("*") if p.is_file() and "_http" not in p.parts]
    assert len(stored) == 2
