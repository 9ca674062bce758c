"""`tongbao review`: the review page, served on 127.0.0.1 with the standard library.

GET / lists what needs a decision (read from the snapshot, so an ingest is
never blocked by an open page); POST /decide records one decision in the alias
or review-decisions file and applies it (re-normalise, rebuild models,
publish snapshot), then shows the page again with what changed. Only
requests addressed to this machine's loopback name are answered, so a web page
elsewhere cannot post decisions through the analyst's browser.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import review

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_FORM_BYTES = 64 * 1024


@dataclass
class ReviewSite:
    """Where decisions go: the warehouse (written by apply), its snapshot (read),
    and the decision files beside it (aliases.csv, vocabulary.csv, review_decisions.csv)."""

    warehouse: Path
    wait_s: float = 10.0

    @property
    def aliases(self) -> Path:
        from warehouse.decisions import UNIT_ALIASES, decision_file

        return decision_file(self.warehouse, UNIT_ALIASES)

    @property
    def vocabulary(self) -> Path:
        from warehouse.decisions import VOCABULARY, decision_file

        return decision_file(self.warehouse, VOCABULARY)

    @property
    def decisions(self) -> Path:
        return review.review_decisions_path(self.warehouse)

    def page(self, message: str = "") -> str:
        """Render the review page from the current snapshot."""
        import duckdb

        from warehouse.snapshot import readable_path

        con = duckdb.connect(str(readable_path(self.warehouse)), read_only=True)
        try:
            context = {
                "warehouse": str(self.warehouse), "aliases": str(self.aliases), "vocabulary": str(self.vocabulary),
                "message": message, "metric_codes": review.metric_codes(),
                "units": review.unresolved_units(con),
                "unmapped_headers": review.unmapped(con, "unmapped_headers"),
                "unmapped_statistics": review.unmapped(con, "unmapped_statistics"),
                "duplicates": review.duplicate_units(con, review.read_dismissed(self.decisions)),
                "duplicate_bulletins": review.duplicate_bulletins(con),
            }
        finally:
            con.close()
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
        return env.get_template("review.html.j2").render(**context)

    def decide(self, form: dict[str, str]) -> str:
        """Given a submitted form, record the decision, apply it and return a message saying what changed."""
        action = form.get("action", "")
        city = form.get("city", "")
        if action in ("accept", "correct"):
            decision = review.UnitDecision(city, form.get("unit_raw", ""), form.get("unit_name", "").strip(),
                                           form.get("unit_function", "").strip(), form.get("unit_kind", "").strip())
            review.write_aliases(self.aliases, [decision])
            what = f"{city} {decision.unit_raw} → {decision.unit_name or decision.unit_function or decision.unit_kind}"
        elif action == "merge":
            import duckdb

            from warehouse.snapshot import readable_path

            con = duckdb.connect(str(readable_path(self.warehouse)), read_only=True)
            try:
                decisions = review.merge_decisions(con, city, form.get("keep", ""), form.get("merge", ""))
            finally:
                con.close()
            review.write_aliases(self.aliases, decisions)
            what = f"{city} {form.get('merge')} 并入 {form.get('keep')}"
        elif action == "header":
            decision = review.HeaderDecision(form.get("header_raw", ""), form.get("metric", "").strip(),
                                             form.get("scope", "").strip(), form.get("outlet", "").strip())
            review.write_vocabulary(self.vocabulary, [decision])
            what = f"表头 {decision.header_raw} → {decision.metric}"
        elif action == "not_duplicate":
            review.dismiss_duplicate(self.decisions, city, form.get("subject", ""))
            return f"已记录:{city} {form.get('subject')} 不是重复单位"
        else:
            raise review.DecisionError(f"unknown action {action!r}")
        counts = review.apply_decisions(self.warehouse, wait_s=self.wait_s)
        written = self.vocabulary.name if action == "header" else self.aliases.name
        units, vocabulary = counts["units"], counts["vocabulary"]
        return (f"已写入 {written} 并应用:{what}(表头重新解读:新增 {vocabulary.get('added', 0)}、变更 "
                f"{vocabulary.get('changed', 0)}、移除 {vocabulary.get('removed', 0)} 行;单位名称:unit_metrics 变更 "
                f"{units['unit_metrics_changed']} 行,unit_findings 变更 {units['unit_findings_changed']} 行)")


def make_server(site: ReviewSite, port: int = 0) -> ThreadingHTTPServer:
    """Return an HTTP server for the site on 127.0.0.1 (port 0: any free one); call serve_forever()."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet: the CLI prints what matters
            return

        def _local(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            return host in ("127.0.0.1", "localhost")

        def _send(self, status: int, body: str, content_type: str = "text/html; charset=utf-8") -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if not self._local():
                return self._send(HTTPStatus.FORBIDDEN, "forbidden", "text/plain; charset=utf-8")
            url = urlparse(self.path)
            if url.path != "/":
                return self._send(HTTPStatus.NOT_FOUND, "not found", "text/plain; charset=utf-8")
            message = parse_qs(url.query).get("message", [""])[0]
            self._send(HTTPStatus.OK, site.page(message))

        def do_POST(self) -> None:
            if not self._local() or urlparse(self.path).path != "/decide":
                return self._send(HTTPStatus.FORBIDDEN, "forbidden", "text/plain; charset=utf-8")
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_FORM_BYTES:
                return self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "form too large", "text/plain; charset=utf-8")
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
            try:
                message = site.decide(form)
            except (ValueError, OSError) as exc:  # DecisionError, a bad alias line, a busy warehouse
                message = f"未能应用:{exc}"
            except Exception as exc:  # noqa: BLE001 - the analyst sees it on the page, the server stays up
                message = f"未能应用:{type(exc).__name__}: {exc}"
            self.send_response(HTTPStatus.SEE_OTHER)
            self.send_header("Location", "/?message=" + quote(message))
            self.send_header("Content-Length", "0")
            self.end_headers()

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def serve_in_thread(site: ReviewSite, port: int = 0) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start the server on a daemon thread; return it and the thread (server.shutdown() stops it)."""
    server = make_server(site, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread
