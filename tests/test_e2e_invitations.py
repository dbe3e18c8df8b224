"""Invitations as a lifecycle through the whole stack (stand-ins and real Ory): a resent
invitation's old code and a withdrawn invitation's code no longer work in the browser; an
accepted one reads accepted."""

from __future__ import annotations

import secrets

import httpx
import pytest
from stack_harness.admin import admin_api, invitation_parts
from stack_harness.browser import Browser, RelyingParty
from stack_harness.sso_stack import SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb"), pytest.mark.timeout(240)]

NEW_PASSWORD = "a brand new passphrase 7"


def _code_is_refused(mail_text: str) -> None:
    link, code = invitation_parts(mail_text)
    with Browser() as browser:
        visit = browser.get(link)
        assert "/auth/recovery?flow=" in visit.url, visit.urls
        visit = browser.submit(visit, "code", code=code)
        assert "/auth/settings" not in visit.url, visit.urls


def _states(api: httpx.Client, user_id: str) -> list[str]:
    answer = api.get(f"/users/{user_id}/invitations")
    assert answer.status_code == 200, answer.text
    return [item["state"] for item in answer.json()["items"]]


def test_resent_and_withdrawn_invitations_codes_stop_working_and_an_accepted_one_reads_so(
    sso: SsoStack,
) -> None:
    email = f"invitee-{secrets.token_hex(4)}@example.org"
    with admin_api(sso) as api:
        created = api.post(
            "/users",
            json={"email": email, "roles": [{"app": "demo", "role": "user"}], "invite": True},
        )
        assert created.status_code == 201, created.text
        user_id = created.json()["id"]
        (first,) = api.get(f"/users/{user_id}/invitations").json()["items"]
        assert first["state"] == "pending"
        assert ["demo", "user"] in first["roles"]
        first_mail = sso.ory.wait_for_mails(email, 1)[0]

        resent = api.post(f"/invitations/{first['id']}/resend")
        assert resent.status_code == 200, resent.text
        second_mail = sso.ory.wait_for_mails(email, 2)[0]
        assert second_mail["text"] != first_mail["text"]
        _code_is_refused(first_mail["text"])

        withdrawn = api.post(f"/invitations/{first['id']}/withdraw")
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["state"] == "withdrawn"
        _code_is_refused(second_mail["text"])
        assert api.post(f"/invitations/{first['id']}/resend").status_code == 409
        listed = api.get("/invitations", params={"state": "withdrawn", "limit": 500}).json()
        assert first["id"] in [item["id"] for item in listed["items"]]

        assert api.post(f"/users/{user_id}/invitation").status_code == 204
        third_mail = sso.ory.wait_for_mails(email, 3)[0]
        link, code = invitation_parts(third_mail["text"])
        rp = RelyingParty(sso.url, sso.demo_client)
        try:
            with Browser() as browser:
                visit = browser.get(link)
                visit = browser.submit(visit, "code", code=code)
                assert "/auth/settings?flow=" in visit.url, visit.urls
                visit = browser.submit(visit, "password", button="password", password=NEW_PASSWORD)
                assert visit.status == 200, visit.page.text[:500]
                result = rp.login(browser, email, NEW_PASSWORD)
                assert result.id_claims["email_verified"] is True
        finally:
            rp.close()
        assert _states(api, user_id) == ["accepted", "withdrawn"]
        actions = [
            e["action"] for e in api.get("/audit", params={"target_id": user_id}).json()["items"]
        ]
        assert {"invitation.resend", "invitation.withdraw", "invitation.accept"} <= set(actions)
