"""Listing and revoking a person's sessions reaches the real Kratos sessions."""

from __future__ import annotations

import httpx
from stackspin_clients.models import CreateIdentity


def _log_in_at_kratos(ory, address: str, password: str) -> None:
    """A browser login with password at the Kratos stand-in (JSON flavour of the browser flow)."""
    with httpx.Client(
        base_url=ory.stack.kratos_public_url, headers={"Accept": "application/json"}
    ) as browser:
        flow = browser.get("/self-service/login/browser").json()
        csrf = next(
            n["attributes"]["value"]
            for n in flow["ui"]["nodes"]
            if n["attributes"].get("name") == "csrf_token"
        )
        done = browser.post(
            flow["ui"]["action"],
            json={
                "method": "password",
                "identifier": address,
                "password": password,
                "csrf_token": csrf,
            },
        )
        assert done.status_code == 200, done.text


def test_admin_lists_and_revokes_a_persons_sessions(admin, ory, ory_clients, email) -> None:
    address, password = email(), "correct horse battery staple"
    identity = ory_clients.kratos.create_identity(
        CreateIdentity(
            traits={"email": address},
            credentials={"password": {"config": {"password": password}}},
        )
    )
    _log_in_at_kratos(ory, address, password)
    _log_in_at_kratos(ory, address, password)
    listed = admin.client.get(f"/api/v1/users/{identity.id}/sessions").json()
    assert len(listed) == 2
    assert all(s["active"] for s in listed)
    assert listed[0]["methods"] == ["password"]
    assert admin.client.delete(f"/api/v1/users/{identity.id}/sessions").status_code == 204
    remaining = admin.client.get(f"/api/v1/users/{identity.id}/sessions").json()
    assert not any(s["active"] for s in remaining)
