"""Expand a header merged over two or three rows into one label per column.

A web table copied as text prints each merged header cell once and pads the
row with empty cells at its end:

    单位 | 本季度 | 累计 |  |  |
    报送 | 采用 | 报送 | 采用 |  |

Given such rows and the table's width, the cell counts say how many cells
of each row are parents (have cells printed under them) and how many are
columns of their own, spanning down: with width W and counts n_0…n_k, the
parents number n_0 + … + n_k − W. Which cells are parents is read from
their text: a known column header (`单位`, `得分`) or a cell ending in a
measure word (`条数`, `率`, `(件)`) is a column of its own, and so is a label
repeated in its row; among the rest the leftmost come first. The cells
printed under a row's parents are shared evenly between them, left to right. The result is a full grid: each
merged cell repeated over every column it spans, so that every column reads
its joined header path top-down.
"""

from __future__ import annotations

from functools import lru_cache

from .textnorm import clean_name
from .vocab import header_role, read_data_csv

MAX_HEADER_ROWS = 3


@lru_cache(maxsize=None)
def measure_words() -> tuple[str, ...]:
    return tuple(clean_name(r["ending"]) for r in read_data_csv("parsers", "header_measure_words.csv"))


def packed_count(cells: list[str]) -> int | None:
    """Given a row's cells, return how many are filled when they are all at
    the start (the rest empty), else None."""
    filled = [bool(c.strip()) for c in cells]
    count = sum(filled)
    return count if count and all(filled[:count]) else None


def expand_header(rows: list[list[str]], width: int) -> list[list[str]] | None:
    """Given 2–3 left-packed header rows (top first) and the table's width,
    return them as a full grid of `width` columns, or None when the counts
    admit no layout."""
    counts = [packed_count(r) for r in rows]
    if len(rows) < 2 or len(rows) > MAX_HEADER_ROWS or any(c is None for c in counts):
        return None
    texts = [[c.strip() for c in r[: n]] for r, n in zip(rows, counts)]
    parents_total = sum(counts) - width
    levels = len(rows) - 1  # rows that have parents
    if parents_total < levels:
        return None
    choice = _best_parents(texts, counts, parents_total)
    if choice is None:
        return None
    parent_sets = choice
    # Children of each parent, bottom-up widths.
    children: list[list[list[int]]] = []  # per level, per parent: indices in the row below
    for i in range(levels):
        below = counts[i + 1]
        parents = sorted(parent_sets[i])
        if below < len(parents):
            return None
        base, extra = divmod(below, len(parents))
        split, start = [], 0
        for p in range(len(parents)):
            size = base + (1 if p < extra else 0)
            split.append(list(range(start, start + size)))
            start += size
        children.append(split)
    spans = [[1] * n for n in counts]
    for i in range(levels - 1, -1, -1):
        for p, parent in enumerate(sorted(parent_sets[i])):
            spans[i][parent] = sum(spans[i + 1][c] for c in children[i][p])
    if sum(spans[0]) != width:
        return None
    grid = [[""] * width for _ in rows]
    _place(texts, spans, parent_sets, children, grid, level=0, cells=list(range(counts[0])), column=0)
    return grid


def _place(texts, spans, parent_sets, children, grid, level: int, cells: list[int], column: int) -> None:
    parents = sorted(parent_sets[level]) if level < len(parent_sets) else []
    for cell in cells:
        span = spans[level][cell]
        for col in range(column, column + span):
            grid[level][col] = texts[level][cell]
        if cell in parents:
            below = children[level][parents.index(cell)]
            _place(texts, spans, parent_sets, children, grid, level + 1, below, column)
        else:
            for lower in range(level + 1, len(grid)):  # a column of its own spans down
                grid[lower][column] = texts[level][cell]
        column += span


def _best_parents(texts: list[list[str]], counts: list[int], total: int) -> list[set[int]] | None:
    """Given the header rows' texts and counts and how many parents they hold,
    return per row (all but the last) the cells that are parents: of every
    way to share the parents between the rows (each row at least one, never
    more than the cells under it), the one whose parents read least like
    columns of their own."""
    levels = len(counts) - 1
    best = None
    for shares in _shares(total, [min(counts[i], counts[i + 1]) for i in range(levels)]):
        chosen = [sorted(range(counts[i]), key=lambda c, i=i: _rank(texts[i], c))[: shares[i]] for i in range(levels)]
        cost = sum(_cost(texts[i], c) for i in range(levels) for c in chosen[i])
        key = (cost, [-s for s in shares][::-1])
        if best is None or key < best[0]:
            best = (key, [set(c) for c in chosen])
    return best[1] if best else None


def _shares(total: int, caps: list[int]):
    if len(caps) == 1:
        if 1 <= total <= caps[0]:
            yield [total]
        return
    for first in range(1, caps[0] + 1):
        for rest in _shares(total - first, caps[1:]):
            yield [first] + rest


def _rank(cells: list[str], index: int) -> tuple:
    text = clean_name(cells[index])
    return (
        header_role(text) is not None,
        text.endswith(measure_words()),
        sum(1 for c in cells if clean_name(c) == text) > 1,
        index,
    )


def _cost(cells: list[str], index: int) -> int:
    known, measure, repeated, _ = _rank(cells, index)
    return 4 * known + 2 * measure + repeated
