"""A browser's own X-Forwarded-Proto over plain http does not make the services believe in
https: nginx passes its own scheme, so no Secure cookie a plain-http browser would drop."""

from __future__ import annotations

import httpx
from stack_harness.sso_stack import SsoStack


def _language_cookie(response: httpx.Response) -> str:
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith("login_lang=")]
    assert len(cookies) == 1, response.headers.get_list("set-cookie")
    return cookies[0]


def test_a_claimed_https_does_not_make_login_service_set_secure_cookies(sso: SsoStack) -> None:
    with httpx.Client(base_url=sso.url, timeout=15, follow_redirects=False) as browser:
        plain = browser.get("/auth/login", params={"lang": "nl"})
        claimed = browser.get(
            "/auth/login", params={"lang": "en"}, headers={"X-Forwarded-Proto": "https"}
        )
    assert "secure" not in _language_cookie(plain).lower()
    assert "secure" not in _language_cookie(claimed).lower()
