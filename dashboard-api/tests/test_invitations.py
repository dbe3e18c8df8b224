"""Invitations verify the address they were mailed to once redeemed; handed-over codes do not;
their mail (our Jinja2 templates, English and Dutch); what login-service asks about an
invitation's recovery flow (`invitation-welcome`)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from dashboard_api import mail
from dashboard_api.audit import repository as audit
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.errors import Conflict, NotFound, Unprocessable
from dashboard_api.invitations import lifecycle, welcome
from dashboard_api.invitations.models import Invitation
from dashboard_api.users import creation, credentials, identities, invitations, reading, updates
from dashboard_api.users.schemas import UserCreate, UserUpdate
from pydantic import ValidationError
from stackspin_clients.models import RecoveryCodeResult


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


def _kratos_refuses(ctx: Context, link: str, code: str) -> None:
    flow = re.search(r"flow=([0-9a-f-]+)", link)
    assert flow, link
    response = httpx.post(
        f"{ctx.settings.kratos_public_url.rstrip('/')}/self-service/recovery",
        params={"flow": flow.group(1)},
        data={"method": "code", "code": code},
        headers={"Accept": "application/json"},
    )
    assert response.status_code != 422, response.text  # not passed on to the settings flow


def _states(ctx: Context, subject: str) -> list[str]:
    page = lifecycle.list_invitations(ctx, subject=subject)
    return [item.state for item in page.items]


def test_an_invitation_is_pending_then_accepted_once_redeemed(ctx: Context, email, ory) -> None:
    address = email()
    user = creation.create_user(ctx, data=UserCreate(email=address, invite=True))
    (row,) = lifecycle.list_invitations(ctx, subject=user.id).items
    assert (row.state, row.email, row.invited_by) == ("pending", address, str(ctx.actor))
    link, code = _mailed_code(ory, address)
    stored = ctx.session.get(Invitation, row.id)
    assert stored is not None
    assert code not in repr(vars(stored))
    assert stored.code_hash == hashlib.sha256(code.encode()).hexdigest()

    _redeem(ctx, link, code)
    invitations.confirm_redeemed(ctx, ctx.ory.kratos.get_identity(user.id))

    assert _states(ctx, user.id) == ["accepted"]
    actions = [e.action for e in audit.page(ctx.session, limit=10, target_id=user.id)]
    assert "invitation.accept" in actions
    with pytest.raises(Conflict):
        lifecycle.withdraw(ctx, invitation_id=row.id)


def test_a_withdrawn_invitation_code_no_longer_works(ctx: Context, email, ory) -> None:
    address = email()
    user = creation.create_user(ctx, data=UserCreate(email=address, invite=True))
    (row,) = lifecycle.list_invitations(ctx, subject=user.id).items

    assert lifecycle.withdraw(ctx, invitation_id=row.id).state == "withdrawn"

    _kratos_refuses(ctx, *_mailed_code(ory, address))
    invitations.confirm_redeemed(ctx, ctx.ory.kratos.get_identity(user.id))
    assert not _verified(ctx, user.id)
    assert _states(ctx, user.id) == ["withdrawn"]
    assert next(i.id for i in lifecycle.list_invitations(ctx, state="withdrawn").items) == row.id
    actions = [e.action for e in audit.page(ctx.session, limit=10, target_id=user.id)]
    assert actions[0] == "invitation.withdraw"
    with pytest.raises(Conflict):
        lifecycle.resend(ctx, invitation_id=row.id)


def test_a_resent_invitation_mails_a_new_code_and_the_old_one_stops_working(
    ctx: Context, email, ory
) -> None:
    address = email()
    user = creation.create_user(ctx, data=UserCreate(email=address, invite=True))
    (row,) = lifecycle.list_invitations(ctx, subject=user.id).items
    old_link, old_code = _mailed_code(ory, address)

    resent = lifecycle.resend(ctx, invitation_id=row.id)

    assert (resent.id, resent.state) == (row.id, "pending")
    mails = ory.mail.store.list(address)
    assert len(mails) == 2
    _kratos_refuses(ctx, old_link, old_code)
    new_text = mails[0].text or ""
    new_link = re.search(r"https?://\S+", new_text)
    new_code = re.search(r"^\s*(\d{6,8})\s*$", new_text, re.MULTILINE)
    assert new_link
    assert new_code
    assert new_link.group(0) != old_link
    _redeem(ctx, new_link.group(0), new_code.group(1))
    invitations.confirm_redeemed(ctx, ctx.ory.kratos.get_identity(user.id))
    assert _verified(ctx, user.id)
    assert _states(ctx, user.id) == ["accepted"]
    actions = [e.action for e in audit.page(ctx.session, limit=10, target_id=user.id)]
    assert "invitation.resend" in actions


def test_an_invitation_past_its_lifetime_reads_as_expired_and_can_be_resent(
    ctx: Context, email, ory
) -> None:
    user = creation.create_user(ctx, data=UserCreate(email=email(), invite=True))
    (row,) = lifecycle.list_invitations(ctx, subject=user.id).items
    stored = ctx.session.get(Invitation, row.id)
    assert stored is not None
    lifetime = stored.expires_at - stored.created_at
    assert abs(lifetime.total_seconds() - ctx.settings.invitation_lifetime) < 60
    stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    ctx.session.flush()

    assert _states(ctx, user.id) == ["expired"]
    assert row.id in [i.id for i in lifecycle.list_invitations(ctx, state="expired").items]
    assert row.id not in [i.id for i in lifecycle.list_invitations(ctx, state="pending").items]
    assert lifecycle.resend(ctx, invitation_id=row.id).state == "pending"
    assert _states(ctx, user.id) == ["pending"]


def test_a_new_invitation_withdraws_the_pending_one(ctx: Context, email, ory) -> None:
    user = creation.create_user(ctx, data=UserCreate(email=email(), invite=True))
    creation.invite(ctx, subject=user.id)
    assert _states(ctx, user.id) == ["pending", "withdrawn"]


def test_invitations_page_by_keyset(ctx: Context, email, ory) -> None:
    made = [
        creation.create_user(ctx, data=UserCreate(email=email(), invite=True)) for _ in range(3)
    ]
    first = lifecycle.list_invitations(ctx, limit=2)
    assert first.next_cursor
    second = lifecycle.list_invitations(ctx, limit=2, cursor=first.next_cursor)
    seen = [i.user_id for i in [*first.items, *second.items]]
    assert seen[:3] == [u.id for u in reversed(made)]
    with pytest.raises(Unprocessable):
        lifecycle.list_invitations(ctx, cursor="bm90LWEtY3Vyc29y")


CODE = RecoveryCodeResult(
    recovery_link="http://sso.example.org/auth/recovery?flow=0b1c2d3e-0000-4000-8000-000000000001",
    recovery_code="482913",
    expires_at=datetime(2027, 1, 2, 3, 4, tzinfo=UTC),
)
SETTINGS = Settings(site_name="Acme Co-op", logo_url="https://acme.example/logo.png")


def _parts(message: mail.EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()), str(html.get_content())


def test_the_dutch_mail_names_inviter_apps_organisation_logo_link_and_code() -> None:
    message = mail.invitation_message(
        SETTINGS,
        to="ada@example.org",
        name="Ada",
        code=CODE,
        invited_by="Grace Admin",
        apps=["Nextcloud", "Zulip"],
        language="nl",
    )
    text, html = _parts(message)
    assert message["Subject"] == "Grace Admin heeft je uitgenodigd voor Acme Co-op"
    assert message["Content-Language"] == "nl"
    assert text.startswith("Hallo Ada,")
    invited = "Grace Admin heeft je uitgenodigd voor Acme Co-op, om Nextcloud, Zulip te gebruiken"
    assert invited in text
    assert f"{CODE.recovery_link}&lang=nl" in text
    assert re.search(r"^\s*482913\s*$", text, re.MULTILINE)
    assert "2027-01-02 03:04 UTC" in text
    assert 'lang="nl"' in html
    assert 'src="https://acme.example/logo.png" alt="Acme Co-op"' in html
    assert "Kies je wachtwoord" in html
    assert "&amp;lang=nl" in html  # the link, escaped in its attribute


def test_the_english_mail_without_an_inviter_or_logo_says_you_are_invited() -> None:
    message = mail.invitation_message(
        Settings(), to="ada@example.org", name=None, code=CODE, language="en"
    )
    text, html = _parts(message)
    assert message["Subject"] == "You are invited to Stackspin"
    assert text.startswith("Hello,\n")
    assert "You are invited to Stackspin." in text
    assert "<img" not in html
    assert "Choose your password" in html


def test_names_in_the_html_part_are_escaped_and_the_text_part_is_plain() -> None:
    evil = "<script>alert('x')</script>"
    message = mail.invitation_message(
        SETTINGS,
        to="ada@example.org",
        name=evil,
        code=CODE,
        invited_by=f"Mallory {evil}",
        apps=[f"<b>{evil}</b>"],
        language="en",
    )
    text, html = _parts(message)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;" in html
    assert f"Hello {evil}," in text


def test_settings_refuse_a_colour_or_logo_that_could_break_out_of_the_mail() -> None:
    with pytest.raises(ValidationError):
        Settings(accent_color="red;background:url(x)")
    with pytest.raises(ValidationError):
        Settings(logo_url="/static/logo.png")
    with pytest.raises(ValidationError):
        Settings(logo_url='https://x.example/"onload="x')
    assert Settings(logo_url="").logo_url is None


def test_an_invitation_is_mailed_in_the_language_asked_and_resent_in_another(
    ctx: Context, email, ory
) -> None:
    address = email()
    user = creation.create_user(ctx, data=UserCreate(email=address, invite=True, language="nl"))
    (row,) = lifecycle.list_invitations(ctx, subject=user.id).items
    assert row.language == "nl"
    first = ory.mail.store.list(address)[0]
    assert first.subject == "Je bent uitgenodigd voor Stackspin"
    assert "&lang=nl" in (first.text or "")

    again = lifecycle.resend(ctx, invitation_id=row.id)
    assert again.language == "nl"
    assert ory.mail.store.list(address)[0].subject == "Je bent uitgenodigd voor Stackspin"
    english = lifecycle.resend(ctx, invitation_id=row.id, language="en")
    assert english.language == "en"
    assert ory.mail.store.list(address)[0].subject == "You are invited to Stackspin"


def test_the_default_language_comes_from_the_setting(ctx: Context, email, ory) -> None:
    dutch = Context(
        session=ctx.session,
        ory=ctx.ory,
        settings=ctx.settings.model_copy(update={"invitation_language": "nl"}),
        actor=ctx.actor,
    )
    address = email()
    creation.create_user(dutch, data=UserCreate(email=address, invite=True))
    assert (ory.mail.store.list(address)[0].text or "").startswith("Hallo,")


def test_welcome_names_the_invitation_of_a_flow_and_accepts_it_once_redeemed(
    ctx: Context, email, ory
) -> None:
    address = email()
    user = creation.create_user(ctx, data=UserCreate(email=address, invite=True, language="nl"))
    link, code = _mailed_code(ory, address)
    flow = re.search(r"flow=([0-9a-f-]+)", link)
    assert flow
    before = welcome.welcome(ctx, recovery_flow=flow.group(1), accept=True)
    assert (before.state, before.language, before.accepted) == ("pending", "nl", False)
    assert not reading.get_user(ctx, subject=user.id).email_verified

    _redeem(ctx, link, code)
    after = welcome.welcome(ctx, recovery_flow=flow.group(1), accept=True)
    assert (after.state, after.accepted) == ("accepted", True)
    assert reading.get_user(ctx, subject=user.id).email_verified
    # Asked again (the settings page reloaded): still the accepted invitation.
    assert welcome.welcome(ctx, recovery_flow=flow.group(1), accept=True).accepted
    with pytest.raises(NotFound):
        welcome.welcome(ctx, recovery_flow="00000000-0000-4000-8000-000000000000", accept=True)
