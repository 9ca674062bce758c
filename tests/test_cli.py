"""The `tongbao` command: real process for ingest, in-process for the rest."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support import FIXTURES, ROOT
from tongbao.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Ingest the seeds and the bad fixtures with the installed console script."""
    inbox = tmp_path_factory.mktemp("inbox")
    shutil.copytree(FIXTURES / "seeds", inbox / "seeds")
    shutil.copy(FIXTURES / "bad" / "empty.txt", inbox / "empty.txt")
    path = tmp_path_factory.mktemp("wh") / "w.duckdb"
    exe = Path(sys.executable).with_name("tongbao")
    result = subprocess.run(
        [str(exe), "ingest", str(inbox), "--warehouse", str(path)],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "2 loaded, 0 replaced, 0 skipped, 1 rejected" in result.stdout
    return path


def test_ingest_strict_exits_1_when_something_was_rejected(warehouse, tmp_path):
    result = runner.invoke(app, ["ingest", str(FIXTURES / "bad" / "no_table.txt"), "-w", str(warehouse), "--strict"])
    assert result.exit_code == 1
    assert "1 rejected" in result.stdout


def test_ingest_of_a_missing_path_is_misuse(tmp_path):
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "-w", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_query_prints_a_table_and_csv(warehouse):
    sql = "select unit_name, value from unit_metrics where city = '吉林市' and metric = 'submitted' order by value desc limit 2"
    result = runner.invoke(app, ["query", sql, "-w", str(warehouse), "--csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["unit_name,value", "船营区,528.0", "昌邑区,527.0"]
    table = runner.invoke(app, ["query", sql, "-w", str(warehouse)])
    assert "船营区" in table.stdout and "2 row(s)" in table.stdout


def test_query_refuses_to_write(warehouse):
    result = runner.invoke(app, ["query", "delete from unit_metrics", "-w", str(warehouse)])
    assert result.exit_code == 2
    assert "read-only" in result.stderr
    again = runner.invoke(app, ["query", "select count(*) from unit_metrics", "-w", str(warehouse), "--csv"])
    assert again.stdout.splitlines()[1] == str(220 + 48 + 33 * 3)


def test_query_with_bad_sql_is_misuse(warehouse):
    result = runner.invoke(app, ["query", "selec nothing", "-w", str(warehouse)])
    assert result.exit_code == 2
    assert "SQL error" in result.stderr


def test_status_lists_loaded_and_rejected(warehouse):
    result = runner.invoke(app, ["status", "-w", str(warehouse)], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    assert "Loaded bulletins (2)" in result.stdout
    assert "吉林市" in result.stdout and "景德镇市" in result.stdout
    assert "Rejected documents" in result.stdout and "empty" in result.stdout


def test_commands_on_a_missing_warehouse_say_what_to_do(tmp_path):
    result = runner.invoke(app, ["status", "-w", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 3
    assert "tongbao ingest" in result.stderr


def test_every_command_is_documented_in_the_readme():
    readme = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert commands, "no commands registered"
    undocumented = [c for c in commands if not re.search(rf"^#+ .*`tongbao {c}\b", readme, re.M)]
    assert undocumented == []


def test_retry_rejected_reingests_documents_from_their_original_paths(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(FIXTURES / "seeds", inbox)
    warehouse = tmp_path / "w.duckdb"
    first = runner.invoke(app, ["ingest", str(inbox), "-w", str(warehouse)], env={"TONGBAO_MAX_FILE_BYTES": "100"})
    assert first.exit_code == 0, first.stderr
    assert "2 rejected" in first.stdout
    retry = runner.invoke(app, ["ingest", "--retry-rejected", "-w", str(warehouse)])
    assert retry.exit_code == 0, retry.stderr
    assert "2 loaded" in retry.stdout
    rejected = runner.invoke(app, ["query", "select count(*) from rejections", "-w", str(warehouse), "--csv"])
    assert rejected.stdout.splitlines()[1] == "0"
    nothing = runner.invoke(app, ["ingest", "--retry-rejected", "-w", str(warehouse)])
    assert "Nothing to retry" in nothing.stdout


def test_ingest_without_paths_is_misuse(tmp_path):
    result = runner.invoke(app, ["ingest", "-w", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert "at least one file or folder" in result.stderr


def test_a_big_run_lists_only_the_files_that_need_a_look(tmp_path):
    from tongbao.cli import console
    from tongbao.cli.ingest_commands import _print_summary

    files = [{"path": f"/in/ok{i}.txt", "status": "loaded", "reason": None, "message": None, "sha256": None} for i in range(60)]
    files.append({"path": "/in/bad.pdf", "status": "rejected", "reason": "encrypted", "message": "bad.pdf is encrypted", "sha256": None})
    summary = {"files": files, "counts": {"loaded": 60, "rejected": 1}, "rejected_by_reason": {"encrypted": 1},
               "seconds": {"parse": 1.0, "total": 2.0}, "runner": "process"}
    with console.capture() as captured:
        _print_summary(summary, tmp_path / "w.duckdb")
    out = captured.get()
    assert "/in/bad.pdf" in out and "/in/ok7.txt" not in out
    assert "60 loaded or replaced files not listed" in out
    assert "60 loaded, 0 replaced, 0 skipped, 1 rejected" in out
    assert "runner: process" in out
