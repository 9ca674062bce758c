"""Options several commands share, each defined once."""

from __future__ import annotations

import typer

from ingest.settings import DEFAULT_WAREHOUSE

WarehouseOption = typer.Option(
    None, "--warehouse", "-w", help=f"DuckDB file (default: $TONGBAO_WAREHOUSE or ./{DEFAULT_WAREHOUSE})."
)
RunnerOption = typer.Option(
    "auto", "--runner",
    help="Where parse tasks run: auto (process for 100+ documents on 2+ cores, else thread), thread, "
    "process (all cores), dask (local cluster) or dask://HOST:PORT (a running scheduler).",
)
WorkersOption = typer.Option(None, "--workers", help="Parallel parse workers (default: $TONGBAO_WORKERS or the CPU count).")
StrictOption = typer.Option(False, "--strict", help="Exit 1 if any document was rejected.")
JsonOption = typer.Option(False, "--json", help="Print the run summary as JSON.")
VerboseOption = typer.Option(False, "--verbose", "-v", help="Show Prefect's own logs.")
CsvOption = typer.Option(False, "--csv", help="Print CSV instead of a table.")
LimitOption = typer.Option(200, "--limit", help="Rows shown in table mode (CSV prints all).")
