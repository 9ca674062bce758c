"""The migrated Prefect database shipped for a fresh home (flows/prefect_template.py).

It must be the database of the Prefect version installed (a bump of Prefect
in the lock file without `python -m flows.prefect_template` fails here), and
it must only ever fill an empty place: never overwrite a database, never
stand in for one configured elsewhere.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import prefect.server.database as prefect_database
from alembic.config import Config
from alembic.script import ScriptDirectory

from flows.prefect_template import installed_prefect, seed_database, template_meta

MIGRATIONS = Path(prefect_database.__file__).parent / "_migrations"


def _sqlite_head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("version_locations", str(MIGRATIONS / "versions" / "sqlite"))
    (head,) = ScriptDirectory.from_config(config).get_heads()
    return head


def test_the_template_was_built_by_the_installed_prefect_at_its_latest_migration():
    meta = template_meta()
    assert meta["prefect"] == installed_prefect()
    assert meta["alembic_revision"] == _sqlite_head()


def test_a_fresh_home_gets_a_migrated_database_with_prefects_block_types(tmp_path):
    home = tmp_path / "home"
    assert seed_database(home) is True
    with sqlite3.connect(home / "prefect.db") as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(_sqlite_head(),)]
        names = {name for (name,) in con.execute("SELECT slug FROM block_type")}
        assert {"local-file-system", "secret", "webhook"} <= names  # three of Prefect's own block types
        assert con.execute("SELECT count(*) FROM flow_run").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM configuration").fetchone() == (0,)  # no telemetry session


def test_an_existing_database_is_never_replaced(tmp_path):
    (tmp_path / "prefect.db").write_bytes(b"the user's own database")
    assert seed_database(tmp_path) is False
    assert (tmp_path / "prefect.db").read_bytes() == b"the user's own database"


def test_a_database_configured_elsewhere_is_left_to_prefect(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", "postgresql+asyncpg://u:p@db.example/prefect")
    assert seed_database(tmp_path) is False
    assert not (tmp_path / "prefect.db").exists()
    monkeypatch.delenv("PREFECT_API_DATABASE_CONNECTION_URL")
    (tmp_path / "profiles.toml").write_text('[profiles.work]\nPREFECT_API_DATABASE_CONNECTION_URL = "postgresql+asyncpg://db/p"\n')
    assert seed_database(tmp_path) is False
