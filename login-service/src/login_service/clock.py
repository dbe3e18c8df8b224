"""The clock login-service compares Kratos's and Hydra's times with: the system clock, or the
one `create_app(clock=…)` was given (the tests pass the Ory stand-ins' clock, which they move
forward instead of sleeping)."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask, current_app

Clock = Callable[[], float]
_KEY = "login_service.clock"


def init_clock(app: Flask, clock: Clock | None) -> None:
    app.extensions[_KEY] = clock or time.time


def now() -> float:
    """Seconds since the epoch, as `time.time()`, on the app's clock."""
    clock: Clock = current_app.extensions[_KEY]
    return clock()
