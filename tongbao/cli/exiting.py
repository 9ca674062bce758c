"""Leave a flow command without the interpreter's teardown.

After a flow, the process holds several thousand modules (Prefect, FastAPI,
pydantic, pandas); Python's own finalisation of them takes 0.5–0.7 s of a
4 s one-file ingest on this 2-core machine and does nothing the user needs.
So once the command is done, this sends what Prefect still queues (its log
and event workers: task-run states reach the UI through events), runs the
exit handlers (the server lease, multiprocessing's clean-up), flushes the
output and ends the process with the command's exit code.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

DRAIN_TIMEOUT_S = 10.0


def exit_code(code: object) -> int:
    """Given a SystemExit code, return the process exit status (a message is printed, status 1)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_without_teardown(code: object) -> NoReturn:
    status = exit_code(code)
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=DRAIN_TIMEOUT_S)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
