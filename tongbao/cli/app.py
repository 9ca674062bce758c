"""The typer app every command registers on, and the two consoles it prints to."""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # the summary's wall time counts the command's start-up too

from ingest.settings import apply_offline_env  # noqa: E402

apply_offline_env()  # before anything imports Prefect

import typer  # noqa: E402
from rich.console import Console  # noqa: E402

app = typer.Typer(
    help="Turn government-website bulletins (通报) into a DuckDB warehouse, and query it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)
