"""A migrated, empty Prefect database shipped with tongbao, copied into a fresh
Prefect home so the first command does not spend 7–15 s on Prefect's ~100
database migrations (issue 18: a one-file ingest on a fresh home ≤ 8 s).

The template is Prefect's own database as its server leaves it after its
first start (migrations run, block types registered), built by

    python -m flows.prefect_template        # rewrites flows/data/prefect-template.*

for the Prefect version pinned in requirements.lock. It is used only when it
was built by the Prefect version installed, the home has no database yet and
no other database is configured; otherwise Prefect migrates as usual. The
server still runs its migration check on start, so a template that is behind
is brought up to date rather than trusted. `TONGBAO_PREFECT_TEMPLATE=0`
leaves every new home to Prefect's migrations. No Prefect import here.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TEMPLATE = DATA / "prefect-template.db.gz"
META = DATA / "prefect-template.json"
DATABASE_SETTINGS = ("PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL")


def installed_prefect() -> str | None:
    try:
        return version("prefect")
    except PackageNotFoundError:
        return None


def template_meta() -> dict | None:
    try:
        return json.loads(META.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def default_database(home: Path) -> Path | None:
    """Given a Prefect home, return the SQLite file Prefect will use there, or
    None when another database is configured (environment or profiles)."""
    if any(os.environ.get(name) for name in DATABASE_SETTINGS):
        return None
    profiles = home / "profiles.toml"
    try:
        if "DATABASE" in profiles.read_text(encoding="utf-8").upper():
            return None
    except OSError:
        pass
    return home / "prefect.db"


def seed_database(home: Path) -> bool:
    """Given a Prefect home, copy the template in as its database when the home
    has none, the template fits the installed Prefect and nothing else is
    configured; return True if it was copied."""
    if os.environ.get("TONGBAO_PREFECT_TEMPLATE", "1") == "0":
        return False
    target = default_database(home)
    meta = template_meta()
    if target is None or target.exists() or not TEMPLATE.exists():
        return False
    if not meta or meta.get("prefect") != installed_prefect():
        return False
    home.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with gzip.open(TEMPLATE, "rb") as source, open(partial, "wb") as out:
        shutil.copyfileobj(source, out)
    if target.exists():  # another process seeded it meanwhile
        partial.unlink(missing_ok=True)
        return False
    os.replace(partial, target)
    return True


def alembic_revision(database: Path) -> str | None:
    """Given a SQLite database, return its alembic revision (None if it has none)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as con:
        try:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
    return row[0] if row else None


def build_template(timeout_s: float = 300.0) -> dict:
    """Start Prefect's server once on an empty home (as the shared server does),
    stop it, and write its compacted database and a note of the Prefect version
    and alembic revision into flows/data/; return that note."""
    from flows.local_server import _free_port, healthy

    home = Path(tempfile.mkdtemp(prefix="tongbao-prefect-template-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), DO_NOT_TRACK="1", PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_UI_ENABLED="0", PREFECT__SERVER_EPHEMERAL="1", PREFECT__SERVER_FINAL="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
        env=env, stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + timeout_s
        while not healthy(f"http://127.0.0.1:{port}/api", timeout_s=1.0):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("Prefect's server did not start; the template was not built")
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    DATA.mkdir(exist_ok=True)
    compact = home / "compact.db"
    with sqlite3.connect(home / "prefect.db") as con:
        con.execute("DELETE FROM configuration")  # no telemetry session or other per-home state
        con.commit()
        con.execute(f"VACUUM INTO '{compact}'")  # path made here, not from input
    with open(compact, "rb") as source, gzip.GzipFile(TEMPLATE, "wb", mtime=0) as out:
        shutil.copyfileobj(source, out)
    meta = {"prefect": installed_prefect(), "alembic_revision": alembic_revision(compact)}
    META.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(home, ignore_errors=True)
    return meta


if __name__ == "__main__":
    print(json.dumps(build_template()))
