"""The stand-ins' clock: system time plus an offset a test can move forward.

`create_apps(config, clock=…)` of the Hydra and Kratos stand-ins runs every request with that
clock current, so their code reads `clock.time()` / `clock.now()` and a test makes a flow,
session or token expire with `clock.advance(seconds)` instead of sleeping. Without one they use
the system clock."""

from __future__ import annotations

import threading
import time as _time
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any


class Clock:
    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def time(self) -> float:
        """Seconds since the epoch, as `time.time()`, plus what `advance` added."""
        return _time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        """Move this clock forward (never back: time stays monotonic for the stand-ins)."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._offset += seconds


SYSTEM = Clock()
_current: ContextVar[Clock] = ContextVar("devstack_clock", default=SYSTEM)


def time() -> float:
    """The current request's clock (the system clock outside one)."""
    return _current.get().time()


def now() -> datetime:
    return _current.get().now()


class WithClock:
    """ASGI middleware: the wrapped app runs with `clock` current (threads it offloads to
    inherit it: anyio copies the context)."""

    def __init__(self, app: Any, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        token = _current.set(self.clock)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
