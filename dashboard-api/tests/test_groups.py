"""Groups over HTTP: members, grants, effective roles (the higher of direct and group roles)
in the consent decision, /me/apps and the users listing, the groups claim, audit entries."""

from __future__ import annotations

import uuid

import httpx
import pytest
from dashboard_api.roles.effective import higher
from dashboard_api.roles.models import ADMIN, RANK, USER

PROBLEM = "application/problem+json"


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


def _ok(response: httpx.Response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture
def app_with_client(admin) -> tuple[str, str]:
    slug = f"app-{uuid.uuid4().hex[:8]}"
    _ok(admin.client.post("/api/v1/apps", json={"slug": slug, "name": "Board"}))
    client = _ok(
        admin.client.post(
            f"/api/v1/apps/{slug}/clients",
            json={"redirect_uris": ["https://board.example.org/cb"]},
        )
    )
    return slug, client["client_id"]


def _group(admin, prefix: str = "g") -> dict:
    return _ok(
        admin.client.post("/api/v1/groups", json={"name": f"{prefix}-{uuid.uuid4().hex[:8]}"})
    )


def _decision(api, settings, subject: str, client_id: str) -> dict:
    return _ok(
        httpx.get(
            f"{api.url}/internal/v1/consent-decision",
            params={"subject": subject, "client_id": client_id},
            headers={"Authorization": f"Bearer {settings.internal_token}"},
        )
    )


def test_access_only_through_a_group_then_gone_with_the_member(
    api, settings, admin, member, app_with_client
) -> None:
    slug, client_id = app_with_client
    assert _decision(api, settings, member.subject, client_id)["reason"] == "no_role"
    group = _group(admin)
    gid = group["id"]
    _ok(admin.client.put(f"/api/v1/groups/{gid}/grants/{slug}", json={"role": "user"}))
    _ok(admin.client.post(f"/api/v1/groups/{gid}/members", json={"subject": member.subject}))
    decision = _decision(api, settings, member.subject, client_id)
    assert (decision["allowed"], decision["role"]) == (True, "user")
    assert decision["claims"] == {"role": "user"}  # no groups claim configured
    assert (slug, "user") in [
        (a["slug"], a["role"]) for a in member.client.get("/api/v1/me/apps").json()
    ]
    shown = _ok(admin.client.get(f"/api/v1/groups/{gid}"))
    assert shown["members"] == [member.subject]
    assert shown["grants"] == [{"app": slug, "role": "user"}]

    _ok(admin.client.delete(f"/api/v1/groups/{gid}/members/{member.subject}"))
    assert _decision(api, settings, member.subject, client_id)["reason"] == "no_role"
    assert slug not in [a["slug"] for a in member.client.get("/api/v1/me/apps").json()]


def test_overlapping_grants_take_the_highest_role(
    api, settings, admin, member, app_with_client
) -> None:
    slug, client_id = app_with_client
    users, admins = _group(admin, "users"), _group(admin, "admins")
    for group, role in ((users, "user"), (admins, "admin")):
        _ok(admin.client.put(f"/api/v1/groups/{group['id']}/grants/{slug}", json={"role": role}))
        _ok(
            admin.client.post(
                f"/api/v1/groups/{group['id']}/members", json={"subject": member.subject}
            )
        )
    # A direct 'user' role does not lower what a group grants.
    admin.client.patch(
        f"/api/v1/users/{member.subject}",
        json={"roles": [{"app": "dashboard", "role": "user"}, {"app": slug, "role": "user"}]},
    ).raise_for_status()
    assert _decision(api, settings, member.subject, client_id)["role"] == "admin"
    listed = admin.client.get("/api/v1/users", params={"app": slug, "role": "admin"}).json()
    assert [u["id"] for u in listed["items"]] == [member.subject]
    assert (
        admin.client.get("/api/v1/users", params={"app": slug, "role": "user"}).json()["items"]
        == []
    )

    _ok(admin.client.delete(f"/api/v1/groups/{admins['id']}/grants/{slug}"))
    assert _decision(api, settings, member.subject, client_id)["role"] == "user"
    listed = admin.client.get("/api/v1/users", params={"app": slug, "role": "user"}).json()
    assert [u["id"] for u in listed["items"]] == [member.subject]
    assert admin.client.delete(f"/api/v1/groups/{admins['id']}").status_code == 204
    assert admin.client.delete(f"/api/v1/groups/{users['id']}").status_code == 204
    # The direct role is left.
    assert _decision(api, settings, member.subject, client_id)["role"] == "user"


def test_groups_claim_names_only_the_groups_the_app_may_see(
    api, settings, admin, member, app_with_client
) -> None:
    slug, client_id = app_with_client
    seen, hidden = _group(admin, "seen"), _group(admin, "hidden")
    for group in (seen, hidden):
        _ok(admin.client.put(f"/api/v1/groups/{group['id']}/grants/{slug}", json={"role": "user"}))
        _ok(
            admin.client.post(
                f"/api/v1/groups/{group['id']}/members", json={"subject": member.subject}
            )
        )
    body = {"claim": "groups", "groups": [seen["name"]]}
    assert _ok(admin.client.put(f"/api/v1/groups/claims/{slug}", json=body)) == body
    assert _ok(admin.client.get(f"/api/v1/groups/claims/{slug}")) == body
    claims = _decision(api, settings, member.subject, client_id)["claims"]
    assert claims == {"role": "user", "groups": [seen["name"]]}

    _problem(admin.client.put(f"/api/v1/groups/claims/{slug}", json={"claim": "sub"}), 422)
    _problem(admin.client.put(f"/api/v1/groups/claims/{slug}", json={"claim": "role"}), 422)
    _problem(
        admin.client.put(
            f"/api/v1/groups/claims/{slug}", json={"claim": "groups", "groups": ["no-such"]}
        ),
        422,
    )


def test_bad_input_is_a_problem_and_writes_nothing(admin, member) -> None:
    group = _group(admin)
    gid = group["id"]
    _problem(admin.client.post("/api/v1/groups", json={"name": group["name"]}), 409)
    _problem(admin.client.post("/api/v1/groups", json={"name": ""}), 422)
    _problem(admin.client.post("/api/v1/groups", json={"name": "x", "color": "red"}), 422)
    _problem(admin.client.get("/api/v1/groups/999999"), 404)
    _problem(admin.client.post(f"/api/v1/groups/{gid}/members", json={"subject": "nobody"}), 404)
    _problem(
        admin.client.put(f"/api/v1/groups/{gid}/grants/no-such-app", json={"role": "user"}), 404
    )
    _problem(
        admin.client.put(f"/api/v1/groups/{gid}/grants/dashboard", json={"role": "owner"}), 422
    )
    _problem(admin.client.delete(f"/api/v1/groups/{gid}/members/{member.subject}"), 404)
    assert _ok(admin.client.get(f"/api/v1/groups/{gid}")) == group
    _problem(member.client.get("/api/v1/groups"), 403)


def test_changes_are_audited(admin, member) -> None:
    group = _group(admin)
    gid = group["id"]
    _ok(admin.client.patch(f"/api/v1/groups/{gid}", json={"name": group["name"] + "-x"}))
    _ok(admin.client.post(f"/api/v1/groups/{gid}/members", json={"subject": member.subject}))
    _ok(admin.client.put(f"/api/v1/groups/{gid}/grants/dashboard", json={"role": "user"}))
    _ok(admin.client.delete(f"/api/v1/groups/{gid}/grants/dashboard"))
    _ok(admin.client.delete(f"/api/v1/groups/{gid}/members/{member.subject}"))
    assert admin.client.delete(f"/api/v1/groups/{gid}").status_code == 204
    entries = admin.client.get(
        "/api/v1/audit", params={"target_type": "group", "target_id": str(gid)}
    ).json()["items"]
    assert sorted(e["action"] for e in entries) == sorted(
        [
            "group.create",
            "group.rename",
            "group.add_member",
            "group.set_grant",
            "group.remove_grant",
            "group.remove_member",
            "group.delete",
        ]
    )
    assert all(e["actor"] == f"user:{admin.subject}" for e in entries)


def test_dashboard_admin_through_a_group(admin, member) -> None:
    group = _group(admin, "dash-admins")
    gid = group["id"]
    _problem(member.client.get("/api/v1/groups"), 403)
    _ok(admin.client.put(f"/api/v1/groups/{gid}/grants/dashboard", json={"role": "admin"}))
    _ok(admin.client.post(f"/api/v1/groups/{gid}/members", json={"subject": member.subject}))
    assert member.client.get("/api/v1/me").json()["is_admin"] is True
    assert member.client.get("/api/v1/groups").status_code == 200
    _ok(admin.client.delete(f"/api/v1/groups/{gid}/members/{member.subject}"))
    assert member.client.get("/api/v1/me").json()["is_admin"] is False
    _problem(member.client.get("/api/v1/groups"), 403)


def test_admin_outranks_every_role_so_holding_it_anywhere_makes_an_admin() -> None:
    # `roles.is_dashboard_admin` asks only whether admin is held, directly or by a group.
    assert max(RANK, key=RANK.__getitem__) == ADMIN
    assert higher(ADMIN, USER) == higher(USER, ADMIN) == ADMIN
