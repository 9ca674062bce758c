"""Test configuration: offline Prefect in a throwaway home, real everything else.

One Prefect API server serves the whole session (flows/local_server.py, the
same shared server the CLI uses): the flows run in this process and the CLI
processes the tests start connect to it instead of each starting Prefect's
temporary server. It is stopped when the session ends.
"""

from __future__ import annotations

import os
import tempfile

# Must happen before anything imports Prefect.
_PREFECT_HOME = tempfile.mkdtemp(prefix="tongbao-prefect-")
os.environ.setdefault("PREFECT_HOME", _PREFECT_HOME)
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
from ingest.settings import apply_offline_env  # noqa: E402

apply_offline_env()

if not os.environ.get("PREFECT_API_URL"):
    from flows.local_server import stop_shared_server, use_shared_server  # noqa: E402

    use_shared_server()

    def pytest_sessionfinish(session, exitstatus):
        stop_shared_server()
