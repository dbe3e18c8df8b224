"""Each app preset, end to end: an admin creates the app from the preset through the API, a
person with a role through a group logs in with an independent OIDC client (Authlib, with the
preset's redirect URI and client authentication) through real nginx and Chromium, and finds
every claim the preset promises, in the shape it promises, where the app reads it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from dashboard_api.catalogue.models import ClaimSpec, Preset
from dashboard_api.catalogue.presets import PRESETS
from stack_harness.admin import admin_api
from stack_harness.browser import Browser, RelyingParty
from stack_harness.sso_stack import APP_ORIGIN, PASSWORD, SsoStack, TestClient
from stackspin_clients.models import CreateIdentity, VerifiableAddress

pytestmark = [pytest.mark.requires("nginx", "mariadb"), pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def api(sso: SsoStack) -> Iterator[httpx.Client]:
    with admin_api(sso) as client:
        yield client


def _person(sso: SsoStack) -> dict[str, Any]:
    """A person with a username and a verified address, as after accepting an invitation."""
    tag = secrets.token_hex(4)
    email, username = f"cat-{tag}@example.org", f"cat{tag}"
    identity = sso.kratos.create_identity(
        CreateIdentity(
            traits={"email": email, "name": "Grace Hopper", "username": username},
            credentials={"password": {"config": {"password": PASSWORD}}},
            verifiable_addresses=[
                VerifiableAddress(value=email, verified=True, via="email", status="completed")
            ],
        )
    )
    return {"sub": identity.id, "email": email, "preferred_username": username}


def _check(spec: ClaimSpec, claims: dict[str, Any], expected: dict[str, Any], where: str) -> None:
    assert spec.name in claims, f"{spec.name} missing from the {where}: {claims}"
    value = claims[spec.name]
    shapes = {"string": str, "boolean": bool, "role": str, "string list": list}
    assert isinstance(value, shapes[spec.shape]), (spec, value, where)
    if spec.shape == "string list":
        assert all(isinstance(item, str) for item in value), (spec, value)
    if spec.shape == "role":
        assert value in ("admin", "user"), (spec, value)
    if spec.name in expected:
        assert value == expected[spec.name], (spec.name, value, where)


@pytest.mark.parametrize("preset", list(PRESETS.values()), ids=list(PRESETS))
def test_the_app_gets_the_claims_its_preset_promises(
    sso: SsoStack, api: httpx.Client, preset: Preset
) -> None:
    person = _person(sso)
    slug = f"{preset.id}-{secrets.token_hex(3)}"
    group = f"crew-{slug}"
    made_group = api.post("/groups", json={"name": group})
    assert made_group.status_code == 201, made_group.text
    body: dict[str, Any] = {"preset": preset.id, "url": APP_ORIGIN, "slug": slug}
    if preset.groups_claim:
        body["groups"] = [group]
    if preset.redirect_path is None:
        body["redirect_uri"] = f"{APP_ORIGIN}/callback"
    made = api.post("/apps", json=body)
    assert made.status_code == 201, made.text
    app = made.json()
    # Access only through the group: the role claim is the effective role.
    group_id = made_group.json()["id"]
    added = api.post(f"/groups/{group_id}/members", json={"subject": person["sub"]})
    assert added.status_code == 200, added.text
    granted = api.put(f"/groups/{group_id}/grants/{slug}", json={"role": "admin"})
    assert granted.status_code == 200, granted.text

    rp = RelyingParty(
        sso.url,
        TestClient(app["client"]["client_id"], app["client"]["client_secret"]),
        scope=preset.scope,
        redirect_uri=app["settings"]["redirect_uri"],
        token_endpoint_auth_method=preset.token_endpoint_auth_method,
    )
    try:
        with Browser() as browser:
            result = rp.login(browser, person["email"], PASSWORD)
        assert result.tokens is not None, result.journey
        assert result.id_claims is not None
        userinfo = rp.oauth.get(
            rp.metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {result.tokens['access_token']}"},
        )
    finally:
        rp.close()
    assert userinfo.status_code == 200, userinfo.text

    expected = {
        **person,
        "email_verified": True,
        "name": "Grace Hopper",
        preset.role_claim: "admin",
        **({preset.groups_claim: [group]} if preset.groups_claim else {}),
    }
    sources = {"ID token": result.id_claims, "userinfo": userinfo.json()}
    for where, claims in sources.items():
        if where not in preset.reads:
            continue
        for spec in preset.claims:
            _check(spec, claims, expected, where)
    # The settings the admin types in point at this issuer and this client.
    assert app["settings"]["issuer"] == rp.metadata["issuer"]
    assert app["settings"]["client_id"] == app["client"]["client_id"]
    if "offline_access" in preset.scope:
        assert result.tokens.get("refresh_token")
