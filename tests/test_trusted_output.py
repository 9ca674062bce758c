"""Output a person can trust: unreadable cells counted per file, rejections
named in the flow run's state and artifact, retries from any folder.

Expected values are read by hand from fixtures/text/synthetic_unreadable_cells.md
(市档案局 报送数 `暂无`, 市气象局 采用数 `6O`; 市粮食局's `—` is no figure, not unreadable).
"""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from flows.ingest import ingest_flow
from flows.report import summary_markdown
from tests.support import FIXTURES
from tongbao.cli import app

runner = CliRunner()
UNREADABLE = FIXTURES / "text" / "synthetic_unreadable_cells.md"

pytestmark = pytest.mark.slow


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_unreadable_cells_are_counted_in_the_summary_and_shown_per_file(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["ingest", str(UNREADABLE), "-w", str(warehouse), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout[result.stdout.index("{"):])
    assert summary["unreadable_cells"] == 2
    (f,) = summary["files"]
    assert f["status"] == "loaded" and f["unreadable_cells"] == 2
    assert f["unreadable"] == ["市档案局 报送数 = '暂无'", "市气象局 采用数 = '6O'"]

    again = runner.invoke(app, ["ingest", str(UNREADABLE), "-w", str(tmp_path / "w2.duckdb")])
    assert again.exit_code == 0, again.output
    shown = _flat(again.stdout)
    assert "2 cell(s) in 1 file(s) could not be read as numbers" in shown
    # The file's row notes the cells (the table folds long notes, so look for the printed texts).
    assert "2 cell(s) not read as numbers" in shown and "'暂无'" in shown and "'6O'" in shown


def test_a_run_that_rejected_documents_says_so_in_its_state(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(UNREADABLE, inbox / UNREADABLE.name)
    shutil.copy(FIXTURES / "bad" / "empty.txt", inbox / "empty.txt")
    state = ingest_flow([str(inbox)], warehouse=str(tmp_path / "w.duckdb"), return_state=True)
    assert state.is_completed()
    assert state.message.startswith("1 document(s) rejected (empty: 1), 1 loaded")
    summary = state.result()
    assert summary["counts"] == {"loaded": 1, "rejected": 1}
    clean = ingest_flow([str(UNREADABLE)], warehouse=str(tmp_path / "w3.duckdb"), return_state=True)
    assert not (clean.message or "").count("rejected")


def test_the_artifact_lists_loaded_as_well_as_rejected_documents():
    summary = {
        "counts": {"loaded": 1, "replaced": 1, "rejected": 1},
        "rejected_by_reason": {"empty": 1},
        "files": [
            {"path": "a/甲.md", "status": "loaded", "reason": None, "message": None, "unreadable": []},
            {"path": "a/乙.md", "status": "replaced", "reason": None, "message": None,
             "unreadable": ["市档案局 报送数 = '暂无'"]},
            {"path": "a/empty.txt", "status": "rejected", "reason": "empty", "message": "the file is empty"},
        ],
        "unreadable_cells": 1,
        "seconds": {"total": 1.0},
    }
    text = summary_markdown(summary)
    assert "## Loaded documents (2)" in text
    assert "| a/甲.md | loaded |" in text and "| a/乙.md | replaced |" in text
    assert "| a/乙.md | 市档案局 报送数 = '暂无' |" in text
    assert "| a/empty.txt | empty | the file is empty |" in text


def test_retry_rejected_works_from_another_folder(tmp_path, monkeypatch):
    first, elsewhere = tmp_path / "first", tmp_path / "elsewhere"
    first.mkdir()
    elsewhere.mkdir()
    shutil.copy(FIXTURES / "bad" / "no_table.txt", first / "no_table.txt")
    warehouse = tmp_path / "w.duckdb"
    monkeypatch.chdir(first)
    once = runner.invoke(app, ["ingest", "no_table.txt", "-w", str(warehouse), "--json"])
    assert once.exit_code == 0, once.output
    assert json.loads(once.stdout[once.stdout.index("{"):])["counts"] == {"rejected": 1}
    monkeypatch.chdir(elsewhere)  # `no_table.txt` does not exist from here
    retry = runner.invoke(app, ["ingest", "--retry-rejected", "-w", str(warehouse), "--json", "--force"])
    assert retry.exit_code == 0, retry.output
    assert "not retried" not in retry.stderr
    summary = json.loads(retry.stdout[retry.stdout.index("{"):])
    assert [(f["path"], f["status"]) for f in summary["files"]] == [("no_table.txt", "rejected")]


def _ingest_process(tmp_path, *extra: str):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "PREFECT_LOGGING_LEVEL"}  # as a user's shell
    exe = Path(sys.executable).with_name("tongbao")
    return subprocess.run([str(exe), "ingest", str(UNREADABLE), "-w", str(tmp_path / "w.duckdb"), *extra],
                          capture_output=True, text=True, env={**env, "COLUMNS": "200"}, timeout=300)


def test_prefect_logs_only_with_verbose(tmp_path):
    quiet = _ingest_process(tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert "Finished in state" not in quiet.stderr and "Beginning flow run" not in quiet.stderr
    assert "| INFO " not in quiet.stderr
    loud = _ingest_process(tmp_path, "--verbose", "--force")
    assert loud.returncode == 0, loud.stderr
    assert "Beginning flow run" in loud.stderr and "Finished in state Completed()" in loud.stderr
