"""KratosAdmin / AsyncKratosAdmin against a real HTTP server answering Kratos's wire shapes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from stackspin_clients.models import CreateIdentity, JsonPatch, UpdateIdentity

pytestmark = pytest.mark.anyio

ADA = "9f8e7d6c-5b4a-4321-8765-43210fedcba9"


def _link(token: str) -> str:
    return f'</admin/identities?page_size=2&page_token={token}>; rel="next"'


async def test_list_identities_filters_by_credentials_identifier(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/admin/identities",
        method="GET",
        query_string={"page_size": "250", "credentials_identifier": "ada@example.org"},
    ).respond_with_json([wire("IDENTITY")])

    page = await kratos_admin("list_identities", credentials_identifier="ada@example.org")

    assert [i.traits["email"] for i in page.identities] == ["ada@example.org"]
    assert page.next_page_token is None
    assert page.identities[0].verifiable_addresses[0].verified is True


async def test_list_identities_by_ids_repeats_the_parameter(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/admin/identities", query_string=f"page_size=250&ids={ADA}&ids=other"
    ).respond_with_json([wire("IDENTITY")])

    page = await kratos_admin("list_identities", ids=[ADA, "other"])

    assert page.identities[0].id == ADA


async def test_iter_identities_follows_link_header(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/admin/identities", query_string={"page_size": "2", "page_token": "p3"}
    ).respond_with_json([dict(wire("IDENTITY_2"), id="third")])
    httpserver.expect_request(
        "/admin/identities", query_string={"page_size": "2", "page_token": "p2"}
    ).respond_with_json(
        [wire("IDENTITY_WITH_CREDENTIALS"), wire("IDENTITY_2")], headers={"Link": _link("p3")}
    )
    httpserver.expect_request(
        "/admin/identities", query_string={"page_size": "2"}
    ).respond_with_json(
        [wire("IDENTITY"), wire("IDENTITY_2")],
        headers={
            "Link": '</admin/identities?page_size=2&page_token=p1>; rel="first",' + _link("p2")
        },
    )

    identities = await kratos_admin.collect("iter_identities", page_size=2)

    assert [i.id for i in identities] == [
        ADA,
        wire("IDENTITY_2")["id"],
        ADA,
        wire("IDENTITY_2")["id"],
        "third",
    ]
    assert len(httpserver.log) == 3


async def test_get_identity_with_credentials(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        f"/admin/identities/{ADA}", query_string={"include_credential": "totp"}
    ).respond_with_json(wire("IDENTITY_WITH_CREDENTIALS"))

    identity = await kratos_admin("get_identity", ADA, include_credential=["totp"])

    assert identity.credentials is not None
    assert set(identity.credentials) == {"password", "totp"}
    assert identity.credentials["password"].identifiers == ["ada@example.org"]


async def test_create_update_patch_delete_identity(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    traits = {"email": "ada@example.org", "name": "Ada Lovelace", "username": "ada"}
    httpserver.expect_request(
        "/admin/identities",
        method="POST",
        json={
            "schema_id": "default",
            "traits": traits,
            "state": "active",
            "credentials": {"password": {"config": {"password": "correct horse"}}},
        },
    ).respond_with_json(wire("IDENTITY"), status=201)
    httpserver.expect_request(
        f"/admin/identities/{ADA}",
        method="PUT",
        json={"schema_id": "default", "traits": traits, "state": "inactive"},
    ).respond_with_json(dict(wire("IDENTITY"), state="inactive"))
    httpserver.expect_request(
        f"/admin/identities/{ADA}",
        method="PATCH",
        json=[
            {"op": "replace", "path": "/traits/name", "value": "Ada King"},
            {"op": "remove", "path": "/metadata_public"},
            {"op": "add", "path": "/metadata_admin", "value": None},
        ],
    ).respond_with_json(wire("IDENTITY"))
    httpserver.expect_request(f"/admin/identities/{ADA}", method="DELETE").respond_with_data(
        "", status=204
    )

    created = await kratos_admin(
        "create_identity",
        CreateIdentity(
            traits=traits,
            state="active",
            credentials={"password": {"config": {"password": "correct horse"}}},
        ),
    )
    updated = await kratos_admin(
        "update_identity", ADA, UpdateIdentity(traits=traits, state="inactive")
    )
    patched = await kratos_admin(
        "patch_identity",
        ADA,
        [
            JsonPatch(op="replace", path="/traits/name", value="Ada King"),
            JsonPatch(op="remove", path="/metadata_public"),
            JsonPatch(op="add", path="/metadata_admin", value=None),
        ],
    )
    deleted = await kratos_admin("delete_identity", ADA)

    assert created.id == ADA
    assert updated.state == "inactive"
    assert patched.id == ADA
    assert deleted is None


async def test_batch_create_identities_keeps_order_and_errors(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request("/admin/identities", method="PATCH").respond_with_json(
        wire("BATCH_RESULT")
    )

    results = await kratos_admin(
        "batch_create_identities",
        [
            CreateIdentity(traits={"email": "ada@example.org"}),
            CreateIdentity(traits={"email": "taken@example.org"}),
        ],
    )

    sent = json.loads(httpserver.log[0][0].get_data())
    assert [p["create"]["traits"]["email"] for p in sent["identities"]] == [
        "ada@example.org",
        "taken@example.org",
    ]
    assert all(p["patch_id"] for p in sent["identities"])
    assert [r.action for r in results] == ["create", "error"]
    assert results[0].identity == ADA
    assert results[1].error["status"] == "Conflict"


async def test_delete_identity_credentials(kratos_admin: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        f"/admin/identities/{ADA}/credentials/lookup_secret", method="DELETE"
    ).respond_with_data("", status=204)

    assert await kratos_admin("delete_identity_credentials", ADA, "lookup_secret") is None


async def test_identity_sessions_list_and_revoke(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    path = f"/admin/identities/{ADA}/sessions"
    httpserver.expect_request(path, method="GET").respond_with_json([wire("SESSION")])
    httpserver.expect_request(path, method="DELETE").respond_with_data("", status=204)
    httpserver.expect_request("/admin/sessions/sess-1", method="DELETE").respond_with_data(
        "", status=204
    )

    sessions = await kratos_admin("list_identity_sessions", ADA)
    await kratos_admin("delete_identity_sessions", ADA)
    await kratos_admin("disable_session", "sess-1")

    assert [s.id for s in sessions] == [wire("SESSION")["id"]]
    assert [entry[0].method for entry in httpserver.log] == ["GET", "DELETE", "DELETE"]


async def test_recovery_link_and_code(kratos_admin: Any, httpserver: HTTPServer, wire: Any) -> None:
    httpserver.expect_request(
        "/admin/recovery/link", method="POST", json={"identity_id": ADA, "expires_in": "1h"}
    ).respond_with_json(wire("RECOVERY_LINK"))
    httpserver.expect_request(
        "/admin/recovery/code", method="POST", json={"identity_id": ADA}
    ).respond_with_json(wire("RECOVERY_CODE"), status=201)

    link = await kratos_admin("create_recovery_link", ADA, expires_in="1h")
    code = await kratos_admin("create_recovery_code", ADA)

    assert link.recovery_link.endswith("token=abcdef")
    assert code.recovery_code == "76453943"
    assert code.expires_at is not None


async def test_list_courier_messages_for_recipient(
    kratos_admin: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/admin/courier/messages", query_string={"recipient": "ada@example.org", "page_size": "250"}
    ).respond_with_json(wire("COURIER_MESSAGES"))

    messages = await kratos_admin("list_courier_messages", recipient="ada@example.org")

    assert messages[0]["subject"] == "Recover access to your account"
    assert "76453943" in messages[0]["body"]
