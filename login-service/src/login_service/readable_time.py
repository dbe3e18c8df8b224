"""Times from Kratos (ISO strings or unix seconds) as dates people read, in the page's language.

Printed in LOGIN_TIMEZONE (Flask-Babel's BABEL_DEFAULT_TIMEZONE, default UTC): the browser's
zone is not known when the page is rendered. A UTC time says "UTC"; a configured zone is the
organisation's own, read without a label.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import format_date, format_time, format_timedelta, get_locale, get_timezone

from login_service import clock


def parse_moment(value: Any) -> datetime | None:
    """An aware datetime from an RFC 3339 string or unix seconds; None for anything else."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    if not isinstance(value, str):
        return None
    try:
        # Go writes nanoseconds; Python reads at most microseconds.
        head, dot, rest = value.replace("Z", "+00:00").partition(".")
        if dot:
            digits = len(rest) - len(rest.lstrip("0123456789"))
            rest = rest[: min(digits, 6)] + rest[digits:]
        parsed = datetime.fromisoformat(head + (dot + rest if dot else ""))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def readable_moment(moment: datetime, *, now: float | None = None) -> str:
    """ "17:28" today, "2 dec 2026 17:28" on another day (in the page's locale and zone)."""
    zone = get_timezone()
    today = datetime.fromtimestamp(clock.now() if now is None else now, zone).date()
    hour = str(format_time(moment, "short"))
    if moment.astimezone(zone).date() == today:
        text = hour
    else:
        locale = get_locale()
        pattern = locale.datetime_formats["medium"] if locale is not None else "{1}, {0}"
        text = str(pattern).format(hour, str(format_date(moment, "medium")))
    return f"{text} UTC" if str(zone) == "UTC" else text


def time_context(context: Mapping[str, Any], *, now: float | None = None) -> dict[str, Any]:
    """A Kratos message context with every `*_at` time readable, plus `*_in` (time left)."""
    current = clock.now() if now is None else now
    out = dict(context)
    for key, value in context.items():
        if not key.endswith("_at"):
            continue
        moment = parse_moment(context.get(f"{key}_unix", value))
        if moment is None:
            continue
        out[key] = readable_moment(moment, now=current)
        left = max(timedelta(0), moment - datetime.fromtimestamp(current, UTC))
        out[f"{key[:-3]}_in"] = str(format_timedelta(left, threshold=2))
    return out


def derived_keys(context_keys: list[str]) -> set[str]:
    """The placeholders time_context adds for a message with these context keys."""
    return {f"{k[:-3]}_in" for k in context_keys if k.endswith("_at")}
