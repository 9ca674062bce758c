"""Fetch (issue 20, class 5): an overall deadline per download, redirects to
another host or port refused unless listed, the final URL recorded, and bad
sources values as one-line errors. Real HTTP servers on loopback."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ingest.rawstore import RawStore
from ingest.sources import FetchError, FetchOptions, SourcesError, fetch_url, load_sources

BODY = "关于2024年第一季度政府网站检查情况的通报\n".encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    other = ""  # the second server's base URL

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/trickle.txt":  # one byte every 0.3 s, for minutes
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(1000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.3)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if self.path == "/elsewhere":
            return self._redirect(f"{_Handler.other}/doc.txt")
        if self.path == "/moved":
            return self._redirect("/doc.txt")
        if self.path == "/doc.txt":
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _serve():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture()
def servers():
    first, second = _serve(), _serve()
    _Handler.other = f"http://127.0.0.1:{second.server_address[1]}"
    yield f"http://127.0.0.1:{first.server_address[1]}", second.server_address[1]
    for s in (first, second):
        s.shutdown()
        s.server_close()


def test_a_trickling_server_is_cut_at_the_download_deadline(tmp_path, servers):
    base, _ = servers
    started = time.monotonic()
    with pytest.raises(FetchError) as slow:
        fetch_url(f"{base}/trickle.txt", RawStore(tmp_path / "raw"), FetchOptions(timeout_s=5, deadline_s=2))
    assert slow.value.reason == "download_timeout"
    assert "download deadline of 2s" in slow.value.message
    assert time.monotonic() - started < 6


def test_a_redirect_to_another_port_is_refused(tmp_path, servers):
    base, _ = servers
    with pytest.raises(FetchError) as refused:
        fetch_url(f"{base}/elsewhere", RawStore(tmp_path / "raw"), FetchOptions(timeout_s=5))
    assert refused.value.reason == "redirect_refused"
    assert "defaults.redirect_hosts" in refused.value.message


def test_a_listed_host_and_the_same_host_are_followed_and_the_final_url_recorded(tmp_path, servers):
    base, other_port = servers
    store = RawStore(tmp_path / "raw")
    same = fetch_url(f"{base}/moved", store, FetchOptions(timeout_s=5))
    assert same.final_url == f"{base}/doc.txt"
    listed = fetch_url(f"{base}/elsewhere", store, FetchOptions(timeout_s=5, redirect_hosts=(f"127.0.0.1:{other_port}",)))
    assert listed.final_url == f"http://127.0.0.1:{other_port}/doc.txt"
    assert listed.label == f"{base}/elsewhere"


@pytest.mark.parametrize("text, fragment", [
    ("[defaults]\nretries = inf\n", "defaults.retries must be a finite non-negative number"),
    ("[defaults]\nretries = 2.5\n", "defaults.retries must be a whole number"),
    ("defaults = [1, 2]\n", "`defaults` must be a table, got list"),
    ("cities = ['吉林市']\n", "`cities` must be a table, got list"),
    ("[cities.a]\ninboxes = ['../../etc']\n", "climbs out with `..`"),
    ("[defaults]\nredirect_hosts = 'x'\n", "defaults.redirect_hosts must be a list of strings"),
])
def test_bad_sources_values_are_one_line_errors(tmp_path, text, fragment):
    f = tmp_path / "sources.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError) as error:
        load_sources(f)
    assert fragment in str(error.value)
    assert "\n" not in str(error.value)


def test_a_sources_file_that_is_not_utf8_is_a_one_line_error(tmp_path):
    f = tmp_path / "sources.toml"
    f.write_bytes('[cities."吉林市"]\nurls = []\n'.encode("gbk"))
    with pytest.raises(SourcesError, match="is not UTF-8 text"):
        load_sources(f)
