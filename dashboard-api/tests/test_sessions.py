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


def _person_with_two_sessions(ory, ory_clients, email) -> tuple[str, list[dict]]:
    address, password = email(), "correct horse battery staple"
    identity = ory_clients.kratos.create_identity(
        CreateIdentity(
            traits={"email": address},
            credentials={"password": {"config": {"password": password}}},
        )
    )
    _log_in_at_kratos(ory, address, password)
    _log_in_at_kratos(ory, address, password)
    return identity.id, ory_clients.kratos.list_identity_sessions(identity.id)


def test_admin_ends_one_session_and_the_other_stays(admin, ory, ory_clients, email) -> None:
    subject, (first, second) = _person_with_two_sessions(ory, ory_clients, email)
    ended = admin.client.delete(f"/api/v1/users/{subject}/sessions/{first.id}")
    assert ended.status_code == 204, ended.text
    answer = admin.client.get(f"/api/v1/users/{subject}/sessions").json()
    listed = {s["id"]: s["active"] for s in answer}
    assert listed == {first.id: False, second.id: True}
    audit = admin.client.get(
        "/api/v1/audit", params={"action": "user.end_session", "target_id": subject}
    ).json()["items"]
    assert [entry["summary"] for entry in audit] == [{"session_id": first.id}]
    assert audit[0]["actor"] == f"user:{admin.subject}"


def test_ending_a_session_of_someone_else_is_not_found(admin, ory, ory_clients, email) -> None:
    subject, (theirs, _) = _person_with_two_sessions(ory, ory_clients, email)
    other = ory_clients.kratos.create_identity(CreateIdentity(traits={"email": email()}))
    for path in (
        f"/api/v1/users/{other.id}/sessions/{theirs.id}",  # not that person's session
        f"/api/v1/users/{subject}/sessions/00000000-0000-0000-0000-000000000000",
        f"/api/v1/users/{subject}/sessions/not-a-uuid",
        f"/api/v1/users/00000000-0000-0000-0000-000000000000/sessions/{theirs.id}",
    ):
        refused = admin.client.delete(path)
        assert refused.status_code == 404, (path, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
    assert all(s.active for s in ory_clients.kratos.list_identity_sessions(subject))


def test_ending_a_session_while_kratos_is_down_is_503(admin, ory, ory_clients, email) -> None:
    subject, (first, _) = _person_with_two_sessions(ory, ory_clients, email)
    ory.kratos_gate.fail_only = ("DELETE", "/admin/sessions/")
    refused = admin.client.delete(f"/api/v1/users/{subject}/sessions/{first.id}")
    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    ory.kratos_gate.reset()
    assert all(s.active for s in ory_clients.kratos.list_identity_sessions(subject))
    audit = admin.client.get(
        "/api/v1/audit", params={"action": "user.end_session", "target_id": subject}
    ).json()["items"]
    assert audit == []


def test_a_member_may_not_end_sessions(member, ory, ory_clients, email) -> None:
    subject, (first, _) = _person_with_two_sessions(ory, ory_clients, email)
    assert member.client.delete(f"/api/v1/users/{subject}/sessions/{first.id}").status_code == 403
