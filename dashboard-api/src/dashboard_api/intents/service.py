"""Creating something in Kratos or Hydra inside a request, so that it ends all-or-nothing.

1. `begin` commits a pending intent (before the Ory call), then the request creates the object,
   carrying the intent's token, and sets `Intent.undo`.
2. `settle` deletes the intent in the request's own transaction: it commits with the roles or
   the client link, or not at all.
3. If the unit of work does not commit (its commit failing included), the compensation runs
   each `undo`; an intent whose undo worked goes, one whose undo failed is marked abandoned.
A pending intent past its deadline belongs to a request whose process died. `reconcile` removes
what abandoned intents left at once; a retry of the same create adopts it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.exc import SQLAlchemyError
from stackspin_clients import errors as ory_errors
from stackspin_clients import request_id_var

from dashboard_api.context import Context
from dashboard_api.db import on_rollback
from dashboard_api.intents import repository
from dashboard_api.intents.models import PENDING, WriteIntent

log = logging.getLogger(__name__)


@dataclass
class Intent:
    token: str
    kind: str
    key: str
    # Undo what the request made in Ory; True when nothing is left there. None: nothing made.
    undo: Callable[[], bool] | None = None


def in_flight(intent: WriteIntent, now: datetime) -> bool:
    """Whether the request that wrote `intent` may still be working."""
    return intent.state == PENDING and intent.deadline > now


def begin(ctx: Context, kind: str, keys: Sequence[str]) -> list[Intent]:
    """Commit a pending intent per key and register their undo with the unit of work.

    This commits the unit of work so far (the one commit inside a request: the intent must
    outlive a failure of the rest), so call it before the request's first write and before it
    takes any row lock (a commit releases them).
    """
    now = ctx.now()
    deadline = now + timedelta(seconds=ctx.settings.write_intent_deadline)
    rows = [
        WriteIntent(
            token=str(uuid.uuid4()),
            kind=kind,
            key=key,
            state=PENDING,
            created_at=now,
            deadline=deadline,
            request_id=request_id_var.get(),
        )
        for key in keys
    ]
    repository.add_all(ctx.session, rows)
    ctx.session.commit()
    intents = [Intent(row.token, kind, row.key) for row in rows]
    on_rollback(ctx.session, partial(_compensate, ctx, intents))
    return intents


def settle(ctx: Context, intents: Sequence[Intent]) -> None:
    """The request's own writes are in this transaction: its intents end with them."""
    repository.delete_tokens(ctx.session, [intent.token for intent in intents])


def _compensate(ctx: Context, intents: Sequence[Intent]) -> None:
    clean: list[str] = []
    left: list[str] = []
    for intent in intents:
        try:
            done = intent.undo() if intent.undo is not None else True
        except ory_errors.OryError as exc:
            log.error("could not undo the %s %s: %s", intent.kind, intent.key, exc)
            done = False
        (clean if done else left).append(intent.token)
    try:
        repository.delete_tokens(ctx.session, clean)
        repository.mark_abandoned(ctx.session, left)
        ctx.session.commit()
    except SQLAlchemyError as exc:
        ctx.session.rollback()
        log.error("could not note the end of %d intent(s): %s", len(intents), exc)
