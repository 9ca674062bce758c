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


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        from parsers import PARSER_VERSION

        try:
            own = version("tongbao")
        except PackageNotFoundError:  # run from a checkout that was never installed
            own = "unknown"
        console.print(f"tongbao {own} (parser {PARSER_VERSION})")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print tongbao's version and its parser version, and exit."),
) -> None:
    """Turn government-website bulletins (通报) into a DuckDB warehouse, and query it."""
