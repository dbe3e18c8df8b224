"""Apps and their OAuth2 clients; Hydra and the database are kept in step. Nothing commits here."""

from __future__ import annotations

import logging
import secrets
import uuid
from collections.abc import Sequence
from contextlib import suppress
from functools import partial

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import JsonPatch, OAuth2Client

from dashboard_api.apps import repository
from dashboard_api.apps.models import DASHBOARD_APP_SLUG, App
from dashboard_api.apps.schemas import (
    AppCreate,
    AppOut,
    AppUpdate,
    ClientCreate,
    ClientOut,
    ClientUpdate,
    ClientWithSecret,
    MyApp,
    check_claims,
)
from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.db import on_rollback
from dashboard_api.errors import Conflict, NotFound, Unprocessable
from dashboard_api.intents import service as intents
from dashboard_api.intents.models import OAUTH2_CLIENT
from dashboard_api.roles.effective import effective_roles

log = logging.getLogger(__name__)


def owner_of(app: App) -> str:
    """The Hydra client `owner` marking clients of this app (one Hydra call lists them all)."""
    return f"stackspin-dashboard:{app.slug}"


def to_out(app: App, client_ids: Sequence[str] | None = None) -> AppOut:
    return AppOut(
        slug=app.slug,
        name=app.name,
        url=app.url,
        icon_url=app.icon_url,
        external=app.external,
        trusted=app.trusted,
        role_claim=app.role_claim,
        extra_claims=dict(app.extra_claims or {}),
        client_ids=list(
            client_ids if client_ids is not None else [c.client_id for c in app.clients]
        ),
    )


def get_app(ctx: Context, *, slug: str) -> App:
    app = repository.get_by_slug(ctx.session, slug)
    if app is None:
        raise NotFound(f"There is no app {slug!r}.")
    return app


def list_apps(ctx: Context) -> list[AppOut]:
    return [to_out(app) for app in repository.list_apps(ctx.session)]


def my_apps(ctx: Context, *, subject: str) -> list[MyApp]:
    """The apps the person may use with their effective role (direct or through a group)."""
    roles = effective_roles(ctx, subjects=[subject]).get(subject, {})
    return [
        MyApp(
            slug=app.slug,
            name=app.name,
            url=app.url,
            icon_url=app.icon_url,
            external=app.external,
            role=roles[app.id],
        )
        for app in repository.apps_by_ids(ctx.session, roles)
    ]


# /api/v1/apps/presets is the catalogue (an app of that slug could not be read at its URL);
# the dashboard's /apps/new is where an app is added (one of that slug would have no page).
RESERVED_SLUGS = frozenset({"presets", "new"})


def create_app(ctx: Context, *, data: AppCreate) -> AppOut:
    if data.slug in RESERVED_SLUGS:
        raise Unprocessable(f"The slug {data.slug!r} is reserved.", field="slug")
    if repository.get_by_slug(ctx.session, data.slug) is not None:
        raise Conflict(f"An app with the slug {data.slug!r} already exists.", field="slug")
    app = App(
        slug=data.slug,
        name=data.name,
        url=str(data.url) if data.url else None,
        icon_url=data.icon_url,
        external=data.external,
        trusted=data.trusted,
        role_claim=data.role_claim,
        extra_claims=dict(data.extra_claims),
    )
    repository.add(ctx.session, app)
    ctx.session.flush()
    audit.record(
        ctx,
        action="app.create",
        target_type="app",
        target_id=app.slug,
        summary=data.model_dump(mode="json"),
    )
    return to_out(app, [])


def ensure_app(ctx: Context, *, slug: str, name: str, url: str | None, trusted: bool) -> App:
    """Create the app unless it exists (seed and devstack: safe to repeat)."""
    app = repository.get_by_slug(ctx.session, slug)
    if app is not None:
        if app.url is None and url is not None:
            update_app(ctx, slug=slug, data=AppUpdate(url=url))
        return app
    create_app(ctx, data=AppCreate(slug=slug, name=name, url=url, trusted=trusted))
    return get_app(ctx, slug=slug)


def update_app(ctx: Context, *, slug: str, data: AppUpdate) -> AppOut:
    app = get_app(ctx, slug=slug)
    changes = data.model_dump(mode="json", exclude_unset=True)
    if "role_claim" in changes or "extra_claims" in changes:
        try:
            check_claims(
                changes.get("role_claim") or app.role_claim,
                changes.get("extra_claims", app.extra_claims),
            )
        except ValueError as exc:
            raise Unprocessable(str(exc)) from exc
    for key, value in changes.items():
        if value is None and key not in ("url", "icon_url"):
            continue
        setattr(app, key, value)
    ctx.session.flush()
    audit.record(
        ctx,
        action="app.update",
        target_type="app",
        target_id=slug,
        summary=changes,
    )
    return to_out(app)


def delete_app(ctx: Context, *, slug: str) -> None:
    """Delete the app, everyone's roles on it and its OAuth2 clients in Hydra."""
    if slug == DASHBOARD_APP_SLUG:
        raise Conflict("The dashboard app cannot be deleted.")
    app = get_app(ctx, slug=slug)
    client_ids = [c.client_id for c in app.clients]
    repository.delete(ctx.session, app)
    audit.record(
        ctx,
        action="app.delete",
        target_type="app",
        target_id=slug,
        summary={"clients": client_ids},
    )
    ctx.session.flush()
    for client_id in client_ids:
        _delete_hydra_client(ctx, client_id)


# --- OAuth2 clients ------------------------------------------------------------------------


def _client_out(client: OAuth2Client, *, in_hydra: bool = True) -> ClientOut:
    return ClientOut(
        client_id=client.client_id or "",
        client_name=client.client_name,
        redirect_uris=client.redirect_uris or [],
        post_logout_redirect_uris=client.post_logout_redirect_uris or [],
        grant_types=client.grant_types or [],
        scope=client.scope,
        token_endpoint_auth_method=client.token_endpoint_auth_method,
        in_hydra=in_hydra,
    )


def _with_secret(client: OAuth2Client, secret: str | None) -> ClientWithSecret:
    return ClientWithSecret(**_client_out(client).model_dump(), client_secret=secret)


def _delete_hydra_client(ctx: Context, client_id: str) -> bool:
    with suppress(ory_errors.NotFound):  # already gone: deleting converges
        ctx.ory.hydra.delete_oauth2_client(client_id)
    return True


def _linked(ctx: Context, slug: str, client_id: str) -> App:
    app = get_app(ctx, slug=slug)
    link = repository.get_client_link(ctx.session, client_id)
    if link is None or link.app_id != app.id:
        raise NotFound(f"The app {slug!r} has no OAuth2 client {client_id!r}.")
    return app


def list_clients(ctx: Context, *, slug: str) -> list[ClientOut]:
    """The app's clients: one Hydra call (by owner) whatever their number."""
    app = get_app(ctx, slug=slug)
    linked = repository.client_ids(ctx.session, app.id)
    if not linked:
        return []
    page = ctx.ory.hydra.list_oauth2_clients(page_size=500, owner=owner_of(app))
    known = {c.client_id: c for c in page.clients if c.client_id}
    return [
        _client_out(known[cid]) if cid in known else ClientOut(client_id=cid, in_hydra=False)
        for cid in linked
    ]


def create_client(ctx: Context, *, slug: str, data: ClientCreate) -> ClientWithSecret:
    """Create the Hydra client and link it: both happen, or neither.

    The client id is chosen here and its write intent committed before Hydra is asked, so a
    lost answer leaves a client we can name: the compensation deletes it, or, with Hydra
    unreachable for that too, `dashboard-api reconcile` does.
    """
    app = get_app(ctx, slug=slug)
    return make_client(ctx, app, data, begin_client(ctx))


def begin_client(ctx: Context) -> intents.Intent:
    """Choose a client id and commit its write intent; its undo deletes the Hydra client.

    This commits the unit of work so far: call it before the request's first write."""
    client_id = str(uuid.uuid4())
    (intent,) = intents.begin(ctx, OAUTH2_CLIENT, [client_id])
    intent.undo = partial(_delete_hydra_client, ctx, client_id)
    return intent


def make_client(
    ctx: Context, app: App, data: ClientCreate, intent: intents.Intent
) -> ClientWithSecret:
    """Create the Hydra client `begin_client` named and link it to the app."""
    client_id = intent.key
    public = data.token_endpoint_auth_method == "none"  # noqa: S105
    secret = None if public else secrets.token_urlsafe(32)
    try:
        client = ctx.ory.hydra.create_oauth2_client(
            OAuth2Client(
                client_id=client_id,
                client_name=data.client_name or app.name,
                client_secret=secret,
                owner=owner_of(app),
                redirect_uris=[str(u) for u in data.redirect_uris],
                post_logout_redirect_uris=[str(u) for u in data.post_logout_redirect_uris],
                grant_types=list(data.grant_types),
                response_types=["code"],
                scope=data.scope,
                token_endpoint_auth_method=data.token_endpoint_auth_method,
                skip_consent=False,
            )
        )
    except ory_errors.ValidationFailed as exc:
        intent.undo = None  # Hydra made nothing
        raise Unprocessable(f"Hydra refused the client: {exc.message}") from exc
    repository.link_client(ctx.session, app.id, client_id)
    audit.record(
        ctx,
        action="client.create",
        target_type="oauth2_client",
        target_id=client_id,
        summary={"app": app.slug, "redirect_uris": client.redirect_uris},
    )
    intents.settle(ctx, [intent])
    ctx.session.flush()
    return _with_secret(client, client.client_secret or secret)


def link_client(ctx: Context, *, slug: str, client_id: str) -> None:
    """Link an existing Hydra client to the app (devstack seeding, migrations from elsewhere)."""
    app = get_app(ctx, slug=slug)
    try:
        existing = ctx.ory.hydra.get_oauth2_client(client_id)
    except ory_errors.NotFound as exc:
        raise NotFound(f"Hydra has no OAuth2 client {client_id!r}.") from exc
    link = repository.get_client_link(ctx.session, client_id)
    if link is not None and link.app_id == app.id:
        return
    if link is not None:
        raise Conflict(f"The client {client_id!r} belongs to another app.")
    repository.link_client(ctx.session, app.id, client_id)
    audit.record(
        ctx,
        action="client.link",
        target_type="oauth2_client",
        target_id=client_id,
        summary={"app": slug},
    )
    ctx.session.flush()
    # Our owner on a client with no link would make reconcile delete it: undone unless committed.
    on_rollback(ctx.session, partial(_restore_owner, ctx, client_id, existing.owner))
    ctx.ory.hydra.patch_oauth2_client(
        client_id, [JsonPatch(op="add", path="/owner", value=owner_of(app))]
    )


def _restore_owner(ctx: Context, client_id: str, owner: str | None) -> None:
    try:
        ctx.ory.hydra.patch_oauth2_client(
            client_id, [JsonPatch(op="add", path="/owner", value=owner or "")]
        )
    except ory_errors.OryError as exc:
        log.error("could not put back the owner of client %s: %s", client_id, exc)


def update_client(ctx: Context, *, slug: str, client_id: str, data: ClientUpdate) -> ClientOut:
    _linked(ctx, slug, client_id)
    patches = [
        JsonPatch(op="add", path=f"/{field}", value=[str(u) for u in value])
        for field, value in (
            ("redirect_uris", data.redirect_uris),
            ("post_logout_redirect_uris", data.post_logout_redirect_uris),
        )
        if value is not None
    ]
    audit.record(
        ctx,
        action="client.update",
        target_type="oauth2_client",
        target_id=client_id,
        summary={"app": slug, **data.model_dump(mode="json", exclude_none=True)},
    )
    ctx.session.flush()  # a database failure surfaces before Hydra changes
    try:
        client = ctx.ory.hydra.get_oauth2_client(client_id)
        if patches:
            # Should the unit of work not commit (or the answer be lost), the old URIs go back.
            on_rollback(ctx.session, partial(_put_back_uris, ctx, client))
            client = ctx.ory.hydra.patch_oauth2_client(client_id, patches)
    except ory_errors.NotFound as exc:
        raise NotFound(f"Hydra no longer knows the client {client_id!r}.") from exc
    except ory_errors.ValidationFailed as exc:
        raise Unprocessable(f"Hydra refused the change: {exc.message}") from exc
    return _client_out(client)


def _put_back_uris(ctx: Context, before: OAuth2Client) -> None:
    patches = [
        JsonPatch(op="add", path="/redirect_uris", value=before.redirect_uris or []),
        JsonPatch(
            op="add",
            path="/post_logout_redirect_uris",
            value=before.post_logout_redirect_uris or [],
        ),
    ]
    try:
        ctx.ory.hydra.patch_oauth2_client(before.client_id or "", patches)
    except ory_errors.OryError as exc:
        log.error("could not put back the redirect URIs of client %s: %s", before.client_id, exc)


def rotate_secret(ctx: Context, *, slug: str, client_id: str) -> ClientWithSecret:
    _linked(ctx, slug, client_id)
    try:
        current = ctx.ory.hydra.get_oauth2_client(client_id)
    except ory_errors.NotFound as exc:
        raise NotFound(f"Hydra no longer knows the client {client_id!r}.") from exc
    if current.token_endpoint_auth_method == "none":  # noqa: S105
        raise Conflict("A public client (token_endpoint_auth_method none) has no secret.")
    audit.record(
        ctx,
        action="client.rotate_secret",
        target_type="oauth2_client",
        target_id=client_id,
        summary={"app": slug},
    )
    # Committed first, so nothing can fail after Hydra takes the new secret: one Hydra holds
    # but nobody was shown would lock the app out (the old one is gone, no undo).
    ctx.session.commit()
    secret = secrets.token_urlsafe(32)
    client = ctx.ory.hydra.patch_oauth2_client(
        client_id, [JsonPatch(op="add", path="/client_secret", value=secret)]
    )
    return _with_secret(client, secret)


def delete_client(ctx: Context, *, slug: str, client_id: str) -> None:
    _linked(ctx, slug, client_id)
    link = repository.get_client_link(ctx.session, client_id)
    if link is not None:
        repository.unlink_client(ctx.session, link)
    audit.record(
        ctx,
        action="client.delete",
        target_type="oauth2_client",
        target_id=client_id,
        summary={"app": slug},
    )
    ctx.session.flush()
    _delete_hydra_client(ctx, client_id)
