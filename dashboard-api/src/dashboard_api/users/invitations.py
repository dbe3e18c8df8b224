"""Invitations: a Kratos recovery code mailed to the person's address, and what redeeming it proves.

Kratos marks an address verified when a *self-service* recovery code sent to it is redeemed, but
not for codes made through the admin API (those may be handed over by an admin, proving nothing
about the mailbox). An invitation's code is made through the admin API and mailed by us to the
address, so redeeming it does prove the address: we note each mailed invitation's recovery flow
in the identity's `metadata_admin`, and once Kratos reports that flow passed (the code was
entered) we mark the address verified. Codes an admin hands over (`recovery_code`) are not
noted, so they verify nothing. The check runs at consent (`confirm_redeemed`), before the ID
token's `email_verified` is read: the first login after the invitation already carries it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import Identity, JsonPatch, RecoveryCodeResult

from dashboard_api.audit import service as audit
from dashboard_api.context import Context
from dashboard_api.invitations import acceptance
from dashboard_api.users import identities

log = logging.getLogger(__name__)

METADATA_KEY = "invitations"
# Older invitations' codes stay valid in Kratos until they expire; remember a few of them.
KEPT = 5
PASSED = "passed_challenge"


def _pending(identity: Identity) -> list[dict[str, str]]:
    meta = identity.metadata_admin
    entries = meta.get(METADATA_KEY) if isinstance(meta, dict) else None
    if not isinstance(entries, list):
        return []
    return [
        e
        for e in entries
        if isinstance(e, dict)
        and isinstance(e.get("flow"), str)
        and isinstance(e.get("address"), str)
    ]


def _metadata_with(identity: Identity, entries: list[dict[str, str]]) -> JsonPatch:
    meta = dict(identity.metadata_admin) if isinstance(identity.metadata_admin, dict) else {}
    if entries:
        meta[METADATA_KEY] = entries
    else:
        meta.pop(METADATA_KEY, None)
    # "add" sets the member whether Kratos sent it (null) or left it out.
    return JsonPatch(op="add", path="/metadata_admin", value=meta or None)


def flow_id_of(code: RecoveryCodeResult) -> str | None:
    """The recovery flow a code belongs to (the `flow` parameter of its link)."""
    values = parse_qs(urlsplit(code.recovery_link).query).get("flow")
    return values[0] if values else None


def record(ctx: Context, identity: Identity, address: str, code: RecoveryCodeResult) -> None:
    """Note that `code` was mailed to `address`, so its redemption can verify the address."""
    flow_id = flow_id_of(code)
    if flow_id is None:
        log.warning("recovery link without a flow id; the invitation cannot verify the address")
        return
    entries = [e for e in _pending(identity) if e["flow"] != flow_id]
    entries = [*entries, {"flow": flow_id, "address": address}][-KEPT:]
    ctx.ory.kratos.patch_identity(identity.id, [_metadata_with(identity, entries)])


def _flow_state(ctx: Context, flow_id: str) -> str | None:
    """The recovery flow's state; None when Kratos no longer has it (expired or removed)."""
    try:
        # Admin-made flows skip Kratos's CSRF check, so no browser cookie is needed.
        result = ctx.ory.kratos_public.get_flow("recovery", flow_id)
    except (ory_errors.NotFound, ory_errors.Gone, ory_errors.ValidationFailed):
        return None
    state = result.flow.state
    return state if isinstance(state, str) else ""


def _verify_patches(identity: Identity, address: str) -> list[JsonPatch]:
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    for index, known in enumerate(identity.verifiable_addresses or []):
        if known.value == address and not known.verified:
            base = f"/verifiable_addresses/{index}"
            return [
                JsonPatch(op="replace", path=f"{base}/verified", value=True),
                JsonPatch(op="replace", path=f"{base}/status", value="completed"),
                JsonPatch(op="add", path=f"{base}/verified_at", value=now),
            ]
    return []


def confirm_redeemed(ctx: Context, identity: Identity) -> Identity:
    """If a mailed invitation of this identity was redeemed, mark its address verified.

    Best effort: when Kratos cannot answer, the address stays unverified for now (the next
    login tries again) and the login goes on; an unverified address is the safe side.
    """
    pending = _pending(identity)
    if not pending:
        return identity
    email = identities.email_of(identity)
    try:
        keep: list[dict[str, str]] = []
        verified: str | None = None
        for entry in pending:
            state = _flow_state(ctx, entry["flow"])
            if state is None:
                continue  # expired unredeemed: nothing left to wait for
            if state == PASSED:
                acceptance.mark_accepted(ctx, flow_id=entry["flow"])
                if entry["address"] == email:
                    verified = entry["address"]
                continue
            keep.append(entry)
        patches = _verify_patches(identity, verified) if verified else []
        if keep == pending and not patches:
            return identity
        updated = ctx.ory.kratos.patch_identity(
            identity.id, [*patches, _metadata_with(identity, keep)]
        )
    except ory_errors.OryError as exc:
        log.warning("could not check the invitations of %s: %s", identity.id, exc)
        return identity
    if patches:
        audit.record(
            ctx,
            action="user.email_verified",
            target_type="user",
            target_id=identity.id,
            summary={"email": verified, "by": "invitation"},
        )
    return updated
