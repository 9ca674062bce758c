"""Load a folder into a warehouse with the ingest code path, for the kill tests.

Usage: python tests/crash_driver.py FOLDER WAREHOUSE
Prints `loading` once imports and parsing are done, then loads one bulletin
per transaction exactly as `flows.ingest` does (without the Prefect engine,
so a test can kill it many times quickly).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.errors import ParseError  # noqa: E402
from tongbao.ingest import Outcome, apply_outcome, plan_ingest  # noqa: E402
from tongbao.pipeline import discover_files, prepare_file  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.load import loaded_versions  # noqa: E402


def main(folder: str, warehouse: str) -> None:
    with open_warehouse(warehouse) as con:
        plan = plan_ingest(discover_files([folder]), loaded_versions(con))
    outcomes = []
    for source in plan.to_parse:
        try:
            outcomes.append(Outcome(source.path, source.sha256, "parsed", prepared=prepare_file(source.path)))
        except ParseError as exc:
            outcomes.append(Outcome(source.path, source.sha256, "rejected", reason=exc.reason, message=exc.message))
    print("loading", flush=True)
    with open_warehouse(warehouse) as con:
        for outcome in outcomes:
            apply_outcome(con, outcome)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
