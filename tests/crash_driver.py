"""Load a folder into a warehouse with the ingest flow's own steps, for the kill tests.

Usage: python tests/crash_driver.py FOLDER WAREHOUSE
Prints `loading` once the documents are stored and parsed, then loads one
bulletin per transaction exactly as `flows.ingest` does, but without the
Prefect engine, so a test can kill it many times quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.parsing import parse_document  # noqa: E402
from parsers.limits import Limits  # noqa: E402
from ingest.outcomes import apply_outcome  # noqa: E402
from ingest.planning import discover_files  # noqa: E402
from ingest.planning import plan_documents  # noqa: E402
from ingest.rawstore import RawStore, store_local_files  # noqa: E402
from warehouse.connection import open_warehouse  # noqa: E402
from warehouse.load import loaded_versions  # noqa: E402


def main(folder: str, warehouse: str) -> None:
    documents, _ = store_local_files(discover_files([folder]), RawStore.for_warehouse(Path(warehouse)))
    with open_warehouse(warehouse) as con:
        plan = plan_documents(documents, loaded_versions(con))
    outcomes = [parse_document(doc, Limits()) for doc in plan.to_parse]
    print("loading", flush=True)
    with open_warehouse(warehouse) as con:
        for outcome in outcomes:
            apply_outcome(con, outcome)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
