"""Offboarding a person in one action: deactivate, end every session, revoke every consent,
remove (or keep) the roles, and report what was done per app.

Reactivating later restores nothing by itself: sessions, consents and tokens are gone, and the
roles only if `keep_roles` kept them.
"""

from __future__ import annotations

from contextlib import suppress

from stackspin_clients import errors as ory_errors

from dashboard_api.access import repository
from dashboard_api.access.schemas import OffboardedApp, OffboardReport
from dashboard_api.access.sessions import login_session_ids
from dashboard_api.apps import repository as apps_repository
from dashboard_api.apps.models import App
from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.users import reading, updates
from dashboard_api.users.schemas import UserUpdate


def offboard(ctx: Context, *, subject: str, keep_roles: bool) -> OffboardReport:
    # A 404 for someone unknown before any session lookup (real Kratos answers 400 to ids that
    # are no UUID, which must not reach the caller as an upstream failure).
    reading.get_identity(ctx, subject=subject)
    held = {
        app.id: (app, role) for app, role in apps_repository.apps_with_role(ctx.session, subject)
    }
    consented: dict[int, list[str]] = {}
    with suppress(ory_errors.NotFound):
        clients = {
            c.consent_request.client.client_id
            for c in ctx.ory.hydra.list_consent_sessions(subject)
            if c.consent_request is not None
            and c.consent_request.client is not None
            and c.consent_request.client.client_id
        }
        for client_id, app_id in repository.apps_by_client(ctx.session, clients).items():
            consented.setdefault(app_id, []).append(client_id)
    sids = login_session_ids(ctx, subject)
    kratos_sessions = []
    with suppress(ory_errors.NotFound):
        kratos_sessions = [
            s for s in ctx.ory.kratos.list_identity_sessions(subject) if s.active is not False
        ]
    # One path for the change itself: locks, last-admin rule, Kratos patch undone on rollback,
    # role revocation and every session ended (relying parties told through back-channel logout).
    user = updates.update_user(
        ctx,
        subject=subject,
        data=UserUpdate(state="inactive", roles=None if keep_roles else []),
    )
    names = _app_names(ctx, held, consented)
    report = OffboardReport(
        user_id=subject,
        state=user.state or "inactive",
        apps=[
            OffboardedApp(
                app=names[app_id],
                role=held[app_id][1] if app_id in held else None,
                role_kept=keep_roles and app_id in held,
                consents_revoked=sorted(consented.get(app_id, [])),
            )
            for app_id in sorted(held.keys() | consented.keys(), key=lambda a: names[a])
        ],
        kratos_sessions_ended=len(kratos_sessions),
        hydra_login_sessions_ended=len(sids),
    )
    audit.record(
        ctx,
        action="user.offboard",
        target_type="user",
        target_id=subject,
        summary=report.model_dump(mode="json", exclude={"user_id"}),
    )
    return report


def _app_names(
    ctx: Context, held: dict[int, tuple[App, str]], consented: dict[int, list[str]]
) -> dict[int, str]:
    names = {app_id: app.slug for app_id, (app, _) in held.items()}
    missing = consented.keys() - names.keys()
    found = apps_repository.slugs_by_id(ctx.session, missing)
    return names | {app_id: found.get(app_id, str(app_id)) for app_id in missing}
