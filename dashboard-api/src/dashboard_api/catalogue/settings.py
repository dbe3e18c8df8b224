"""Filling a preset's settings in: the issuer's endpoints, the client, the app's address."""

from __future__ import annotations

import json
from dataclasses import dataclass
from string import Template

from pydantic import BaseModel, ConfigDict

from dashboard_api.catalogue.models import Preset, Setting, Snippet

CLIENT_ID_PLACEHOLDER = "<client id>"
CLIENT_SECRET_PLACEHOLDER = "<client secret>"  # noqa: S105
REDIRECT_URI_PLACEHOLDER = "<the app's redirect URI>"


class AppSettings(BaseModel):
    """What to type into the app: its settings fields and the blocks to paste."""

    model_config = ConfigDict(extra="forbid")

    issuer: str
    discovery_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    scope: str
    token_endpoint_auth_method: str
    fields: list[Setting]
    snippets: list[Snippet]


@dataclass(frozen=True)
class Target:
    """Where the settings point: our issuer (Hydra's public URL, behind nginx) and the app."""

    base_url: str
    app_url: str
    client_id: str = CLIENT_ID_PLACEHOLDER
    client_secret: str = CLIENT_SECRET_PLACEHOLDER
    # None: the preset's redirect path under app_url.
    redirect_uri: str | None = None


def issuer_of(base_url: str) -> tuple[str, str]:
    """Our issuer and its discovery document's URL, from Hydra's public URL behind nginx."""
    base = base_url.rstrip("/")
    return f"{base}/", f"{base}/.well-known/openid-configuration"


def redirect_uri_for(preset: Preset, app_url: str) -> str | None:
    if preset.redirect_path is None:
        return None
    return app_url.rstrip("/") + preset.redirect_path


def render(preset: Preset, target: Target) -> AppSettings:
    """The preset's settings with every `$name` filled in (KeyError on an unknown name)."""
    base = target.base_url.rstrip("/")
    issuer, discovery_url = issuer_of(base)
    redirect_uri = (
        target.redirect_uri or redirect_uri_for(preset, target.app_url) or REDIRECT_URI_PLACEHOLDER
    )
    values = {
        "issuer": issuer,
        "base_url": base,
        "discovery_url": discovery_url,
        "authorization_endpoint": f"{base}/oauth2/auth",
        "token_endpoint": f"{base}/oauth2/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "end_session_endpoint": f"{base}/oauth2/sessions/logout",
        "client_id": target.client_id,
        "client_secret": target.client_secret,
        "redirect_uri": redirect_uri,
        "app_url": target.app_url.rstrip("/"),
        "name": "Single sign-on",
        "scope": preset.scope,
        "scope_list": json.dumps(preset.scope.split()),
        "token_endpoint_auth_method": preset.token_endpoint_auth_method,
        "role_claim": preset.role_claim,
        "groups_claim": preset.groups_claim or "",
    }

    def fill(text: str) -> str:
        return Template(text).substitute(values)

    return AppSettings(
        issuer=issuer,
        discovery_url=values["discovery_url"],
        client_id=target.client_id,
        client_secret=target.client_secret,
        redirect_uri=redirect_uri,
        scope=preset.scope,
        token_endpoint_auth_method=preset.token_endpoint_auth_method,
        fields=[Setting(label=s.label, value=fill(s.value)) for s in preset.settings],
        snippets=[
            Snippet(title=s.title, language=s.language, text=fill(s.text)) for s in preset.snippets
        ],
    )


def as_text(preset: Preset, rendered: AppSettings) -> str:
    """The settings for a terminal: fields aligned, then each snippet."""
    lines = [f"{preset.name}: settings to type into the app", ""]
    rows = [
        ("Redirect URI", rendered.redirect_uri),
        ("Client ID", rendered.client_id),
        ("Client secret", rendered.client_secret),
        ("Discovery URL", rendered.discovery_url),
        ("Scopes", rendered.scope),
        ("Client authentication", rendered.token_endpoint_auth_method),
    ]
    rows += [(f.label, f.value) for f in rendered.fields if f.label not in dict(rows)]
    width = max(len(label) for label, _ in rows)
    lines += [f"  {label.ljust(width)}  {value}" for label, value in rows]
    for snippet in rendered.snippets:
        lines += ["", f"{snippet.title}:", *(f"    {line}" for line in snippet.text.splitlines())]
    lines += ["", *preset.notes] if preset.notes else []
    return "\n".join(lines)
