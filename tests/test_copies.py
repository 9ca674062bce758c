"""One bulletin, however many copies: the seed as PDF, DOCX, text and HTML
loads as one bulletin with three copies that agree cell for cell; a copy
with one changed cell is reported, naming the cell."""

from __future__ import annotations

import pytest

from parsers.bulletin import parse_bulletin
from parsers.identity import identity_key, title_subject
from tests.support import FIXTURES
from warehouse.rows import prepare
from warehouse.connection import connect
from warehouse.load import load_bulletin, loaded_versions
from warehouse.models import build_models

PDF = FIXTURES / "pdf" / "000_a18ab1c51e121e01.pdf"
DOCX = FIXTURES / "docx" / "seed000_a18ab1c51e121e01.docx"
TEXT = FIXTURES / "seeds" / "000_a18ab1c51e121e01.txt"
HTML = FIXTURES / "html" / "seed000_a18ab1c51e121e01.html"
CHANGED = FIXTURES / "html" / "seed000_synthetic_one_cell_changed.html"


def _load(tmp_path, *paths):
    con = connect(tmp_path / "w.duckdb")
    for path in paths:
        load_bulletin(con, prepare(parse_bulletin(path.read_bytes(), str(path)), str(path)))
    build_models(con)
    return con


def test_titles_of_one_bulletin_in_two_wordings_share_a_subject():
    assert title_subject("关于2020年第三季度市政府网站信息采用情况排名的通报") == "市政府网站信息采用情况排名"
    assert title_subject("2020年第三季度市政府网站信息采用情况排名表") == "市政府网站信息采用情况排名"
    assert identity_key("景德镇市", "景府办明〔2021〕2号", "whatever", 2020, 4) == "景德镇市|no:景府办明〔2021〕2号"
    assert identity_key(None, None, "关于…的通报", 2020, 3) is None
    assert identity_key("吉林市", None, "关于2020年第三季度…的通报", 2020, 3) != \
        identity_key("吉林市", None, "关于2020年第二季度…的通报", 2020, 2)


@pytest.mark.parametrize("order", [(PDF, DOCX, TEXT, HTML), (TEXT, HTML, PDF, DOCX)], ids=["docx_third", "docx_last"])
def test_the_seed_in_four_formats_is_one_bulletin_with_three_copies_that_agree(tmp_path, order):
    con = _load(tmp_path, *order)
    assert con.execute("SELECT count(*), min(format) FROM bulletins").fetchall() == [(1, "docx")]
    # facts counted once: the stated 3599 submissions, not 4 x 3599
    assert con.execute("SELECT sum(value) FROM unit_metrics WHERE metric = 'submitted'").fetchall() == [(3599.0,)]
    copies = con.execute("SELECT format, is_canonical, source_file FROM bulletin_copies ORDER BY format").fetchall()
    assert [(f, c) for f, c, _ in copies] == [("docx", True), ("html", False), ("pdf", False), ("text", False)]
    canonical = con.execute("SELECT bulletin_id FROM bulletins").fetchall()[0][0]
    assert con.execute("SELECT DISTINCT bulletin_id FROM bulletin_copies").fetchall() == [(canonical,)]
    assert con.execute("SELECT count(*) FROM copy_disagreements").fetchall() == [(0,)]
    checks = con.execute("SELECT check_name, found, agrees FROM reconciliation WHERE check_name LIKE 'copies_agree:%' "
                         "ORDER BY check_name").fetchall()
    assert checks == [("copies_agree:html", 0, True), ("copies_agree:pdf", 0, True), ("copies_agree:text", 0, True)]
    # every copy counts as loaded, so the next run skips it instead of parsing it again
    assert len(loaded_versions(con)) == 4
    con.close()


def test_a_copy_with_one_changed_cell_is_a_disagreement_naming_the_cell(tmp_path):
    con = _load(tmp_path, DOCX, CHANGED)
    rows = con.execute("SELECT unit_name, metric, disagreement, canonical_value_raw, copy_value_raw, canonical_table, "
                       "copy_format, detail FROM copy_disagreements").fetchall()
    assert len(rows) == 1
    unit, metric, kind, canonical, copy, table, fmt, detail = rows[0]
    assert (unit, metric, kind, canonical, copy, table, fmt) == ("舒兰市", "submitted", "differs", "197", "198", 1, "html")
    assert "舒兰市" in detail and "本季度报送" in detail and "'197'" in detail and "'198'" in detail
    assert str(CHANGED) in detail
    assert con.execute("SELECT found, agrees FROM reconciliation WHERE check_name = 'copies_agree:html'").fetchall() == [(1, False)]
    con.close()


def test_a_more_complete_copy_arriving_later_becomes_canonical(tmp_path):
    # Seed 004 as text loads first; its web page states the same facts, so the
    # tie goes to the format rank (HTML above text): the page takes over and
    # the text copy's rows move from unit_metrics to copy_cells.
    text = FIXTURES / "seeds" / "004_ecd57e6128c53c86.txt"
    page = FIXTURES / "html" / "seed004_ecd57e6128c53c86_gbk.html"
    con = _load(tmp_path, text, page)
    assert con.execute("SELECT format FROM bulletins").fetchall() == [("html",)]
    assert con.execute("SELECT count(*) FROM unit_metrics").fetchall() == [(147,)]
    assert con.execute("SELECT count(*) FROM copy_cells").fetchall() == [(147,)]
    assert con.execute("SELECT format, is_canonical FROM bulletin_copies ORDER BY format").fetchall() == [
        ("html", True), ("text", False)]
    assert con.execute("SELECT count(*) FROM copy_disagreements").fetchall() == [(0,)]
    con.close()


def test_reloading_a_copy_replaces_its_record_not_duplicates_it(tmp_path):
    con = _load(tmp_path, DOCX, TEXT, TEXT)
    assert con.execute("SELECT count(*) FROM bulletin_copies").fetchall() == [(2,)]
    assert con.execute("SELECT count(*) FROM copy_cells").fetchall() == [(220,)]
    con.close()


@pytest.mark.slow
def test_status_shows_the_copies_of_a_bulletin_as_a_table_and_as_json(tmp_path):
    import json
    import shutil

    from typer.testing import CliRunner

    from tongbao.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in (PDF, DOCX, TEXT, CHANGED):
        shutil.copy(path, inbox / path.name)
    warehouse = tmp_path / "w.duckdb"
    runner = CliRunner()
    ingested = runner.invoke(app, ["ingest", str(inbox), "-w", str(warehouse)])
    assert ingested.exit_code == 0, ingested.stdout
    assert "4 loaded" in ingested.stdout
    shown = runner.invoke(app, ["status", "-w", str(warehouse)], env={"COLUMNS": "250"})
    assert shown.exit_code == 0
    assert "Loaded bulletins (1)" in shown.stdout
    assert "Copies of loaded bulletins (3" in shown.stdout
    assert "copy_disagreements" in shown.stdout  # the changed HTML copy disagrees
    as_json = runner.invoke(app, ["status", "-w", str(warehouse), "--json"])
    report = json.loads(as_json.stdout)
    assert [b["copies"] for b in report["bulletins"]] == [3]
    assert sorted((c["format"], c["is_canonical"], c["disagreements"]) for c in report["copies"]) == [
        ("docx", True, 0), ("html", False, 1), ("pdf", False, 0), ("text", False, 0)]
