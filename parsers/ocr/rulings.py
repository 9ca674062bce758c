"""Find ruled tables in a page image: the drawn lines, and the cells they make.

Ink is binarised, then opened with long thin kernels so that only straight
rulings survive (a horizontal kernel much wider than any glyph, a vertical
one taller than a line of text). Each connected set of rulings is a grid.
A grid's rows lie between consecutive horizontal rulings; within a row, the
vertical rulings that cross it split its cells, so a cell merged across
columns (a group row) is one cell, as pdfplumber reads a text-layer table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Band:
    """One row of a grid: its vertical extent and the x positions of its cell walls."""

    top: float
    bottom: float
    walls: list[float]  # left edge, inner rulings, right edge (pixels)


@dataclass
class Grid:
    x0: float
    top: float
    x1: float
    bottom: float
    bands: list[Band]
    columns: list[float]  # every wall position used by any band, sorted

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.top <= y <= self.bottom


def find_grids(pixels: np.ndarray, text_height: float) -> list[Grid]:
    """Given a straightened page image (BGR) and the typical height of a text
    line in pixels, return the ruled tables found on it, top to bottom."""
    import cv2

    gray = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY)
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    h, w = ink.shape
    long_h = max(20, int(w / 15))
    long_v = max(10, int(1.3 * text_height))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_h, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long_v)))
    # Close one-pixel breaks left by noise and JPEG artefacts.
    horizontal = cv2.dilate(horizontal, np.ones((3, 3), np.uint8))
    vertical = cv2.dilate(vertical, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_or(horizontal, vertical), connectivity=8)
    grids = []
    for label in range(1, count):
        x, y, gw, gh, _ = stats[label]
        if gw < w / 5 or gh < 2 * text_height:
            continue
        mine = labels[y : y + gh, x : x + gw] == label
        grid = grid_of(horizontal[y : y + gh, x : x + gw] > 0, vertical[y : y + gh, x : x + gw] > 0, mine, x, y)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: g.top)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Given a 1-D boolean array, return the [start, end) ranges where it is True."""
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2], edges[1::2]))


def grid_of(horizontal: np.ndarray, vertical: np.ndarray, mine: np.ndarray, x: int, y: int) -> Grid | None:
    """Given one connected set of rulings (masks cropped to its box, and the
    offset of the box), return its grid, or None if it has fewer than two rows
    or columns of cells."""
    gh, gw = mine.shape
    horizontal = horizontal & mine
    vertical = vertical & mine
    row_lines = [(a + b) / 2 for a, b in runs(horizontal.sum(axis=1) > 0.5 * gw)]
    if len(row_lines) < 3:
        return None
    bands = []
    for top, bottom in zip(row_lines, row_lines[1:]):
        if bottom - top < 4:
            continue
        middle = vertical[int(top) + 2 : int(bottom) - 1]
        crossing = middle.sum(axis=0) >= 0.6 * max(1, middle.shape[0])
        walls = [x + (a + b) / 2 for a, b in runs(crossing)]
        if len(walls) < 2:
            continue
        bands.append(Band(y + top, y + bottom, walls))
    if len(bands) < 2 or max(len(b.walls) for b in bands) < 3:
        return None
    columns = cluster(sorted(wall for band in bands for wall in band.walls), tolerance=6.0)
    return Grid(x + 0.0, y + 0.0, x + gw + 0.0, y + gh + 0.0, bands, columns)


def cluster(values: list[float], tolerance: float) -> list[float]:
    """Given sorted positions, return one mean position per run of values closer than tolerance."""
    groups: list[list[float]] = []
    for value in values:
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]
