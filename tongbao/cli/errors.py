"""The one table that turns library errors into a message and an exit code.

Commands name the errors they expect (`errors_exit("WarehouseError", …)`);
the code and the wording come from `EXIT_CODES`. The table names classes by
module, so the CLI imports a layer only when a command needs it.
"""

from __future__ import annotations

from contextlib import contextmanager
from importlib import import_module
from typing import Iterator, NoReturn

import typer

from .app import err

EXIT_ATTENTION, EXIT_MISUSE, EXIT_BUSY = 1, 2, 3
EXIT_INTERRUPTED = 130  # stopped by Ctrl-C (128 + SIGINT, as shells report it)

# error class name -> (module that defines it, exit code). First match wins.
EXIT_CODES: dict[str, tuple[str, int]] = {
    "WarehouseError": ("warehouse.connection", EXIT_BUSY),  # busy, or missing when read
    "ModelBuildError": ("warehouse.models", EXIT_ATTENTION),
    "NothingToExport": ("warehouse.export", EXIT_ATTENTION),  # filters matched no row; nothing written
    "ExportError": ("warehouse.export", EXIT_MISUSE),
    "AliasFileError": ("units.aliases", EXIT_MISUSE),
    "VocabularyFileError": ("parsers.vocab", EXIT_MISUSE),
    "SourcesError": ("ingest.sources", EXIT_MISUSE),
    "ScopeError": ("report.scope", EXIT_MISUSE),  # a --period or --city that cannot be read
    "ReportError": ("report.render", EXIT_ATTENTION),  # nothing to report, no Chromium for --pdf
    "ValueError": ("builtins", EXIT_MISUSE),  # a bad --runner, --years or setting
    "FileNotFoundError": ("builtins", EXIT_MISUSE),  # a path gone since the check
    "RuntimeError": ("builtins", EXIT_ATTENTION),  # a run that could not start
}


def fail(message: str, code: int) -> NoReturn:
    """Print a one-line error and exit with `code`."""
    from rich.text import Text

    from .shown import shown

    err.print(Text.assemble(("error: ", "red"), shown(message)), soft_wrap=True)  # messages quote paths and documents
    raise typer.Exit(code)


@contextmanager
def errors_exit(*names: str) -> Iterator[None]:
    """Turn the named library errors into a one-line message and their exit
    code from `EXIT_CODES`: the only place errors meet the user (with the
    commands' own checks)."""
    kinds = [(getattr(import_module(EXIT_CODES[n][0]), n), EXIT_CODES[n][1]) for n in names]
    try:
        yield
    except typer.Exit:
        raise
    except tuple(k for k, _ in kinds) as exc:
        fail(str(exc), next(code for kind, code in kinds if isinstance(exc, kind)))
