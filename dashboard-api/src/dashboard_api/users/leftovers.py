"""Telling a half-made user (an identity we created whose roles never committed) from a user."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from stackspin_clients.models import Identity

from dashboard_api.intents import service as intents
from dashboard_api.intents.models import WriteIntent
from dashboard_api.users import identities


class Standing(enum.Enum):
    USER = "user"  # a finished user, or an identity made elsewhere: not ours to touch
    IN_FLIGHT = "in_flight"  # a create of ours that may still be working
    LEFTOVER = "leftover"  # what a create of ours left behind: adopt or delete it


def standing(
    identity: Identity,
    *,
    has_roles: bool,
    create_recorded: bool,
    intent: WriteIntent | None,
    now: datetime,
    untracked_min_age: timedelta,
) -> Standing:
    """`intent`: the write intent named in the identity's metadata, if that row still exists.

    An identity made before write intents existed carries none; it counts as left over once
    `untracked_min_age` old (timedelta(0) when the same create is being repeated).
    """
    if not identities.created_by_us(identity) or has_roles or create_recorded:
        return Standing.USER
    if identities.intent_of(identity) is not None:
        # The intent commits before the create and goes with the request's end: no row, or a
        # row the request marked abandoned, or one past its deadline, means the request is over.
        if intent is not None and intents.in_flight(intent, now):
            return Standing.IN_FLIGHT
        return Standing.LEFTOVER
    if identity.created_at is not None and identity.created_at > now - untracked_min_age:
        return Standing.IN_FLIGHT
    return Standing.LEFTOVER
