"""Creating many users with one Kratos batch call; a result per item, in order."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import suppress
from functools import partial
from typing import Any

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import BatchIdentityResult, CreateIdentity, Identity

from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.errors import Unprocessable
from dashboard_api.intents import repository as intents_repository
from dashboard_api.intents import service as intents
from dashboard_api.intents.models import IDENTITY
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from dashboard_api.search import service as search
from dashboard_api.users import identities, leftovers, taken
from dashboard_api.users.creation import send_invitation, take_over
from dashboard_api.users.reading import get_identity
from dashboard_api.users.schemas import (
    BatchItemResult,
    BatchResult,
    UserCreate,
)

log = logging.getLogger(__name__)

USERNAME_TAKEN = "username taken"
STORED_CHECK_PAGE = 250


def batch_create(ctx: Context, *, items: Sequence[UserCreate]) -> BatchResult:
    """Create many users with one Kratos batch call; a result per item, in order.

    A retry converges: an item an earlier attempt left half-made (created in Kratos, roles never
    committed) is finished with this attempt's data and reported `created`, not `exists`.
    """
    results: list[BatchItemResult | None] = [None] * len(items)
    plans: dict[int, roles.RolePlan] = {}
    seen: set[str] = set()
    usernames: set[str] = set()
    planned = roles.plan_many(
        ctx,
        people=[[(r.app, r.role) for r in item.roles] for item in items],
        default_dashboard_user=True,
    )
    for index, (item, plan) in enumerate(zip(items, planned, strict=True)):
        email = str(item.email).casefold()
        if email in seen:
            results[index] = BatchItemResult(
                index=index, email=str(item.email), status="failed", error="duplicate in this batch"
            )
            continue
        seen.add(email)
        if item.username and item.username.casefold() in usernames:
            results[index] = BatchItemResult(
                index=index, email=str(item.email), status="failed", error=USERNAME_TAKEN
            )
            continue
        if item.username:
            usernames.add(item.username.casefold())
        if isinstance(plan, Unprocessable):
            results[index] = BatchItemResult(
                index=index, email=str(item.email), status="failed", error=plan.detail
            )
        else:
            plans[index] = plan
    todo = [i for i in range(len(items)) if results[i] is None]
    finished: list[tuple[int, str, bool]] = []  # (index, identity id, adopted)
    traits = {
        i: identities.new_traits(str(items[i].email), items[i].name, items[i].username)
        for i in todo
    }
    if todo:
        pending = intents.begin(ctx, IDENTITY, [str(items[i].email).casefold() for i in todo])
        for intent in pending:
            intent.undo = _unknown_outcome  # until the batch answers, anything may be there
        answers = _batch_call(
            ctx,
            [
                CreateIdentity(
                    traits=traits[i],
                    state="active",
                    metadata_admin=identities.created_metadata(intent.token),
                )
                for i, intent in zip(todo, pending, strict=True)
            ],
        )
        for answer, intent in zip(answers, pending, strict=True):
            made = answer.identity if answer.action == "create" else None
            intent.undo = partial(_delete_identity, ctx, made) if made else None
        conflicting = [
            i for i, answer in zip(todo, answers, strict=True) if _is_conflict(answer.error)
        ]
        held = search.holders(
            ctx,
            identifiers=[
                value
                for i in conflicting
                for value in (str(items[i].email), items[i].username)
                if value
            ],
        )
        unfinished = _earlier_attempts(
            ctx,
            [
                intent
                for answer, intent in zip(answers, pending, strict=True)
                if _is_conflict(answer.error)
            ],
        )
        for index, answer, intent in zip(todo, answers, pending, strict=True):
            email = str(items[index].email)
            if answer.action == "create" and answer.identity:
                finished.append((index, answer.identity, False))
                results[index] = BatchItemResult(
                    index=index, email=email, status="created", id=answer.identity
                )
                continue
            if not _is_conflict(answer.error):
                results[index] = BatchItemResult(
                    index=index, email=email, status="failed", error=_reason(answer.error)
                )
                continue
            # An earlier attempt may have made this identity and never given it its roles.
            taken = (
                take_over(ctx, email, traits[index], intent)
                if intent.key in unfinished
                else leftovers.Standing.USER
            )
            if isinstance(taken, Identity):
                intent.undo = partial(_delete_identity, ctx, taken.id)
                finished.append((index, taken.id, True))
                results[index] = BatchItemResult(
                    index=index, email=email, status="created", id=taken.id
                )
            elif taken is leftovers.Standing.IN_FLIGHT:
                results[index] = BatchItemResult(
                    index=index,
                    email=email,
                    status="failed",
                    error="an earlier create of this user is still under way; try again",
                )
            elif _username_taken(ctx, held, email, items[index].username):
                results[index] = BatchItemResult(
                    index=index, email=email, status="failed", error=USERNAME_TAKEN
                )
            else:
                results[index] = BatchItemResult(index=index, email=email, status="exists")
        intents.settle(ctx, pending)
    roles_repository.assign_many(
        ctx.session,
        [
            (identity_id, app_id, role_id)
            for index, identity_id, _ in finished
            for app_id, role_id in plans[index].items()
        ],
    )
    search.index_created(
        ctx, created=[(identity_id, traits[index]) for index, identity_id, _ in finished]
    )
    audit.record_many(
        ctx,
        action="user.create",
        target_type="user",
        entries=[
            (identity_id, _audit_summary(str(items[index].email), adopted))
            for index, identity_id, adopted in finished
        ],
    )
    ctx.session.flush()
    for index, identity_id, _ in finished:
        if items[index].invite:
            send_invitation(
                ctx,
                get_identity(ctx, subject=identity_id),
                items[index].name,
                items[index].language,
            )
    final = [r for r in results if r is not None]
    return BatchResult(
        results=final,
        created=sum(r.status == "created" for r in final),
        exists=sum(r.status == "exists" for r in final),
        failed=sum(r.status == "failed" for r in final),
    )


def preview(ctx: Context, *, items: Sequence[UserCreate]) -> BatchResult:
    """What `batch_create` would do with each item, found by reading only: duplicates in the
    batch and unknown apps fail, a known email `exists`, the rest `would_create`. Emails and
    usernames are looked up in the search projection, so someone made in Kratos directly since
    the last reconcile shows as `would_create` (the import itself then says `exists`)."""
    results: list[BatchItemResult] = []
    seen: set[str] = set()
    usernames: set[str] = set()
    planned = roles.plan_many(
        ctx,
        people=[[(r.app, r.role) for r in item.roles] for item in items],
        default_dashboard_user=True,
    )
    # Who holds the emails and usernames, as the search projection knows: one query.
    held = search.holders(
        ctx,
        identifiers=[
            value for item in items for value in (str(item.email), item.username) if value
        ],
    )
    for index, (item, plan) in enumerate(zip(items, planned, strict=True)):
        email = str(item.email)
        if email.casefold() in seen:
            results.append(
                BatchItemResult(
                    index=index, email=email, status="failed", error="duplicate in this batch"
                )
            )
            continue
        seen.add(email.casefold())
        username = item.username.casefold() if item.username else None
        error = plan.detail if isinstance(plan, Unprocessable) else None
        if error is None and username and username in usernames:
            error = USERNAME_TAKEN
        if username:
            usernames.add(username)
        if error is not None:
            results.append(BatchItemResult(index=index, email=email, status="failed", error=error))
            continue
        if email.casefold() in held:
            status = "exists"
        elif username and username in held:
            results.append(
                BatchItemResult(index=index, email=email, status="failed", error=USERNAME_TAKEN)
            )
            continue
        else:
            status = "would_create"
        results.append(BatchItemResult(index=index, email=email, status=status))
    return BatchResult(
        results=results,
        created=0,
        exists=sum(r.status == "exists" for r in results),
        failed=sum(r.status == "failed" for r in results),
        would_create=sum(r.status == "would_create" for r in results),
        dry_run=True,
    )


def _audit_summary(email: str, adopted: bool) -> dict[str, Any]:
    summary: dict[str, Any] = {"email": email, "batch": True}
    if adopted:
        summary["finished_earlier_attempt"] = True
    return summary


def _username_taken(ctx: Context, held: dict[str, str], email: str, username: str | None) -> bool:
    """A conflict is the username's when the item has one and nobody has its email. `held` is
    what the search projection knows; only when it knows neither (someone made in Kratos
    directly, not yet reconciled) is Kratos asked."""
    if not username or email.casefold() in held:
        return False
    if username.casefold() in held:
        return True
    return not taken.held_by_other(ctx, email, None)


def _delete_identity(ctx: Context, identity_id: str) -> bool:
    with suppress(ory_errors.NotFound):
        ctx.ory.kratos.delete_identity(identity_id)
    return True


def _earlier_attempts(ctx: Context, conflicts: Sequence[intents.Intent]) -> set[str]:
    """The keys (emails) among `conflicts` that an earlier create of ours left an intent for:
    only those can be half-made users (one query, no Kratos call for plain duplicates)."""
    ours = {intent.token for intent in conflicts}
    rows = intents_repository.by_keys(ctx.session, IDENTITY, [i.key for i in conflicts])
    return {row.key for row in rows if row.token not in ours}


def _unknown_outcome() -> bool:
    """The batch call failed: what Kratos made, if anything, waits for a retry or reconcile."""
    return False


def _batch_call(ctx: Context, bodies: list[CreateIdentity]) -> list[BatchIdentityResult]:
    """One Kratos batch, with every `create` it answers checked to be stored.

    Real Kratos v1.3.1 answers a batch holding a conflicting item with `create` and an id for
    each other item, yet stores none of them (seen on its SQLite store; the stand-in stores
    them). So when a batch mixes errors and creates, one list call checks the ids, and the
    items that are not there are sent again on their own batch (at most twice more)."""
    answers = _send_batch(ctx, bodies)
    for _ in range(2):
        claimed = [i for i, a in enumerate(answers) if a.action == "create" and a.identity]
        if len(claimed) in (0, len(answers)):
            break
        stored = _stored_ids(ctx, [str(answers[i].identity) for i in claimed])
        lost = [i for i in claimed if answers[i].identity not in stored]
        if not lost:
            break
        log.warning("kratos answered create for %d identities it did not store", len(lost))
        for i, answer in zip(lost, _send_batch(ctx, [bodies[i] for i in lost]), strict=True):
            answers[i] = answer
    else:
        claimed = [i for i, a in enumerate(answers) if a.action == "create" and a.identity]
        stored = _stored_ids(ctx, [str(answers[i].identity) for i in claimed])
        for i in claimed:
            if answers[i].identity not in stored:
                answers[i] = BatchIdentityResult(
                    action="error", error={"reason": "Kratos did not store it; try again"}
                )
    return answers


def _stored_ids(ctx: Context, ids: list[str]) -> set[str]:
    """Which of these identity ids Kratos has (one list call per 250)."""
    found: set[str] = set()
    for start in range(0, len(ids), STORED_CHECK_PAGE):
        chunk = ids[start : start + STORED_CHECK_PAGE]
        page = ctx.ory.kratos.list_identities(page_size=len(chunk), ids=chunk)
        found.update(identity.id for identity in page.identities)
    return found


def _send_batch(ctx: Context, bodies: list[CreateIdentity]) -> list[BatchIdentityResult]:
    """Kratos answers the whole batch with 409/400 when every item failed; spread that out."""
    try:
        return ctx.ory.kratos.batch_create_identities(bodies)
    except ory_errors.Conflict:
        return [BatchIdentityResult(action="error", error={"code": 409}) for _ in bodies]
    except ory_errors.ValidationFailed as exc:
        return [
            BatchIdentityResult(action="error", error={"code": 400, "reason": exc.message})
            for _ in bodies
        ]


def _is_conflict(error: Any) -> bool:
    if not isinstance(error, dict):
        return False
    return error.get("code") == 409 or error.get("status") in ("Conflict", 409)


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        return str(error.get("reason") or error.get("message") or error)
    return str(error or "unknown error")
