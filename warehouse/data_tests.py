"""Run the data tests in `sql/tests/`: queries that return offending rows.

A model can build and still hold wrong numbers (more adopted than submitted, a
rank that contradicts the scores, a row no bulletin explains). Each test is
one SELECT in `sql/tests/<name>.sql` whose leading comment says what it
checks; it passes when it returns no rows. Keeping them as plain SQL (dbt's
"singular tests") lets an analyst run one by hand in `tongbao query`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .models import SQL_DIR

TESTS_DIR = "tests"
SAMPLE_ROWS = 5


@dataclass(frozen=True)
class DataTest:
    name: str
    path: Path
    description: str
    sql: str


@dataclass
class Failure:
    """A data test that returned rows (or could not run: `error` is set)."""

    test: str
    description: str
    path: Path
    row_count: int = 0
    columns: list[str] = field(default_factory=list)
    sample: list[tuple] = field(default_factory=list)
    error: str | None = None

    def summary(self) -> str:
        """Return one line: the test, what it checks and how many rows broke it."""
        if self.error:
            return f"{self.test}: could not run ({self.error})"
        return f"{self.test}: {self.row_count} offending row(s) — {self.description}"


def discover_data_tests(sql_dir: Path = SQL_DIR) -> list[DataTest]:
    """Given the sql folder, return its data tests sorted by name."""
    tests = []
    for path in sorted((sql_dir / TESTS_DIR).glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        tests.append(DataTest(path.stem, path, _description(text), text.strip().rstrip(";")))
    return tests


def _description(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        match = re.match(r"^\s*--\s?(.*)$", line)
        if not match:
            break
        lines.append(match.group(1).strip())
    return " ".join(lines)


def run_data_test(con: duckdb.DuckDBPyConnection, test: DataTest) -> Failure | None:
    """Given a connection and a data test, return its Failure, or None if it passes."""
    try:
        result = con.execute(f"SELECT * FROM ({test.sql}) AS offending")
        columns = [d[0] for d in result.description]
        rows = result.fetchmany(SAMPLE_ROWS)
        if not rows:
            return None
        count = con.execute(f"SELECT count(*) FROM ({test.sql}) AS offending").fetchone()[0]
    except duckdb.Error as exc:
        return Failure(test.name, test.description, test.path, error=str(exc).splitlines()[0])
    return Failure(test.name, test.description, test.path, count, columns, rows)


def run_data_tests(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[Failure]:
    """Given a connection to a warehouse with its models built, run every data
    test and return the failures (an empty list when all pass)."""
    failures = []
    for test in discover_data_tests(sql_dir):
        failure = run_data_test(con, test)
        if failure is not None:
            failures.append(failure)
    return failures
