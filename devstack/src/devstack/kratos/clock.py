"""Timestamps as Kratos writes them (RFC 3339, UTC, with a Z)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def now() -> datetime:
    return datetime.now(UTC)


def fmt(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def later(seconds: float) -> datetime:
    return now() + timedelta(seconds=seconds)
