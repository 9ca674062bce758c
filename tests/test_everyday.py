"""Everyday use of the command (issue 18): version, one-line refusals, status filters."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.ingest import ingest_flow
from parsers import PARSER_VERSION
from tests.support import FIXTURES
from tongbao.cli import app

TONGBAO = str(Path(sys.executable).with_name("tongbao"))


def test_version_names_the_package_and_the_parser():
    result = subprocess.run([TONGBAO, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.strip() == f"tongbao 0.1.0 (parser {PARSER_VERSION})"


def test_a_missing_input_is_one_line_not_a_traceback(tmp_path):
    result = subprocess.run([TONGBAO, "ingest", str(tmp_path / "nope" / ("long_name_" * 12 + ".pdf")),
                             "-w", str(tmp_path / "w.duckdb")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: no such file or folder: ")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """The twelve multi-city bulletins (five of 吉林市) and one empty file."""
    inbox = tmp_path_factory.mktemp("inbox")
    for path in (FIXTURES / "multicity").iterdir():
        shutil.copy(path, inbox / path.name)
    shutil.copy(FIXTURES / "bad" / "empty.txt", inbox / "empty.txt")
    path = tmp_path_factory.mktemp("wh") / "w.duckdb"
    summary = ingest_flow([str(inbox)], warehouse=str(path))
    assert summary["counts"] == {"loaded": 12, "rejected": 1}
    return path


def _status(warehouse, *options: str) -> str:
    result = CliRunner().invoke(app, ["status", "-w", str(warehouse), *options], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_status_filters_by_city_and_limits_rows(warehouse):
    jilin = _status(warehouse, "--city", "吉林市")
    assert "Loaded bulletins (5)" in jilin and "景德镇市" not in jilin and "赣州市" not in jilin
    assert "Rejected documents (1)" in jilin  # rejections have no city: still shown
    assert "Loaded bulletins (2 of 12)" in _status(warehouse, "--limit", "2")
    assert "Loaded bulletins (0)" in _status(warehouse, "--city", "吉林")  # exact names only


def test_status_shows_only_rejections_or_only_what_is_recent(warehouse):
    rejected = _status(warehouse, "--rejected")
    assert "Loaded bulletins" not in rejected and "Rejected documents (1)" in rejected and "empty.txt" in rejected
    future = _status(warehouse, "--since", "2999-01-01")
    assert "Loaded bulletins (0)" in future and "No rejected documents." in future
    assert "Loaded bulletins (12)" in _status(warehouse, "--since", "2000-01-01")


def test_query_prints_floats_as_printed_numbers(warehouse):
    result = CliRunner().invoke(app, ["query", "select 0.1::double + 0.2::double as x, 2900.0::double as y, "
                                      "1.0::double / 3 as third", "-w", str(warehouse)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "0.30000000000000004" not in result.stdout and " 0.3 " in result.stdout
    assert " 2900.0 " in result.stdout and " 0.3333333333 " in result.stdout


def test_an_xlsx_output_path_means_an_excel_file(warehouse, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "jilin.xlsx"
    result = CliRunner().invoke(app, ["export", "unit_quarter", "-w", str(warehouse), "--city", "吉林市", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["unit_quarter", "字段说明"]
    # 吉林市: 7 units in each of 2021's four quarters and 7 in 2020 Q4
    assert len(list(book["unit_quarter"].iter_rows(min_row=2, values_only=True))) == 35


def _query(warehouse, sql: str, *options: str, columns: int = 80):
    result = CliRunner().invoke(app, ["query", sql, "-w", str(warehouse), *options], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_query_too_wide_for_the_terminal_prints_each_row_as_a_block(warehouse):
    out = _query(warehouse, "select * from bulletins where city = '吉林市' order by period_year, period_quarter", "--limit", "2")
    lines = out.splitlines()
    assert all(len(line.rstrip()) <= 80 for line in lines)
    assert [line.split()[:2] for line in lines if line.startswith("row ")] == [["row", "1"], ["row", "2"]]
    # every column is a labelled line, the full value beside it (no header folded a letter per line)
    assert sum(1 for line in lines if line.startswith("issuer ")) == 2
    assert sum(1 for line in lines if line.startswith("city ") and "吉林市" in line) == 2
    assert "each row is a block" in out.replace("\n", " ")


def test_a_query_that_fits_stays_a_table(warehouse):
    out = _query(warehouse, "select city, count(*) as n from bulletins group by city order by city")
    assert "┃ city" in out and "row 1" not in out
    assert "columns shown" not in out and "trimmed" not in out


def test_a_table_asked_for_on_a_narrow_terminal_shows_the_columns_that_fit_and_says_so(warehouse):
    out = _query(warehouse, "select * from bulletins", "--layout", "table", "--limit", "1").replace("\n", " ")
    assert "bulletin_id" in out and " of " in out and "columns shown (--layout records shows all)" in out
    assert "long values trimmed with …" in out  # a bulletin id is 64 characters
    wide = _query(warehouse, "select bulletin_id from bulletins limit 1", "--layout", "table", columns=200)
    assert "…" in wide  # trimmed at 40 even when the terminal is wider
    full = CliRunner().invoke(app, ["query", "select bulletin_id from bulletins limit 1", "-w", str(warehouse), "--csv"])
    assert len(full.stdout.splitlines()[1]) == 64  # --csv prints it whole
