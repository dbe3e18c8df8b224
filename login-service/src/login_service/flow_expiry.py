"""Kratos's "the flow expired N.NN minutes ago" message, read in whole minutes in either language.

Kratos v25 puts it on the fresh flow that replaces an expired one (login 4010001, registration
4040001, settings 4050001, recovery 4060005, verification 4070005) with `expired_at` and
`expired_at_unix` in its context; its English text has two decimals ("3.47 minutes ago").
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext

from login_service import clock

EXPIRED_FLOW_IDS = frozenset({4010001, 4040001, 4050001, 4060005, 4070005})


def _expired_at(context: Mapping[str, Any]) -> float | None:
    unix = context.get("expired_at_unix")
    if isinstance(unix, int | float) and not isinstance(unix, bool):
        return float(unix)
    raw = context.get("expired_at")
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def expired_flow_text(context: Mapping[str, Any], *, now: float | None = None) -> str | None:
    """The message in whole minutes, or None when the context names no usable time."""
    expired_at = _expired_at(context)
    if expired_at is None:
        return None
    minutes = int(max(0.0, (clock.now() if now is None else now) - expired_at) // 60)
    if minutes < 1:
        return str(gettext("This form expired less than a minute ago. Please try again."))
    if minutes == 1:
        return str(gettext("This form expired 1 minute ago. Please try again."))
    return str(
        gettext("This form expired %(minutes)s minutes ago. Please try again.", minutes=minutes)
    )
