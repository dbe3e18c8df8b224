"""The time by which the incoming request being handled must have its answer.

A service sets it once per request (``with request_deadline(seconds):``), a little inside the
front proxy's timeout; every client call made in that context then cuts each attempt's timeouts
to the time left and makes no retry that would not fit, so the service answers (and rolls back)
before the proxy gives up on the request.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: ``time.monotonic()`` value by which the current request must be answered, or None.
deadline_var: ContextVar[float | None] = ContextVar("stackspin_deadline", default=None)


def seconds_left() -> float | None:
    """Seconds until the current request's deadline (<= 0 once passed), or None without one."""
    deadline = deadline_var.get()
    return None if deadline is None else deadline - time.monotonic()


@contextmanager
def request_deadline(seconds: float | None) -> Iterator[None]:
    """Give the calls made inside the block ``seconds`` in all (None: no deadline)."""
    token = deadline_var.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        deadline_var.reset(token)
