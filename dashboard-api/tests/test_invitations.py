"""Invitations verify the address they were mailed to once redeemed; handed-over codes do not."""

from __future__ import annotations

import re

import httpx
from dashboard_api.audit import repository as audit
from dashboard_api.context import Context
from dashboard_api.users import creation, credentials, identities, invitations, reading, updates
from dashboard_api.users.schemas import UserCreate, UserUpdate


def _redeem(ctx: Context, link: str, code: str) -> None:
    """What the person's browser does on the flow's page (the link): type the code."""
    flow = re.search(r"flow=([0-9a-f-]+)", link)
    assert flow, link
    response = httpx.post(
        f"{ctx.settings.kratos_public_url.rstrip('/')}/self-service/recovery",
        params={"flow": flow.group(1)},
        data={"method": "code", "code": code},
        headers={"Accept": "application/json"},
    )
    # Passed: Kratos sends the browser on to the settings flow.
    assert response.status_code == 422, response.text
    assert response.json()["error"]["id"] == "browser_location_change_required"


def _mailed_code(ory, address: str) -> tuple[str, str]:
    text = ory.mail.store.list(address)[0].text or ""
    link = re.search(r"https?://\S+", text)
    code = re.search(r"^\s*(\d{6,8})\s*$", text, re.MULTILINE)
    assert link, text
    assert code, text
    return link.group(0), code.group(1)


def _verified(ctx: Context, subject: str) -> bool:
    return reading.get_user(ctx, subject=subject).email_verified


def test_a_redeemed_invitation_verifies_the_address_it_was_mailed_to(
    ctx: Context, email, ory
) -> None:
    address = email()
    user = creation.create_user(ctx, data=UserCreate(email=address, invite=True))
    identity = ctx.ory.kratos.get_identity(user.id)
    # Not redeemed yet: nothing changes.
    assert invitations.confirm_redeemed(ctx, identity) == identity
    assert not _verified(ctx, user.id)

    _redeem(ctx, *_mailed_code(ory, address))
    assert not _verified(ctx, user.id)  # Kratos does not verify for an admin-made code
    invitations.confirm_redeemed(ctx, ctx.ory.kratos.get_identity(user.id))

    assert _verified(ctx, user.id)
    after = ctx.ory.kratos.get_identity(user.id)
    assert "invitations" not in (after.metadata_admin or {})
    # What the create wrote stays: who made it, under which write intent.
    assert after.metadata_admin == {
        "created_by": "dashboard-api",
        "intent": identities.intent_of(identity),
    }
    actions = [e.action for e in audit.page(ctx.session, limit=10, target_id=user.id)]
    assert actions[0] == "user.email_verified"


def test_a_recovery_code_handed_over_by_an_admin_verifies_nothing(ctx: Context, email) -> None:
    user = creation.create_user(ctx, data=UserCreate(email=email()))
    handed = credentials.recovery_code(ctx, subject=user.id)
    assert handed.recovery_code
    assert "token=" not in handed.recovery_link
    _redeem(ctx, handed.recovery_link, handed.recovery_code)
    invitations.confirm_redeemed(ctx, ctx.ory.kratos.get_identity(user.id))
    assert not _verified(ctx, user.id)


def test_an_invitation_to_an_address_since_replaced_verifies_nothing(
    ctx: Context, email, ory
) -> None:
    first = email()
    user = creation.create_user(ctx, data=UserCreate(email=first, invite=True))
    updates.update_user(ctx, subject=user.id, data=UserUpdate(email=email()))
    _redeem(ctx, *_mailed_code(ory, first))
    invitations.confirm_redeemed(ctx, ctx.ory.kratos.get_identity(user.id))
    assert not _verified(ctx, user.id)
    # Redeemed: nothing left to wait for.
    assert "invitations" not in (ctx.ory.kratos.get_identity(user.id).metadata_admin or {})
