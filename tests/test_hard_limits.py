"""Limits are hard (issue 20, class 1): each document is parsed in a child
process with a deadline and a memory cap, so an attack built by
scripts/make_attack_fixtures.py is stopped within seconds, rejected naming
the limit, and the run goes on — on the thread runner too."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.guard import parse_guarded
from ingest.rawstore import StoredDocument
from parsers.bulletin import parse_bulletin
from parsers.errors import TooLarge
from parsers.limits import Limits
from tests.support import FIXTURES, ROOT
from tests.worker_killers import parse_or_die, parse_or_hog

sys.path.insert(0, str(ROOT / "scripts"))
import make_attack_fixtures as attacks  # noqa: E402

ATTACK = FIXTURES / "attack"
# OCR, if a scan reaches it, extends the hard deadline by ocr_timeout_s: keep it short here.
FAST = Limits(parse_timeout_s=2, ocr_timeout_s=1, max_parse_memory_bytes=512 * 1024 * 1024)


def _doc(tmp_path: Path, name: str, data: bytes) -> StoredDocument:
    path = tmp_path / name
    path.write_bytes(data)
    return StoredDocument(name, str(path), hashlib.sha256(data).hexdigest(), len(data))


def _guarded(doc, limits=FAST, parse=None, in_thread=False):
    """Parse `doc` guarded, from the main thread (fork) or with another thread running (fork server)."""
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    if in_thread:
        helper.start()
    started = time.monotonic()
    try:
        outcome = parse_guarded(doc, limits, parse)
    finally:
        stop.set()
    return outcome, time.monotonic() - started


@pytest.mark.parametrize("in_thread", [False, True], ids=["forked", "fork-server"])
def test_operator_fan_out_is_stopped_at_the_deadline(tmp_path, in_thread):
    data = (ATTACK / "synthetic_operator_fan_out.pdf").read_bytes()
    outcome, seconds = _guarded(_doc(tmp_path, "fan.pdf", data), in_thread=in_thread)
    assert (outcome.status, outcome.reason) == ("rejected", "timeout")
    assert "ran longer than parse_timeout_s (2s)" in outcome.message
    assert seconds < 15


def test_a_no_op_flood_is_stopped_at_the_deadline(tmp_path):
    outcome, seconds = _guarded(_doc(tmp_path, "noop.pdf", attacks.noop_flood(100)))
    assert (outcome.status, outcome.reason) == ("rejected", "timeout")
    assert seconds < 15


@pytest.mark.parametrize("name, build", [
    ("separators.txt", lambda: attacks.separator_flood(80_000)),
    ("tables.txt", lambda: attacks.tables_in_a_row(4000)),
    ("siblings.docx", lambda: attacks.docx_sibling_tables(10_000)),
])
def test_quadratic_inputs_end_within_the_deadline(tmp_path, name, build):
    outcome, seconds = _guarded(_doc(tmp_path, name, build()))
    assert outcome.status in ("parsed", "rejected")
    if outcome.status == "rejected":
        assert outcome.reason in ("timeout", "no_facts", "too_large"), outcome.message
    assert seconds < 15


def test_memory_over_the_cap_is_rejected_too_large(tmp_path):
    # a generous deadline: on a busy machine the cap, not the clock, must be what stops it
    limits = Limits(parse_timeout_s=60, max_parse_memory_bytes=512 * 1024 * 1024)
    outcome, seconds = _guarded(_doc(tmp_path, "HOGS_MEMORY.txt", b"x"), limits, parse=parse_or_hog)
    assert (outcome.status, outcome.reason) == ("rejected", "too_large")
    assert "max_parse_memory_bytes limit of 536,870,912" in outcome.message
    assert seconds < 30


def test_a_child_that_dies_is_worker_crashed(tmp_path):
    outcome, _ = _guarded(_doc(tmp_path, "KILLS_ITS_WORKER.txt", b"x"), parse=parse_or_die)
    assert (outcome.status, outcome.reason) == ("rejected", "worker_crashed")


def test_a_good_document_still_parses_guarded(tmp_path):
    seed = next(p for p in sorted((FIXTURES / "seeds").iterdir()) if p.is_file())
    outcome, _ = _guarded(_doc(tmp_path, seed.name, seed.read_bytes()), limits=Limits(), in_thread=True)
    assert outcome.status == "parsed"
    assert outcome.prepared is not None


def test_a_flate_bomb_is_inflated_within_a_byte_budget():
    with pytest.raises(TooLarge, match="max_inflated_bytes limit of 16,777,216"):
        parse_bulletin(attacks.flate_bomb(64), "bomb.pdf", Limits(max_inflated_bytes=16 * 1024 * 1024))


def test_pages_are_counted_as_parsed_not_as_the_page_tree_says():
    data = (ATTACK / "synthetic_lying_page_count.pdf").read_bytes()
    with pytest.raises(TooLarge, match="more than 50 pages \\(its page tree says 1\\)"):
        parse_bulletin(data, "pages.pdf", Limits(max_pdf_pages=50))


def test_the_thread_runner_rejects_a_runaway_document_and_loads_the_rest(tmp_path, monkeypatch):
    from tongbao.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    seed = next(p for p in sorted((FIXTURES / "seeds").iterdir()) if p.is_file())
    shutil.copy(seed, inbox / seed.name)
    shutil.copy(ATTACK / "synthetic_operator_fan_out.pdf", inbox / "fan.pdf")
    monkeypatch.setenv("TONGBAO_PARSE_TIMEOUT_S", "3")
    monkeypatch.setenv("TONGBAO_OCR_TIMEOUT_S", "1")
    result = CliRunner().invoke(app, ["ingest", str(inbox), "-w", str(tmp_path / "w.duckdb"), "--runner", "thread", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    by_name = {Path(f["path"]).name: f for f in summary["files"]}
    assert by_name["fan.pdf"]["reason"] == "timeout"
    assert by_name[seed.name]["status"] == "loaded"


def test_a_raw_store_copy_that_no_longer_matches_its_hash_is_corrupt_store(tmp_path):
    from ingest.parsing import parse_document

    seed = next(p for p in sorted((FIXTURES / "seeds").iterdir()) if p.is_file())
    doc = _doc(tmp_path, seed.name, seed.read_bytes())
    Path(doc.raw_path).write_bytes(seed.read_bytes().replace("通报".encode(), "通知".encode(), 1))
    outcome = parse_document(doc, Limits())
    assert (outcome.status, outcome.reason) == ("rejected", "corrupt_store")
    assert "no longer matches its sha256" in outcome.message


def test_ingesting_the_original_again_repairs_a_damaged_raw_store_copy(tmp_path):
    from ingest.rawstore import RawStore

    seed = next(p for p in sorted((FIXTURES / "seeds").iterdir()) if p.is_file())
    store = RawStore(tmp_path / "raw")
    sha, _, stored = store.put_file(seed)
    stored.write_bytes(b"damaged")
    assert store.put_file(seed) == (sha, seed.stat().st_size, stored)
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == sha
