"""Hostile folders (issue 20, class 2): only regular files are read, sizes
are checked before reading, links do not lead out of the folder given, loops
end, any file name is kept, and everything not read is a rejection with its
reason. The inbox is built by scripts/make_attack_fixtures.py:hostile_inbox."""

from __future__ import annotations

import os
import sys
import time

import pytest

from ingest.planning import store_inputs
from ingest.rawstore import RawStore
from parsers.limits import Limits
from tests.support import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import make_attack_fixtures as attacks  # noqa: E402


@pytest.fixture()
def inbox(tmp_path):
    made = attacks.hostile_inbox(tmp_path / "inbox", tmp_path / "elsewhere")
    os.chmod(made["locked"], 0)
    yield tmp_path / "inbox", made
    os.chmod(made["locked"], 0o755)


def _readable_locked(made) -> list[str]:
    """As root, mode 000 does not stop reading: then locked/inside.md is read too."""
    return ["inside.md"] if os.access(made["locked"], os.R_OK) else []


def _run(inbox_path, tmp_path, **kw):
    store = RawStore(tmp_path / "raw")
    started = time.monotonic()
    documents, rejected = store_inputs([(str(inbox_path), None)], store, None, Limits(max_file_bytes=1024 * 1024), **kw)
    return documents, {os.path.basename(o.path): o for o in rejected}, time.monotonic() - started, store


def test_only_regular_files_inside_the_folder_are_read(inbox, tmp_path):
    folder, made = inbox
    documents, rejected, seconds, store = _run(folder, tmp_path)
    assert seconds < 10  # no FIFO hang, no endless /dev/zero
    names = sorted(os.path.basename(d.label) for d in documents)
    # GBK 通报.md is cd a8 b1 a8: cd a8 happens to be UTF-8 for U+0368, the rest is kept as \xNN
    assert names == ["good.md"] + _readable_locked(made) + ["\u0368\\xb1\\xa8.md"]
    assert rejected["pipe.txt"].reason == "not_a_file" and "FIFO" in rejected["pipe.txt"].message
    assert rejected["zero.txt"].reason == "link_outside"
    assert rejected["shadow.txt"].reason == "link_outside"
    assert "--follow-links" in rejected["shadow.txt"].message
    assert rejected["self.txt"].reason == "unreadable" and "link loop" in rejected["self.txt"].message
    assert rejected["sparse.pdf"].reason == "too_large"
    assert "max_file_bytes" in rejected["sparse.pdf"].message


def test_nothing_outside_or_oversized_reaches_the_raw_store(inbox, tmp_path):
    folder, _ = inbox
    _, _, _, store = _run(folder, tmp_path)
    stored = [p for p in (tmp_path / "raw").rglob("*") if p.is_file()]
    assert len(stored) == 2
    assert all(p.stat().st_size < 1000 for p in stored)
    assert not any(b"$6$secret" in p.read_bytes() for p in stored)


def test_the_loop_back_into_the_folder_is_walked_once(inbox, tmp_path):
    folder, made = inbox
    documents, rejected, _, _ = _run(folder, tmp_path)
    assert "again" not in rejected  # a link back inside is followed, and the loop ends
    assert len(documents) == 2 + len(_readable_locked(made))


def test_links_outside_are_followed_with_the_flag_but_devices_never_read(inbox, tmp_path):
    folder, _ = inbox
    documents, rejected, seconds, _ = _run(folder, tmp_path, follow_links=True)
    assert "shadow" in sorted(os.path.basename(d.label) for d in documents) or any(
        d.label.endswith("shadow.txt") for d in documents)
    assert rejected["zero.txt"].reason == "not_a_file"
    assert seconds < 10


def test_an_unreadable_folder_is_a_rejection(inbox, tmp_path):
    folder, made = inbox
    if os.access(made["locked"], os.R_OK):
        pytest.skip("running as root: mode 000 does not stop this user reading the folder")
    _, rejected, _, _ = _run(folder, tmp_path)
    assert rejected["locked"].reason == "unreadable"
    assert "Nothing under it was ingested" in rejected["locked"].message
