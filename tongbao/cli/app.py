"""The typer app every command registers on, and the two consoles it prints to."""

from __future__ import annotations

from ingest.settings import apply_offline_env

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
