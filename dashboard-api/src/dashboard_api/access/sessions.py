"""Ending all of a person's Hydra sessions so that relying parties hear of it.

Hydra sends OpenID Connect back-channel logout tokens only when a login session ends by its id
(`DELETE /admin/oauth2/auth/sessions/login?sid=`), never when all of a subject's end at once.
So each login session named by the person's consent sessions is ended by id first; the rest
(sessions whose every consent was skipped, which Hydra does not list) end by subject, without
a logout token. Revoking the consent sessions last revokes every access and refresh token.
"""

from __future__ import annotations

from contextlib import suppress

from stackspin_clients import errors as ory_errors

from dashboard_api.context import Context


def login_session_ids(ctx: Context, subject: str) -> list[str]:
    with suppress(ory_errors.NotFound):
        consents = ctx.ory.hydra.list_consent_sessions(subject)
        return sorted(
            {
                c.consent_request.login_session_id
                for c in consents
                if c.consent_request is not None and c.consent_request.login_session_id
            }
        )
    return []


def end_hydra_sessions(ctx: Context, subject: str) -> list[str]:
    """End every login and consent session of `subject`; returns the login session ids ended
    one by one (those whose clients got a back-channel logout). Raises on a Hydra failure."""
    sids = login_session_ids(ctx, subject)
    for sid in sids:
        with suppress(ory_errors.NotFound):
            ctx.ory.hydra.revoke_login_sessions(sid=sid)
    with suppress(ory_errors.NotFound):
        ctx.ory.hydra.revoke_login_sessions(subject=subject)
    with suppress(ory_errors.NotFound):
        ctx.ory.hydra.revoke_consent_sessions(subject, all=True)
    ctx.forget_tokens_of(subject)
    return sids
