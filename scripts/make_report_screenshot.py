"""Regenerate docs/report_screenshot.png: the report of fixtures/multicity in headless Chromium.

    .venv/bin/python scripts/make_report_screenshot.py

Ingests the multi-city fixtures into a temporary warehouse, renders the report
and screenshots its first screenful with the system Chromium (Debian's
`chromium` and `fonts-noto-cjk`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OUTPUT = ROOT / "docs" / "report_screenshot.png"
WINDOW = "1100,1500"


def main() -> None:
    import duckdb

    from flows.ingest import ingest_flow
    from report.render import CHROMIUM_FLAGS, build_report, find_chromium, write_report
    from report.scope import Scope

    browser = find_chromium()
    if browser is None:
        sys.exit("needs chromium: apt-get install chromium fonts-noto-cjk")
    with tempfile.TemporaryDirectory() as tmp:
        warehouse = Path(tmp) / "w.duckdb"
        ingest_flow([str(ROOT / "fixtures" / "multicity")], warehouse=str(warehouse))
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            report = build_report(con, Scope(), warehouse_label="warehouse.duckdb")
        finally:
            con.close()
        html = write_report(report, Path(tmp) / "report.html")
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile", "--hide-scrollbars",
                        f"--window-size={WINDOW}", f"--screenshot={OUTPUT}", html.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
