"""Call a flow and get its summary back, whatever state it ended in.

A flow run stopped by Ctrl-C ends Cancelled (so the Prefect UI says so), and
calling a flow whose state is Cancelled raises instead of returning; the CLI
wants the summary of what was done, so it asks for the state and unwraps it.
"""

from __future__ import annotations

from typing import Any, Callable


def summary_of(flow: Callable[..., Any], **parameters: Any) -> dict:
    """Given a flow and its parameters, run it and return its summary dict;
    raise the flow's own error if it failed."""
    state = flow(**parameters, return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return result
