"""Run the data tests in `sql/tests/`: queries that return offending rows.

A model can build and still hold wrong numbers (more adopted than submitted, a
rank that contradicts the scores, a row no bulletin explains). Each test is
one SELECT in `sql/tests/<name>.sql` whose leading comment says what it
checks; it passes when it returns no rows. Keeping them as plain SQL (dbt's
"singular tests") lets an analyst run one by hand in `tongbao query`.

Uniqueness tests are not written by hand: each model's and loaded table's
`.md` declares its grain (`Grain: `city`, `period_year` …`), and
`unique_<name>` is generated from it (dbt's generic `unique` test).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .models import SQL_DIR, ModelDoc, discover_models, read_model_doc, read_source_docs

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
    """Given the sql folder, return its data tests, written and generated, sorted by name."""
    tests = []
    for path in sorted((sql_dir / TESTS_DIR).glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        tests.append(DataTest(path.stem, path, _description(text), text.strip().rstrip(";")))
    written = {t.name for t in tests}
    docs = [read_model_doc(m) for m in discover_models(sql_dir)] + read_source_docs(sql_dir)
    for doc in docs:
        if doc is not None and doc.key:
            test = unique_test(doc)
            if test.name in written:
                raise ValueError(f"{test.path}: {test.name} is generated from the grain; remove sql/tests/{test.name}.sql")
            tests.append(test)
    return sorted(tests, key=lambda t: t.name)


def unique_test(doc: ModelDoc, relation: str | None = None) -> DataTest:
    """Given a dictionary entry whose grain is a key, return the test that its
    key is unique (on `relation`, a table or subquery, if given: tests use it
    to show the test fails on a duplicate)."""
    key = ", ".join(doc.key)
    sql = f"select {key}, count(*) as rows\nfrom {relation or doc.name}\ngroup by {key}\nhaving count(*) > 1"
    description = f"Keys unique: one {doc.name} row per {', '.join(doc.key)} (the grain in {doc.path.name})."
    return DataTest(f"unique_{doc.name}", doc.path, description, sql)


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
