"""What an admin does in the cross-service tests: call the dashboard API with a Bearer token
from Hydra, and what an invited person receives."""

from __future__ import annotations

import re

import httpx

from stack_harness.browser import Browser, RelyingParty
from stack_harness.sso_stack import PASSWORD, SsoStack


def admin_api(sso: SsoStack) -> httpx.Client:
    """The dashboard API through nginx with the admin's Bearer access token (from a Hydra
    client linked to the dashboard app, as a script would use)."""
    rp = RelyingParty(sso.url, sso.scripts_client)
    try:
        with Browser() as browser:
            result = rp.login(browser, sso.admin_email, PASSWORD)
    finally:
        rp.close()
    assert result.tokens is not None, result.journey
    return httpx.Client(
        base_url=f"{sso.url}/api/v1",
        headers={"Authorization": f"Bearer {result.tokens['access_token']}"},
        timeout=15,
    )


def invitation_mail(sso: SsoStack, email: str) -> dict[str, str]:
    mails = sso.ory.mails(to=email)
    assert mails, f"no mail to {email}"
    return mails[0]


def invitation_parts(mail_text: str) -> tuple[str, str]:
    """(link, code) of an invitation mail."""
    link = re.search(r"https?://\S+", mail_text)
    code = re.search(r"^\s*(\d{6,8})\s*$", mail_text, re.MULTILINE)
    assert link, mail_text
    assert code, mail_text
    return link.group(0), code.group(1)
