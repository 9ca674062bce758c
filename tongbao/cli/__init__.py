"""`tongbao` command line (typer): thin commands over the layers below.

Exit codes: 0 success; 1 the run finished but something needs attention
(rejections with --strict, a model that failed); 2 misuse (bad path,
bad SQL, a write statement in `query`); 3 the warehouse is busy or missing.
Library errors become messages and exit codes in `errors.py` only.

Modules, by topic: `app` (the typer app and consoles), `options` (options
shared by several commands), `errors` (exceptions → exit codes), `common`
(settings, read-only connection, progress bar), and the commands:
`ingest_commands` (ingest), `warehouse_commands` (status, query, models),
`analyst_commands` (check, export), `exiting` (the end of a flow command), `schedule_commands` (fetch, backfill,
serve), `unit_commands` (units), `vocab_commands` (vocab), `report_commands` (report, review, snapshot). Each command module imports only these
helpers, never this package, so there is no import cycle.
"""

from __future__ import annotations

from .app import app, console, err

# Registering the commands on `app`, in the order `tongbao --help` lists them.
from . import ingest_commands, warehouse_commands  # noqa: E402,F401  isort: skip
from . import analyst_commands, schedule_commands, unit_commands, vocab_commands  # noqa: E402,F401  isort: skip
from . import report_commands  # noqa: E402,F401  isort: skip

__all__ = ["app", "console", "err", "main"]


def main() -> None:
    """The `tongbao` console script: run the command; after one that ran a
    flow, skip the interpreter's teardown (cli/exiting.py)."""
    import sys

    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    if "prefect.flow_engine" not in sys.modules:
        raise SystemExit(code)
    from .exiting import exit_without_teardown

    exit_without_teardown(code)
