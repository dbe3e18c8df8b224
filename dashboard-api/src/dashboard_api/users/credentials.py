"""Credentials an admin hands over or resets: recovery codes and second factors."""

from __future__ import annotations

import logging

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import Identity

from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.users.reading import get_identity
from dashboard_api.users.schemas import (
    RecoveryCode,
)

log = logging.getLogger(__name__)

SECOND_FACTOR_CREDENTIALS = ("totp", "lookup_secret", "webauthn")


def recovery_code(ctx: Context, *, subject: str) -> RecoveryCode:
    """A recovery code for the admin to hand over (Kratos's recovery runs by code; links are off).

    Not noted as an invitation: handed over by someone else, it proves nothing about the address.
    """
    get_identity(ctx, subject=subject)
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


def reset_second_factor(ctx: Context, *, subject: str) -> None:
    get_identity(ctx, subject=subject)
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
