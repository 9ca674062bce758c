"""The new bulletin and fact columns reach the warehouse with their types."""

from __future__ import annotations

from datetime import date

from parsers.bulletin import parse_bulletin
from tests.support import FIXTURES
from warehouse.rows import prepare
from warehouse.connection import connect
from warehouse.load import load_bulletin

MONTH = FIXTURES / "mirror" / "synthetic_period_month.txt"


def test_period_grain_and_issuing_place_columns_load(tmp_path):
    con = connect(tmp_path / "w.duckdb")
    load_bulletin(con, prepare(parse_bulletin(MONTH.read_bytes(), str(MONTH)), str(MONTH)))
    row = con.execute(
        "SELECT city, period_grain, period_start, period_end, period_month, typeof(period_start), "
        "admin_level, prefecture, province, admin_code, published_date_source FROM bulletins"
    ).fetchone()
    assert row == ("城东区", "month", date(2017, 9, 1), date(2017, 9, 30), 9, "DATE",
                   "district", "西宁市", "青海省", "630102", "signature")
    for table in ("unit_metrics", "bulletin_tables", "bulletin_statistics", "unit_findings"):
        got = con.execute(f"SELECT DISTINCT period_grain, period_start, period_end, period_month FROM {table}").fetchall()
        assert got == [("month", date(2017, 9, 1), date(2017, 9, 30), 9)], table
    con.close()
