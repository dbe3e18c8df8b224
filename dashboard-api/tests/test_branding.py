"""GET /api/v1/branding: public, what the login pages show, kept by browsers for five minutes."""

from __future__ import annotations

import httpx


def test_branding_is_public_and_shows_the_configured_organisation(
    served, api, anonymous, settings
) -> None:
    app, _ = served
    app.state.settings = settings.model_copy(
        update={
            "site_name": "Acme Co-op",
            "logo_url": "https://acme.example/logo.svg",
            "accent_color": "#aa3300",
        }
    )
    try:
        answer = anonymous.get("/api/v1/branding")
    finally:
        app.state.settings = settings
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "name": "Acme Co-op",
        "logo_url": "https://acme.example/logo.svg",
        "accent_color": "#aa3300",
    }
    assert answer.headers["cache-control"] == "public, max-age=300"


def test_branding_defaults_and_only_its_get_is_cacheable(api, anonymous) -> None:
    answer = anonymous.get("/api/v1/branding")
    assert answer.json() == {"name": "Stackspin", "logo_url": None, "accent_color": "#3c5bd6"}
    refused = anonymous.post("/api/v1/branding")
    assert refused.status_code == 405
    assert refused.headers["cache-control"] == "no-store"
    assert anonymous.get("/api/v1/branding/x").headers["cache-control"] == "no-store"
    assert anonymous.get("/api/v1/me").headers["cache-control"] == "no-store"


def test_branding_holds_no_secret(api, anonymous, settings) -> None:
    text = anonymous.get("/api/v1/branding").text
    for secret in (settings.secret_key, settings.internal_token, settings.oauth_client_secret):
        assert secret not in text
    document = httpx.get(f"{api.url}/api/openapi.json").json()
    assert set(document["paths"]["/api/v1/branding"]) == {"get"}
