"""One settings object for a run, read from arguments and environment.

Environment variables (all optional): TONGBAO_WAREHOUSE (default
./warehouse.duckdb), TONGBAO_LOCK_WAIT_S (default 10), and one per limit:
TONGBAO_MAX_FILE_BYTES, TONGBAO_MAX_TEXT_CHARS, TONGBAO_MAX_PDF_PAGES,
TONGBAO_MAX_DOCX_UNCOMPRESSED_BYTES, TONGBAO_MAX_CELLS_PER_TABLE,
TONGBAO_PARSE_TIMEOUT_S, TONGBAO_CONVERSION_TIMEOUT_S, TONGBAO_MAX_OCR_PAGES,
TONGBAO_OCR_TIMEOUT_S, TONGBAO_MIN_OCR_CONFIDENCE, TONGBAO_MAX_PARSE_MEMORY_BYTES,
TONGBAO_MAX_INFLATED_BYTES; TONGBAO_QUERY_MEMORY_LIMIT (DuckDB's memory limit for
`tongbao query`, default 1GB).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from parsers.limits import Limits

DEFAULT_WAREHOUSE = "warehouse.duckdb"

# Machines here are offline: nothing may phone home. Set before Prefect is imported.
OFFLINE_ENV = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
    # Prefect's own default (20 s) is too short for a busy 2-core machine where
    # two scheduled runs start their temporary API servers at once.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def apply_offline_env() -> None:
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class Settings:
    warehouse: Path = Path(DEFAULT_WAREHOUSE)
    lock_wait_s: float = 10.0
    limits: Limits = field(default_factory=Limits)
    query_memory_limit: str = "1GB"

    @classmethod
    def from_env(cls, warehouse: str | Path | None = None, lock_wait_s: float | None = None) -> "Settings":
        env = os.environ
        limit_values = {}
        for f in fields(Limits):
            raw = env.get(f"TONGBAO_{f.name.upper()}")
            if raw is not None:
                try:
                    limit_values[f.name] = float(raw) if "." in raw or f.name.endswith("_s") else int(raw)
                except ValueError as exc:
                    raise ValueError(f"TONGBAO_{f.name.upper()}={raw!r} is not a number") from exc
        return cls(
            warehouse=Path(warehouse or env.get("TONGBAO_WAREHOUSE") or DEFAULT_WAREHOUSE),
            lock_wait_s=lock_wait_s if lock_wait_s is not None else float(env.get("TONGBAO_LOCK_WAIT_S", "10")),
            limits=Limits(**limit_values),
            query_memory_limit=env.get("TONGBAO_QUERY_MEMORY_LIMIT", "1GB"),
        )
