"""Users: Kratos identities plus their roles here. Every write is audited; nothing commits here."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from contextlib import suppress
from datetime import timedelta
from functools import partial
from typing import Any

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import BatchIdentityResult, CreateIdentity, Identity, JsonPatch

from dashboard_api import locks, mail
from dashboard_api.apps import repository as apps_repository
from dashboard_api.audit import repository as audit_repository
from dashboard_api.audit import service as audit
from dashboard_api.auth import repository as auth_repository
from dashboard_api.context import Context
from dashboard_api.db import on_rollback, utcnow
from dashboard_api.errors import Conflict, DomainError, NotFound, Unauthenticated, Unprocessable
from dashboard_api.intents import repository as intents_repository
from dashboard_api.intents import service as intents
from dashboard_api.intents.models import IDENTITY
from dashboard_api.pagination import Page, decode_cursor, encode_cursor
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from dashboard_api.users import identities, invitations, leftovers
from dashboard_api.users.schemas import (
    BatchItemResult,
    BatchResult,
    Me,
    MeUpdate,
    RecoveryCode,
    User,
    UserCreate,
    UserSession,
    UserUpdate,
)

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 500
# A search by name cannot be done by Kratos; it scans at most this many Kratos pages per request.
SEARCH_SCAN_PAGES = 4
# A whole address is looked up exactly (one call); parts of one are searched like names.
FULL_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
SECOND_FACTOR_CREDENTIALS = ("totp", "lookup_secret", "webauthn")


# --- reading -------------------------------------------------------------------------------


def get_identity(ctx: Context, subject: str) -> Identity:
    try:
        return ctx.ory.kratos.get_identity(subject)
    except ory_errors.NotFound as exc:
        raise NotFound(f"There is no user {subject!r}.") from exc
    except ory_errors.ValidationFailed as exc:  # Kratos answers 400 to ids that are no UUID
        raise NotFound(f"There is no user {subject!r}.") from exc


def get_user(ctx: Context, subject: str) -> User:
    identity = get_identity(ctx, subject)
    assignments = roles_repository.assignments_for(ctx.session, [subject])
    return identities.to_user(identity, assignments.get(subject, []))


def get_me(ctx: Context, subject: str) -> Me:
    try:
        user = get_user(ctx, subject)
    except NotFound as exc:
        raise Unauthenticated("Your account no longer exists.") from exc
    return Me(**user.model_dump(), is_admin=roles.is_dashboard_admin(ctx, subject))


def _matches(identity: Identity, needle: str) -> bool:
    traits = identities.traits_of(identity)
    return any(
        isinstance(traits.get(key), str) and needle in str(traits[key]).casefold()
        for key in ("email", "name", "username")
    )


def list_users(
    ctx: Context,
    *,
    limit: int = 100,
    cursor: str | None = None,
    q: str | None = None,
    app: str | None = None,
    role: str | None = None,
) -> Page[User]:
    """One page of users; see `_list_users`. A page token Kratos refuses came from a bad cursor."""
    try:
        return _list_users(ctx, limit=limit, cursor=cursor, q=q, app=app, role=role)
    except ory_errors.ValidationFailed as exc:
        raise Unprocessable("The cursor is not one this API handed out.") from exc


def _list_users(
    ctx: Context,
    *,
    limit: int = 100,
    cursor: str | None = None,
    q: str | None = None,
    app: str | None = None,
    role: str | None = None,
) -> Page[User]:
    """One page of users at a constant cost: at most SEARCH_SCAN_PAGES Kratos calls, two queries.

    Filters on app/role page over our role table and fetch those identities by id; an email
    search is an exact Kratos lookup; other searches scan a bounded number of Kratos pages.
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    position = decode_cursor(cursor)
    needle = q.strip().casefold() if q and q.strip() else None
    found: list[Identity]
    next_position: dict[str, Any] | None = None

    if app is not None or role is not None:
        app_id = role_id = None
        if app is not None:
            found_app = apps_repository.get_by_slug(ctx.session, app)
            if found_app is None:
                return Page[User](items=[])
            app_id = found_app.id
        if role is not None:
            known = roles_repository.roles_by_name(ctx.session)
            if role not in known:
                raise Unprocessable(f"There is no role {role!r}.")
            role_id = known[role].id
        subjects = roles_repository.subjects_page(
            ctx.session, limit=limit, after=_str(position.get("s")), app_id=app_id, role_id=role_id
        )
        by_id = {i.id: i for i in _identities_by_id(ctx, subjects)}
        found = [by_id[s] for s in subjects if s in by_id]
        if needle:
            found = [i for i in found if _matches(i, needle)]
        if len(subjects) == limit:
            next_position = {"s": subjects[-1]}
    elif needle and FULL_EMAIL.fullmatch(needle):
        page = ctx.ory.kratos.list_identities(page_size=1, credentials_identifier=needle)
        found = page.identities
    elif needle:
        found, next_position = _scan(ctx, needle, limit, position)
    else:
        page = ctx.ory.kratos.list_identities(page_size=limit, page_token=_str(position.get("k")))
        found = page.identities
        if page.next_page_token:
            next_position = {"k": page.next_page_token}

    assignments = roles_repository.assignments_for(ctx.session, [i.id for i in found])
    return Page[User](
        items=[identities.to_user(i, assignments.get(i.id, [])) for i in found],
        next_cursor=encode_cursor(next_position) if next_position else None,
    )


def _scan(
    ctx: Context, needle: str, limit: int, position: dict[str, Any]
) -> tuple[list[Identity], dict[str, Any] | None]:
    token = _str(position.get("k"))
    offset_value = position.get("o", 0)
    skip = offset_value if isinstance(offset_value, int) and offset_value > 0 else 0
    found: list[Identity] = []
    for _ in range(SEARCH_SCAN_PAGES):
        page = ctx.ory.kratos.list_identities(page_size=MAX_PAGE_SIZE, page_token=token)
        for offset, identity in enumerate(page.identities):
            if offset < skip or not _matches(identity, needle):
                continue
            found.append(identity)
            if len(found) == limit:
                rest = page.identities[offset + 1 :]
                if rest:
                    return found, {"k": token, "o": offset + 1}
                return found, ({"k": page.next_page_token} if page.next_page_token else None)
        skip = 0
        if not page.next_page_token:
            return found, None
        token = page.next_page_token
    # Budget spent: hand back what matched so far and where to go on.
    return found, {"k": token}


def _identities_by_id(ctx: Context, subjects: Sequence[str]) -> list[Identity]:
    if not subjects:
        return []
    return ctx.ory.kratos.list_identities(page_size=len(subjects), ids=list(subjects)).identities


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


# --- creating ------------------------------------------------------------------------------


def _standing(ctx: Context, identity: Identity) -> leftovers.Standing:
    token = identities.intent_of(identity)
    # The intent first, roles and audit after: a request whose intent is gone committed its
    # roles with that deletion, so the later reads see them (READ COMMITTED or a snapshot).
    intent = intents_repository.by_tokens(ctx.session, [token]).get(token) if token else None
    return leftovers.standing(
        identity,
        has_roles=roles_repository.has_any_role(ctx.session, identity.id),
        create_recorded=audit_repository.has_entry(
            ctx.session, action="user.create", target_type="user", target_id=identity.id
        ),
        intent=intent,
        now=utcnow(),
        untracked_min_age=timedelta(0),
    )


def _take_over(
    ctx: Context, email: str, traits: dict[str, Any], intent: intents.Intent
) -> Identity | leftovers.Standing:
    """After Kratos refused a create as a duplicate: the identity an earlier create of ours
    left half-made, now with this request's traits and intent — or why it cannot be had."""
    page = ctx.ory.kratos.list_identities(page_size=1, credentials_identifier=email)
    for found in page.identities:
        standing = _standing(ctx, found)
        if standing is not leftovers.Standing.LEFTOVER:
            return standing
        meta = dict(found.metadata_admin) if isinstance(found.metadata_admin, dict) else {}
        earlier = identities.intent_of(found)
        if earlier is not None:  # the earlier request's intent ends with this one
            intents_repository.delete_tokens(ctx.session, [earlier])
        return ctx.ory.kratos.patch_identity(
            found.id,
            [
                JsonPatch(op="replace", path="/traits", value=traits),
                JsonPatch(op="replace", path="/state", value="active"),
                JsonPatch(
                    op="add",
                    path="/metadata_admin",
                    value={**meta, **identities.created_metadata(intent.token)},
                ),
            ],
        )
    return leftovers.Standing.USER  # taken by a username, or deleted meanwhile


def _undo_create(ctx: Context, made: list[str], email: str, token: str) -> bool:
    """Delete what this create made; if its answer never came, find it by email and intent."""
    if not made:
        page = ctx.ory.kratos.list_identities(page_size=1, credentials_identifier=email)
        made = [i.id for i in page.identities if identities.intent_of(i) == token]
    for identity_id in made:
        with suppress(ory_errors.NotFound):
            ctx.ory.kratos.delete_identity(identity_id)
    return True


def _delete_identity(ctx: Context, identity_id: str) -> bool:
    with suppress(ory_errors.NotFound):
        ctx.ory.kratos.delete_identity(identity_id)
    return True


def _duplicate(email: str) -> Conflict:
    return Conflict(f"A user with the email address {email} already exists.", field="email")


def _in_flight(email: str) -> Conflict:
    return Conflict(
        f"A create of the user {email} is still under way; try again in a moment.", field="email"
    )


def create_user(ctx: Context, data: UserCreate) -> User:
    """Create the identity in Kratos and its roles here: both happen, or neither.

    The write intent is committed first; should the rest fail (the commit included), the
    identity is deleted again, or, with Kratos unreachable for that too, left for a retry of
    the same create to adopt and for `dashboard-api reconcile` to remove.
    """
    role_plan = roles.plan(ctx, [(r.app, r.role) for r in data.roles], default_dashboard_user=True)
    email = str(data.email)
    traits = identities.new_traits(email, data.name, data.username)
    (intent,) = intents.begin(ctx, IDENTITY, [email.casefold()])
    made: list[str] = []
    intent.undo = partial(_undo_create, ctx, made, email, intent.token)
    try:
        identity = ctx.ory.kratos.create_identity(
            CreateIdentity(
                traits=traits,
                state="active",
                metadata_admin=identities.created_metadata(intent.token),
            )
        )
    except ory_errors.Conflict as exc:
        taken = _take_over(ctx, email, traits, intent)
        if not isinstance(taken, Identity):
            intent.undo = None  # Kratos made nothing for us
            if taken is leftovers.Standing.IN_FLIGHT:
                raise _in_flight(email) from exc
            raise _duplicate(email) from exc
        identity = taken
    except ory_errors.ValidationFailed as exc:
        intent.undo = None
        raise Unprocessable(f"Kratos refused the identity: {exc.message}") from exc
    made.append(identity.id)
    roles.replace(ctx, identity.id, role_plan)
    audit.record(
        ctx,
        action="user.create",
        target_type="user",
        target_id=identity.id,
        summary={"email": email, "roles": _plan_summary(data), "invite": data.invite},
    )
    intents.settle(ctx, [intent])
    ctx.session.flush()
    if data.invite:
        _send_invitation(ctx, identity, data.name)
    assignments = roles_repository.assignments_for(ctx.session, [identity.id])
    return identities.to_user(identity, assignments.get(identity.id, []))


def _plan_summary(data: UserCreate) -> list[list[str]]:
    return [[r.app, r.role] for r in data.roles]


def _send_invitation(ctx: Context, identity: Identity, name: str | None) -> None:
    email = identities.email_of(identity)
    if email is None:
        raise Unprocessable("The user has no email address to invite.")
    code = ctx.ory.kratos.create_recovery_code(
        identity.id, expires_in=ctx.settings.invitation_expires_in
    )
    # Redeeming this mailed code proves the address; Kratos does not record that for admin codes.
    invitations.record(ctx, identity, email, code)
    mail.send(ctx.settings, mail.invitation_message(ctx.settings, to=email, name=name, code=code))


def invite(ctx: Context, subject: str) -> None:
    identity = get_identity(ctx, subject)
    name = identities.traits_of(identity).get("name")
    _send_invitation(ctx, identity, name if isinstance(name, str) else None)
    audit.record(ctx, action="user.invite", target_type="user", target_id=subject)


def batch_create(ctx: Context, items: Sequence[UserCreate]) -> BatchResult:
    """Create many users with one Kratos batch call; a result per item, in order.

    A retry converges: an item an earlier attempt left half-made (created in Kratos, roles never
    committed) is finished with this attempt's data and reported `created`, not `exists`.
    """
    results: list[BatchItemResult | None] = [None] * len(items)
    plans: dict[int, roles.RolePlan] = {}
    seen: set[str] = set()
    for index, item in enumerate(items):
        email = str(item.email).casefold()
        if email in seen:
            results[index] = BatchItemResult(
                index=index, email=str(item.email), status="failed", error="duplicate in this batch"
            )
            continue
        seen.add(email)
        try:
            plans[index] = roles.plan(
                ctx, [(r.app, r.role) for r in item.roles], default_dashboard_user=True
            )
        except Unprocessable as exc:
            results[index] = BatchItemResult(
                index=index, email=str(item.email), status="failed", error=exc.detail
            )
    todo = [i for i in range(len(items)) if results[i] is None]
    finished: list[tuple[int, str, bool]] = []  # (index, identity id, adopted)
    if todo:
        pending = intents.begin(ctx, IDENTITY, [str(items[i].email).casefold() for i in todo])
        for intent in pending:
            intent.undo = _unknown_outcome  # until the batch answers, anything may be there
        traits = {
            i: identities.new_traits(str(items[i].email), items[i].name, items[i].username)
            for i in todo
        }
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
                _take_over(ctx, email, traits[index], intent)
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
            else:
                results[index] = BatchItemResult(index=index, email=email, status="exists")
        intents.settle(ctx, pending)
    for index, identity_id, adopted in finished:
        for app_id, role_id in plans[index].items():
            roles_repository.assign(ctx.session, identity_id, app_id, role_id)
        summary: dict[str, Any] = {"email": str(items[index].email), "batch": True}
        if adopted:
            summary["finished_earlier_attempt"] = True
        audit.record(
            ctx, action="user.create", target_type="user", target_id=identity_id, summary=summary
        )
    ctx.session.flush()
    for index, identity_id, _ in finished:
        if items[index].invite:
            _send_invitation(ctx, get_identity(ctx, identity_id), items[index].name)
    final = [r for r in results if r is not None]
    return BatchResult(
        results=final,
        created=sum(r.status == "created" for r in final),
        exists=sum(r.status == "exists" for r in final),
        failed=sum(r.status == "failed" for r in final),
    )


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


# --- changing ------------------------------------------------------------------------------


def _trait_patches(current: Identity, **changes: Any) -> list[JsonPatch]:
    traits = identities.traits_of(current)
    patches = []
    for key, value in changes.items():
        if value is None or traits.get(key) == value:
            continue
        patches.append(JsonPatch(op="add", path=f"/traits/{key}", value=value))
    return patches


def _patch_identity(
    ctx: Context, subject: str, patches: list[JsonPatch], email: str | None
) -> Identity:
    try:
        return ctx.ory.kratos.patch_identity(subject, patches)
    except ory_errors.Conflict as exc:
        raise _duplicate(email or "this email") from exc
    except ory_errors.ValidationFailed as exc:
        raise Unprocessable(f"Kratos refused the change: {exc.message}") from exc
    except ory_errors.NotFound as exc:
        raise NotFound(f"There is no user {subject!r}.") from exc


def _reverse_patches(before: Identity, patches: Sequence[JsonPatch]) -> list[JsonPatch]:
    """Patches that put back what `patches` changed on `before`."""
    traits = identities.traits_of(before)
    undo = []
    for patch in patches:
        if patch.path == "/state":
            undo.append(JsonPatch(op="replace", path="/state", value=before.state or "active"))
            continue
        key = patch.path.removeprefix("/traits/")
        if key in traits:
            undo.append(JsonPatch(op="add", path=patch.path, value=traits[key]))
        else:
            undo.append(JsonPatch(op="remove", path=patch.path))
    return undo


def _put_back(ctx: Context, before: Identity, patches: Sequence[JsonPatch]) -> None:
    try:
        ctx.ory.kratos.patch_identity(before.id, _reverse_patches(before, patches))
    except ory_errors.OryError as exc:
        log.error("could not undo the change of identity %s: %s", before.id, exc)


def _patch_undoably(
    ctx: Context, before: Identity, patches: list[JsonPatch], email: str | None
) -> Identity:
    """Patch the identity; if the unit of work then does not commit (its commit failing
    included), patch it back. A lost answer may hide a patch that applied: undone too."""
    try:
        identity = _patch_identity(ctx, before.id, patches, email)
    except DomainError:
        raise  # Kratos refused the change: nothing to put back
    except BaseException:
        on_rollback(ctx.session, partial(_put_back, ctx, before, patches))
        raise
    on_rollback(ctx.session, partial(_put_back, ctx, before, patches))
    return identity


def update_user(ctx: Context, subject: str, data: UserUpdate) -> User:
    # Parallel changes of one person run one after the other: the roles end as one asked for.
    locks.hold(ctx.session, [locks.subject_name(subject)])
    current = get_identity(ctx, subject)
    summary: dict[str, Any] = {}
    if data.roles is not None:
        role_plan = roles.plan(
            ctx, [(r.app, r.role) for r in data.roles], default_dashboard_user=False
        )
        summary["roles"] = roles.replace(ctx, subject, role_plan)
    deactivating = data.state == "inactive" and current.state != "inactive"
    if deactivating:
        roles.ensure_an_admin_remains(ctx, subject)
    patches = _trait_patches(
        current,
        email=str(data.email) if data.email is not None else None,
        name=data.name,
        username=data.username,
    )
    if data.state is not None and data.state != current.state:
        patches.append(JsonPatch(op="replace", path="/state", value=data.state))
        summary["state"] = data.state
    summary["changed"] = sorted({p.path for p in patches})
    audit.record(
        ctx,
        action="user.update",
        target_type="user",
        target_id=subject,
        summary=summary,
    )
    # Surface database errors before Kratos changes; after it, a failure puts Kratos back.
    ctx.session.flush()
    identity = (
        _patch_undoably(ctx, current, patches, str(data.email) if data.email else None)
        if patches
        else current
    )
    if deactivating:
        _end_sessions(ctx, subject)
    ctx.session.flush()
    assignments = roles_repository.assignments_for(ctx.session, [subject])
    return identities.to_user(identity, assignments.get(subject, []))


def update_me(ctx: Context, subject: str, data: MeUpdate) -> Me:
    try:
        current = get_identity(ctx, subject)
    except NotFound as exc:
        raise Unauthenticated("Your account no longer exists.") from exc
    patches = _trait_patches(current, name=data.name, username=data.username)
    if patches:
        audit.record(
            ctx,
            action="user.update_self",
            target_type="user",
            target_id=subject,
            summary={"changed": sorted(p.path for p in patches)},
        )
        ctx.session.flush()  # a database failure surfaces before Kratos changes
        _patch_undoably(ctx, current, patches, None)
    return get_me(ctx, subject)


def delete_user(ctx: Context, subject: str) -> None:
    """Remove the identity, its roles and every session; safe to repeat."""
    locks.hold(ctx.session, [locks.subject_name(subject)])
    roles.ensure_an_admin_remains(ctx, subject)
    removed = roles_repository.delete_for_subject(ctx.session, subject)
    auth_repository.delete_sessions_of(ctx.session, subject)
    audit.record(
        ctx,
        action="user.delete",
        target_type="user",
        target_id=subject,
        summary={"roles_removed": removed},
    )
    ctx.session.flush()
    try:
        ctx.ory.kratos.delete_identity(subject)  # Kratos drops the identity's sessions with it
    except (ory_errors.NotFound, ory_errors.ValidationFailed) as exc:
        if not removed:
            raise NotFound(f"There is no user {subject!r}.") from exc
    _end_hydra_sessions(ctx, subject)


def _end_hydra_sessions(ctx: Context, subject: str) -> None:
    """Hydra revokes the subject's tokens with its consent sessions; forget cached answers."""
    with suppress(ory_errors.NotFound):
        ctx.ory.hydra.revoke_login_sessions(subject=subject)
    with suppress(ory_errors.NotFound):
        ctx.ory.hydra.revoke_consent_sessions(subject, all=True)
    ctx.forget_tokens_of(subject)


def _end_sessions(ctx: Context, subject: str) -> None:
    with suppress(ory_errors.NotFound):  # Kratos answers 404 when there was no session
        ctx.ory.kratos.delete_identity_sessions(subject)
    _end_hydra_sessions(ctx, subject)
    auth_repository.delete_sessions_of(ctx.session, subject)


def revoke_sessions(ctx: Context, subject: str) -> None:
    get_identity(ctx, subject)
    _end_sessions(ctx, subject)
    audit.record(
        ctx,
        action="user.revoke_sessions",
        target_type="user",
        target_id=subject,
    )


def list_sessions(ctx: Context, subject: str) -> list[UserSession]:
    get_identity(ctx, subject)
    try:
        sessions = ctx.ory.kratos.list_identity_sessions(subject)
    except ory_errors.NotFound:
        sessions = []
    return [
        UserSession(
            id=s.id,
            active=s.active,
            authenticated_at=s.authenticated_at,
            expires_at=s.expires_at,
            aal=s.authenticator_assurance_level,
            methods=[m.method for m in s.authentication_methods or [] if m.method],
        )
        for s in sessions
    ]


def recovery_code(ctx: Context, subject: str) -> RecoveryCode:
    """A recovery code for the admin to hand over (Kratos's recovery runs by code; links are off).

    Not noted as an invitation: handed over by someone else, it proves nothing about the address.
    """
    get_identity(ctx, subject)
    result = ctx.ory.kratos.create_recovery_code(
        subject, expires_in=ctx.settings.recovery_code_expires_in
    )
    audit.record(
        ctx,
        action="user.recovery_code",
        target_type="user",
        target_id=subject,
        summary={"expires_at": result.expires_at.isoformat() if result.expires_at else None},
    )
    return RecoveryCode(
        recovery_link=result.recovery_link,
        recovery_code=result.recovery_code,
        expires_at=result.expires_at,
    )


def _second_factors(identity: Identity) -> set[str]:
    """The second factors the person set up. Kratos gives every identity whose schema makes the
    email a WebAuthn identifier an empty `webauthn` credential: only one holding keys counts."""
    credentials = identity.credentials or {}
    had: set[str] = {kind for kind in ("totp", "lookup_secret") if kind in credentials}
    webauthn = credentials.get("webauthn")
    if webauthn is not None and (webauthn.config or {}).get("credentials"):
        had.add("webauthn")
    return had


def reset_second_factor(ctx: Context, subject: str) -> None:
    get_identity(ctx, subject)
    had = _second_factors(ctx.ory.kratos.get_identity(subject, include_credential=["webauthn"]))
    removed = []
    for kind in SECOND_FACTOR_CREDENTIALS:
        try:
            ctx.ory.kratos.delete_identity_credentials(subject, kind)
        except (ory_errors.NotFound, ory_errors.ValidationFailed):
            continue  # the person had no credential of this kind
        if kind in had:
            removed.append(kind)
    audit.record(
        ctx,
        action="user.reset_second_factor",
        target_type="user",
        target_id=subject,
        summary={"removed": removed},
    )
