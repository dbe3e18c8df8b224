"""The audit log answers with names, not only ids, at a constant cost per page; its actions
are one enum in the API's OpenAPI document."""

from __future__ import annotations

import uuid

from dashboard_api.audit.actions import AUDIT_ACTIONS
from dashboard_api.main import create_app
from sqlalchemy import event


def _ok(response) -> dict:
    assert response.status_code in (200, 201), response.text
    return response.json()


def _board(admin) -> str:
    slug = f"board-{uuid.uuid4().hex[:8]}"
    _ok(admin.client.post("/api/v1/apps", json={"slug": slug, "name": "Nextcloud"}))
    return slug


def _latest(admin, **params) -> dict:
    items = _ok(admin.client.get("/api/v1/audit", params={"limit": 1, **params}))["items"]
    assert items, params
    return items[0]


def test_a_role_change_names_who_did_it_to_whom_on_which_app(admin, make_identity) -> None:
    ada = make_identity(name="Ada Lovelace")
    slug = _board(admin)
    _ok(admin.client.patch(f"/api/v1/users/{ada}", json={"roles": [{"app": slug, "role": "user"}]}))
    _ok(admin.client.patch(f"/api/v1/users/{ada}", json={"roles": []}))

    entry = _latest(admin, action="user.update", target_id=ada)
    assert entry["summary"]["roles"] == {"before": [[slug, "user"]], "after": []}
    assert entry["names"] == {
        "actor": "Test Person",  # the admin fixture's name
        "target": "Ada Lovelace",
        "app": None,
        "member": None,
        "apps": {slug: "Nextcloud"},
    }


def test_group_entries_name_the_group_the_member_and_the_app(admin, make_identity) -> None:
    ada = make_identity(name="Ada Lovelace")
    slug = _board(admin)
    name = f"crew-{uuid.uuid4().hex[:6]}"
    group = _ok(admin.client.post("/api/v1/groups", json={"name": name}))
    _ok(admin.client.post(f"/api/v1/groups/{group['id']}/members", json={"subject": ada}))
    _ok(admin.client.put(f"/api/v1/groups/{group['id']}/grants/{slug}", json={"role": "user"}))

    member = _latest(admin, action="group.add_member", target_id=str(group["id"]))
    assert member["names"]["target"] == name
    assert member["names"]["member"] == "Ada Lovelace"
    grant = _latest(admin, action="group.set_grant", target_id=str(group["id"]))
    assert (grant["names"]["target"], grant["names"]["app"]) == (name, "Nextcloud")

    # Deleted, the group is still named by what its entries kept.
    assert admin.client.delete(f"/api/v1/groups/{group['id']}").status_code == 204
    again = _latest(admin, action="group.add_member", target_id=str(group["id"]))
    assert again["names"]["target"] == name


def test_a_deleted_person_is_named_by_the_address_the_entry_kept(admin, email) -> None:
    address = email()
    user = _ok(admin.client.post("/api/v1/users", json={"email": address, "name": "Gone Soon"}))
    assert _latest(admin, action="user.create", target_id=user["id"])["names"]["target"] == (
        "Gone Soon"
    )
    assert admin.client.delete(f"/api/v1/users/{user['id']}").status_code == 204
    assert _latest(admin, action="user.create", target_id=user["id"])["names"]["target"] == address


def _cost_of_one_page(admin, engine, ory) -> tuple[int, int, list[dict]]:
    statements: list[str] = []

    def before(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    ory.kratos_calls.clear()
    try:
        page = _ok(admin.client.get("/api/v1/audit", params={"limit": 500}))
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(statements), sum(ory.kratos_calls.counts().values()), page["items"]


def test_a_page_of_entries_costs_one_kratos_call_and_constant_queries(
    admin, make_identity, engine, ory
) -> None:
    slug = _board(admin)
    costs = []
    for extra in (2, 20):
        for _ in range(extra):
            person = make_identity()
            _ok(
                admin.client.patch(
                    f"/api/v1/users/{person}", json={"roles": [{"app": slug, "role": "user"}]}
                )
            )
        sql, kratos, items = _cost_of_one_page(admin, engine, ory)
        assert all(e["names"]["target"] for e in items if e["action"] == "user.update")
        costs.append((sql, kratos))
    assert costs[0] == costs[1]
    assert costs[0][1] == 1


def test_an_unknown_action_filter_is_a_problem(admin) -> None:
    response = admin.client.get("/api/v1/audit", params={"action": "user.fly"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_openapi_document_lists_every_recorded_action_as_an_enum(settings) -> None:
    schemas = create_app(settings).openapi()["components"]["schemas"]
    action = schemas["AuditEntryOut"]["properties"]["action"]
    enum = action.get("enum") or schemas[action["$ref"].rsplit("/", 1)[-1]]["enum"]
    assert sorted(enum) == sorted(AUDIT_ACTIONS)
    assert {"user.set_role", "group.add_member"} <= set(enum)


def test_invitation_lists_name_the_person_and_who_invited(admin, email) -> None:
    address = email()
    user = _ok(
        admin.client.post("/api/v1/users", json={"email": address, "name": "Ada", "invite": True})
    )
    items = _ok(admin.client.get(f"/api/v1/users/{user['id']}/invitations"))["items"]
    assert (items[0]["name"], items[0]["invited_by_name"]) == ("Ada", "Test Person")


def test_groups_name_their_members(admin, make_identity) -> None:
    ada = make_identity(name="Ada Lovelace")
    group = _ok(admin.client.post("/api/v1/groups", json={"name": f"n-{uuid.uuid4().hex[:6]}"}))
    added = _ok(admin.client.post(f"/api/v1/groups/{group['id']}/members", json={"subject": ada}))
    assert [(p["id"], p["name"]) for p in added["people"]] == [(ada, "Ada Lovelace")]
    listed = [g for g in _ok(admin.client.get("/api/v1/groups")) if g["id"] == group["id"]]
    assert listed[0]["people"] == added["people"]
