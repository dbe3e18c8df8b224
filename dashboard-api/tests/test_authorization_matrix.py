"""Every operation in the OpenAPI document, called as anonymous, plain user and admin."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from dashboard_api.actors import Actor
from dashboard_api.apps import service as apps
from dashboard_api.apps.schemas import AppCreate, ClientCreate
from dashboard_api.context import Context
from dashboard_api.groups import service as groups
from dashboard_api.invitations import lifecycle
from dashboard_api.users import creation
from dashboard_api.users.schemas import UserCreate

# operation id -> (request body or None, status for an admin)
# Ordered so that deletions come last and never remove what a later call needs.
ADMIN_EXPECTATIONS: dict[str, tuple[Any, int]] = {
    "auth-login": (None, 302),
    "branding-get_branding": (None, 200),
    "auth-callback": (None, 400),
    "me-get_me": (None, 200),
    "me-update_me": ({"name": "Matrix Admin"}, 200),
    "me-list_my_apps": (None, 200),
    "users-list_users": (None, 200),
    "users-create_user": ({"email": "NEW_EMAIL"}, 201),
    "users-batch_create_users": ({"users": [{"email": "NEW_EMAIL"}]}, 200),
    "users-get_user": (None, 200),
    "users-update_user": ({"name": "Changed"}, 200),
    "users-create_recovery_code": (None, 200),
    "invitations-list_invitations": (None, 200),
    "invitations-list_user_invitations": (None, 200),
    "invitations-resend_invitation": (None, 200),
    "invitations-withdraw_invitation": (None, 200),
    "users-send_invitation": (None, 204),
    "users-reset_second_factor": (None, 204),
    "users-list_user_sessions": (None, 200),
    "users-end_user_session": (None, 404),  # a session id the user does not have
    "users-revoke_user_sessions": (None, 204),
    "apps-list_apps": (None, 200),
    "apps-list_app_presets": (None, 200),
    "apps-get_app_preset": (None, 200),
    "apps-create_app": ({"slug": "matrix-new", "name": "New"}, 201),
    "apps-get_app": (None, 200),
    "apps-get_app_sign_in": (None, 200),
    "apps-update_app": ({"name": "Renamed"}, 200),
    "apps-list_app_clients": (None, 200),
    "apps-create_app_client": ({"redirect_uris": ["https://app.example/cb"]}, 201),
    "apps-update_app_client": ({"redirect_uris": ["https://app.example/other"]}, 200),
    "apps-rotate_app_client_secret": (None, 200),
    "roles-list_roles": (None, 200),
    "audit-list_audit_entries": (None, 200),
    "groups-list_groups": (None, 200),
    "groups-create_group": ({"name": "matrix-new-group"}, 201),
    "groups-get_group": (None, 200),
    "groups-update_group": ({"description": "Changed"}, 200),
    "groups-add_member": ({"subject": "USER_ID"}, 200),
    "groups-set_grant": ({"role": "admin"}, 200),
    "groups-get_groups_claim": (None, 200),
    "groups-set_groups_claim": ({"claim": "groups", "groups": ["matrix-group"]}, 200),
    "groups-remove_grant": (None, 200),
    "groups-remove_member": (None, 200),
    "groups-delete_group": (None, 204),
    "apps-delete_app_client": (None, 204),
    "apps-delete_app": (None, 204),
    "users-offboard_user": ({"keep_roles": True}, 200),
    "users-delete_user": (None, 204),
    "auth-logout": (None, 303),
}
PUBLIC = {"auth-login": 302, "auth-callback": 400, "auth-logout": 303, "branding-get_branding": 200}
SELF_SERVICE = {"me-get_me", "me-update_me", "me-list_my_apps", "roles-list_roles"}


def _operations(client: httpx.Client) -> dict[str, tuple[str, str]]:
    document = client.get("/api/openapi.json").json()
    return {
        op["operationId"]: (method.upper(), path)
        for path, ops in document["paths"].items()
        for method, op in ops.items()
    }


def _call(
    client: httpx.Client, method: str, path: str, body: Any, values: dict[str, str], email
) -> httpx.Response:
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    params = (
        {"subject": values["user_id"], "client_id": values["client_id"]}
        if "consent" in path
        else None
    )
    if isinstance(body, dict):
        body = _fill(body, email, values)
    return client.request(method, path, json=body, params=params)


def _fill(value: Any, email, values: dict[str, str]) -> Any:
    if value == "NEW_EMAIL":
        return email()
    if value == "USER_ID":
        return values["user_id"]
    if isinstance(value, dict):
        return {k: _fill(v, email, values) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, email, values) for v in value]
    return value


@pytest.fixture
def targets(database, ory_clients, settings, email) -> dict[str, str]:
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        user = creation.create_user(ctx, data=UserCreate(email=email(), invite=True))
        (invitation,) = lifecycle.list_invitations(ctx, subject=user.id).items
        apps.create_app(ctx, data=AppCreate(slug="matrix", name="Matrix"))
        client = apps.create_client(
            ctx, slug="matrix", data=ClientCreate(redirect_uris=["https://matrix.example/cb"])
        )
        group = groups.create_group(ctx, name="matrix-group").group
    return {
        "user_id": user.id,
        "slug": "matrix",
        "client_id": client.client_id,
        "invitation_id": str(invitation.id),
        "group_id": str(group.id),
        "subject": user.id,
        "app": "matrix",
        "preset_id": "nextcloud",
        "session_id": "00000000-0000-0000-0000-000000000000",
    }


def test_the_matrix_names_every_operation(anonymous) -> None:
    assert set(_operations(anonymous)) == set(ADMIN_EXPECTATIONS)


def test_the_public_schema_lists_no_internal_endpoint_and_the_docs_still_load(anonymous) -> None:
    document = anonymous.get("/api/openapi.json").json()
    assert not [p for p in document["paths"] if not p.startswith("/api/")]
    assert "ConsentDecision" not in document["components"]["schemas"]
    docs = anonymous.get("/api/docs")
    assert docs.status_code == 200
    assert "/api/openapi.json" in anonymous.get("/api/docs/assets/docs.js").text


def test_no_session_reaches_the_internal_endpoint(anonymous, member, admin, targets) -> None:
    params = {"subject": targets["user_id"], "client_id": targets["client_id"]}
    for client in (anonymous, member.client, admin.client):
        response = client.get("/internal/v1/consent-decision", params=params)
        assert response.status_code == 401, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


def test_anonymous_callers_are_turned_away_everywhere_but_the_login(
    anonymous, targets, email
) -> None:
    operations = _operations(anonymous)
    for op_id, (body, _) in ADMIN_EXPECTATIONS.items():
        response = _call(anonymous, *operations[op_id], body, targets, email)
        expected = PUBLIC.get(op_id, 401)
        assert response.status_code == expected, (op_id, response.text)
        if expected >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")


def test_plain_users_reach_only_their_own_things(member, targets, email) -> None:
    operations = _operations(member.client)
    for op_id, (body, admin_status) in ADMIN_EXPECTATIONS.items():
        response = _call(member.client, *operations[op_id], body, targets, email)
        if op_id in PUBLIC:
            expected = PUBLIC[op_id]
        elif op_id in SELF_SERVICE:
            expected = admin_status
        else:
            expected = 403
        assert response.status_code == expected, (op_id, response.text)


def test_admins_reach_everything(admin, targets, email) -> None:
    operations = _operations(admin.client)
    for op_id, (body, expected) in ADMIN_EXPECTATIONS.items():
        if op_id == "auth-logout":
            continue  # would end the admin's session; checked last below
        response = _call(admin.client, *operations[op_id], body, targets, email)
        assert response.status_code == expected, (op_id, response.text)
    response = _call(admin.client, *operations["auth-logout"], None, targets, email)
    assert response.status_code == 303
    assert admin.client.get("/api/v1/me").status_code == 401
