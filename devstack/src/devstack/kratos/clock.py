"""Timestamps as Kratos writes them (RFC 3339, UTC, with a Z), on the stand-ins' clock
(`devstack.clock`: the one `create_apps` was given)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from devstack import clock


def now() -> datetime:
    return clock.now()


def fmt(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def later(seconds: float) -> datetime:
    return now() + timedelta(seconds=seconds)
