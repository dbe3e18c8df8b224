"""May this person use the app behind this OAuth2 client, and with which claims?"""

from __future__ import annotations

from typing import Any

from stackspin_clients import errors as ory_errors
from stackspin_clients.claims import identity_claims

from dashboard_api.apps import repository as apps_repository
from dashboard_api.apps.models import DASHBOARD_APP_SLUG, App
from dashboard_api.context import Context
from dashboard_api.errors import NotFound
from dashboard_api.groups import repository as groups_repository
from dashboard_api.internal.schemas import ConsentDecision, DecisionApp
from dashboard_api.roles.effective import effective_role
from dashboard_api.users import invitations


def render_claims(
    app: App, subject: str, role: str, groups: list[str] | None = None
) -> dict[str, Any]:
    """The role claim plus the app's extra claims, with {subject}, {role}, {app} filled in, and
    the groups claim (the names of the person's groups this app may see) if the app has one."""
    values = {"{subject}": subject, "{role}": role, "{app}": app.slug}
    claims: dict[str, Any] = {}
    for name, value in (app.extra_claims or {}).items():
        if isinstance(value, str):
            for placeholder, replacement in values.items():
                value = value.replace(placeholder, replacement)
        claims[name] = value
    claims[app.role_claim] = role
    if app.groups_claim:
        claims[app.groups_claim] = list(groups or [])
    return claims


def consent_decision(ctx: Context, subject: str, client_id: str) -> ConsentDecision:
    app = apps_repository.app_for_client(ctx.session, client_id)
    if app is None:
        raise NotFound(f"The OAuth2 client {client_id!r} belongs to no app.")
    decision_app = DecisionApp(slug=app.slug, name=app.name, url=app.url, trusted=app.trusted)
    # Direct or through a group, whichever is higher.
    role = effective_role(ctx, subject=subject, app_id=app.id)
    if role is None and app.slug == DASHBOARD_APP_SLUG:
        # My apps is for everyone with an account; the admin endpoints check the admin role.
        role = "user"
    if role not in ("admin", "user"):
        return ConsentDecision(
            allowed=False, app=decision_app, role=None, claims={}, reason="no_role"
        )
    # Hydra may skip the login for a remembered session; an inactive person must still stop here.
    try:
        identity = ctx.ory.kratos.get_identity(subject)
    except (ory_errors.NotFound, ory_errors.ValidationFailed):
        return ConsentDecision(
            allowed=False, app=decision_app, role=None, claims={}, reason="no_role"
        )
    if identity.state not in (None, "active"):
        return ConsentDecision(
            allowed=False, app=decision_app, role=None, claims={}, reason="user_inactive"
        )
    # Before email_verified is read for the ID token.
    identity = invitations.confirm_redeemed(ctx, identity)
    groups = (
        groups_repository.visible_group_names(ctx.session, subject=subject, app_id=app.id)
        if app.groups_claim
        else []
    )
    return ConsentDecision(
        allowed=True,
        app=decision_app,
        role=role,
        claims=render_claims(app, subject, role, groups),
        # login-service would otherwise read the same identity from Kratos a second time.
        identity_claims=identity_claims(identity),
        reason=None,
    )
