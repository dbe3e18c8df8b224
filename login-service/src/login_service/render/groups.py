"""Headings for the Kratos node groups, one form each on the page."""

from __future__ import annotations

from typing import Any

from login_service.lazy_text import lazy_text as _l

GROUP_TITLES: dict[str, Any] = {
    "password": _l("Password"),
    "profile": _l("Profile"),
    "totp": _l("Authenticator app"),
    "lookup_secret": _l("Backup recovery codes"),
    "webauthn": _l("Security keys"),
    "passkey": _l("Passkeys"),
    "code": _l("Email code"),
    "link": _l("Email link"),
    "oidc": _l("Other accounts"),
    "saml": _l("Single sign-on"),
    "identifier_first": _l("Account"),
    "captcha": _l("Are you human?"),
}


def group_title(group: str) -> str:
    return str(GROUP_TITLES.get(group, group.replace("_", " ").capitalize()))
