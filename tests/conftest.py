"""Test configuration: offline Prefect in a throwaway home, real everything else."""

from __future__ import annotations

import os
import tempfile

# Must happen before anything imports Prefect.
_PREFECT_HOME = tempfile.mkdtemp(prefix="tongbao-prefect-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
from ingest.settings import apply_offline_env  # noqa: E402

apply_offline_env()
