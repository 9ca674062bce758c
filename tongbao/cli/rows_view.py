"""How `tongbao query` shows rows on a terminal: a table when it fits, one
block per row when it does not (as psql's expanded display), so a wide
`select *` never shrinks to columns one character wide.

The table trims a long value with "…" (`--csv` prints every value whole);
the blocks fold it. Widths are display cells (a Chinese character is two).
"""

from __future__ import annotations

from typing import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .shown import shown

LAYOUTS = ("auto", "table", "records")
MAX_CELL = 40  # a table cell longer than this is trimmed
MIN_CELL = 6  # no column is squeezed narrower than this (or its header)


def column_widths(names: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    """Given column names and printed rows, return the width each column
    needs in a table: its widest value or header, at most MAX_CELL."""
    widths = []
    for i, name in enumerate(names):
        widest = max([cell_len(name)] + [cell_len(row[i]) for row in rows])
        widths.append(min(max(widest, MIN_CELL), MAX_CELL) if widest > MIN_CELL else widest)
    return widths


def fits(names: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> bool:
    """Given column names, printed rows and the terminal width, tell whether a
    table (borders and padding included) shows every column readably."""
    return columns_that_fit(names, rows, width) == len(names)


def columns_that_fit(names: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> int:
    """Given column names, printed rows and the terminal width, return how
    many leading columns a table can show readably (at least one)."""
    used, count = 1, 0
    for needed in column_widths(names, rows):
        used += needed + 3
        if used > width:
            break
        count += 1
    return max(count, 1)


def choose_layout(layout: str, names: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    if layout != "auto":
        return layout
    return "table" if fits(names, rows, width) else "records"


def trimmed(rows: Sequence[Sequence[str]]) -> bool:
    """Tell whether a table of these rows trims any value."""
    return any(cell_len(v) > MAX_CELL for row in rows for v in row)


def as_table(names: Sequence[str], rows: Sequence[Sequence[str]]) -> Table:
    table = Table(show_lines=False)
    for name in names:
        table.add_column(shown(name), overflow="ellipsis", no_wrap=True, max_width=MAX_CELL, min_width=min(cell_len(name), MIN_CELL))
    for row in rows:
        table.add_row(*[shown(v) for v in row])
    return table


def print_records(console: Console, names: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print each row as a block of `column  value` lines under a rule."""
    label_width = max(cell_len(n) for n in names)
    for number, row in enumerate(rows, 1):
        console.rule(Text(f"row {number}", style="bold"), align="left", characters="─")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", width=min(label_width, 30), overflow="fold")
        grid.add_column(overflow="fold")
        for name, value in zip(names, row):
            grid.add_row(shown(name), shown(value))
        console.print(grid)


def print_rows(console: Console, names: Sequence[str], rows: Sequence[Sequence[str]],
               layout: str = "auto") -> tuple[str, int]:
    """Given column names and printed rows, show them in the layout asked
    for (`auto`: a table if it fits the console, else records); return the
    layout used and how many columns it shows (a table asked for on a
    narrow console shows the leading columns that fit)."""
    chosen = choose_layout(layout, names, rows, console.width)
    if chosen == "records":
        print_records(console, names, rows)
        return chosen, len(names)
    shown_columns = columns_that_fit(names, rows, console.width)
    console.print(as_table(names[:shown_columns], [row[:shown_columns] for row in rows]))
    return chosen, shown_columns
