"""HydraAdmin / AsyncHydraAdmin against a real HTTP server answering Hydra's wire shapes."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from stackspin_clients.models import (
    AcceptConsent,
    AcceptLogin,
    ConsentSessionData,
    JsonPatch,
    OAuth2Client,
    RejectRequest,
)

pytestmark = pytest.mark.anyio

REQ = "/admin/oauth2/auth/requests"


async def test_get_login_request_parses_client_and_scopes(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        f"{REQ}/login", method="GET", query_string={"login_challenge": "a1b2c3d4e5f6login"}
    ).respond_with_json(wire("LOGIN_REQUEST"))

    request = await hydra("get_login_request", "a1b2c3d4e5f6login")

    assert request.challenge == "a1b2c3d4e5f6login"
    assert request.skip is False
    assert request.requested_scope == ["openid", "profile", "email"]
    assert request.client.client_id == "2b6f3c1e-1a7d-4a8e-9b0c-5d4e3f2a1b0c"
    assert request.oidc_context == {"ui_locales": ["nl", "en"]}
    # Fields we do not model are kept.
    assert request.client.model_extra is not None
    assert request.client.model_extra["userinfo_signed_response_alg"] == "none"


async def test_accept_login_request_sends_only_set_fields(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        f"{REQ}/login/accept",
        method="PUT",
        query_string={"login_challenge": "ch"},
        json={
            "subject": "9f8e7d6c",
            "remember": True,
            "remember_for": 0,
            "amr": ["pwd"],
            "identity_provider_session_id": "sess-1",
        },
    ).respond_with_json(wire("REDIRECT_TO"))

    body = AcceptLogin(
        subject="9f8e7d6c",
        remember=True,
        remember_for=0,
        amr=["pwd"],
        identity_provider_session_id="sess-1",
    )
    result = await hydra("accept_login_request", "ch", body)

    assert result.redirect_to == wire("REDIRECT_TO")["redirect_to"]


async def test_reject_login_request_sends_oauth_error(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        f"{REQ}/login/reject",
        method="PUT",
        query_string={"login_challenge": "ch"},
        json={"error": "access_denied", "error_description": "no"},
    ).respond_with_json(wire("REDIRECT_TO"))

    result = await hydra("reject_login_request", "ch", RejectRequest(error_description="no"))

    assert result.redirect_to.startswith("http://localhost:8080/")


async def test_get_consent_request(hydra: Any, httpserver: HTTPServer, wire: Any) -> None:
    httpserver.expect_request(
        f"{REQ}/consent", method="GET", query_string={"consent_challenge": "c0n53ntch4ll3ng3"}
    ).respond_with_json(wire("CONSENT_REQUEST"))

    request = await hydra("get_consent_request", "c0n53ntch4ll3ng3")

    assert request.subject == "9f8e7d6c-5b4a-4321-8765-43210fedcba9"
    assert request.client is not None
    assert request.client.client_name == "Nextcloud"
    assert request.amr == ["pwd"]


async def test_accept_consent_request_puts_claims_into_id_token(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        f"{REQ}/consent/accept",
        method="PUT",
        query_string={"consent_challenge": "cc"},
        json={
            "grant_scope": ["openid", "email"],
            "grant_access_token_audience": [],
            "remember": True,
            "remember_for": 3600,
            "session": {
                "id_token": {"email": "ada@example.org", "role": "admin"},
                "access_token": {},
            },
        },
    ).respond_with_json(wire("REDIRECT_TO"))

    body = AcceptConsent(
        grant_scope=["openid", "email"],
        remember=True,
        remember_for=3600,
        session=ConsentSessionData(id_token={"email": "ada@example.org", "role": "admin"}),
    )
    result = await hydra("accept_consent_request", "cc", body)

    assert result.redirect_to


async def test_reject_consent_request(hydra: Any, httpserver: HTTPServer, wire: Any) -> None:
    httpserver.expect_request(
        f"{REQ}/consent/reject",
        method="PUT",
        query_string={"consent_challenge": "cc"},
        json={"error": "access_denied", "error_description": "no role", "status_code": 403},
    ).respond_with_json(wire("REDIRECT_TO"))

    body = RejectRequest(error_description="no role", status_code=403)
    assert (await hydra("reject_consent_request", "cc", body)).redirect_to


async def test_logout_request_get_accept_reject(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    query = {"logout_challenge": "l0g0utch4ll3ng3"}
    httpserver.expect_request(f"{REQ}/logout", method="GET", query_string=query).respond_with_json(
        wire("LOGOUT_REQUEST")
    )
    httpserver.expect_request(
        f"{REQ}/logout/accept", method="PUT", query_string=query
    ).respond_with_json(wire("REDIRECT_TO"))
    httpserver.expect_request(
        f"{REQ}/logout/reject", method="PUT", query_string=query
    ).respond_with_data("", status=204)

    logout = await hydra("get_logout_request", "l0g0utch4ll3ng3")
    accepted = await hydra("accept_logout_request", "l0g0utch4ll3ng3")
    rejected = await hydra("reject_logout_request", "l0g0utch4ll3ng3")

    assert logout.rp_initiated is True
    assert logout.sid == "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
    assert accepted.redirect_to
    assert rejected is None


def _clients(wire: Any, *ids: str) -> list[dict[str, Any]]:
    return [dict(wire("CLIENT"), client_id=i, client_name=f"app {i}") for i in ids]


def _link(path: str, token: str, rel: str) -> str:
    return f'<{path}?page_size=2&page_token={token}>; rel="{rel}"'


async def test_list_oauth2_clients_returns_page_and_next_token(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/admin/clients", method="GET", query_string={"page_size": "2", "owner": "team"}
    ).respond_with_json(
        _clients(wire, "a", "b"),
        headers={
            "Link": ",".join(
                [_link("/admin/clients", "first", "first"), _link("/admin/clients", "tok2", "next")]
            )
        },
    )

    page = await hydra("list_oauth2_clients", page_size=2, owner="team")

    assert [c.client_id for c in page.clients] == ["a", "b"]
    assert page.next_page_token == "tok2"


async def test_iter_oauth2_clients_follows_link_header_to_last_page(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    httpserver.expect_request(
        "/admin/clients", query_string={"page_size": "2", "page_token": "tok2"}
    ).respond_with_json(
        _clients(wire, "c"), headers={"Link": _link("/admin/clients", "first", "first")}
    )
    httpserver.expect_request("/admin/clients", query_string={"page_size": "2"}).respond_with_json(
        _clients(wire, "a", "b"), headers={"Link": _link("/admin/clients", "tok2", "next")}
    )

    clients = await hydra.collect("iter_oauth2_clients", page_size=2)

    assert [c.client_id for c in clients] == ["a", "b", "c"]


async def test_client_crud(hydra: Any, httpserver: HTTPServer, wire: Any) -> None:
    cid = "2b6f3c1e-1a7d-4a8e-9b0c-5d4e3f2a1b0c"
    new = OAuth2Client(
        client_name="Nextcloud",
        redirect_uris=["https://files.example.org/cb"],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
        scope="openid profile email",
        token_endpoint_auth_method="client_secret_basic",
    )
    httpserver.expect_request(
        "/admin/clients", method="POST", json=new.to_wire()
    ).respond_with_json(wire("CREATED_CLIENT"), status=201)
    httpserver.expect_request(f"/admin/clients/{cid}", method="GET").respond_with_json(
        wire("CLIENT")
    )
    httpserver.expect_request(
        f"/admin/clients/{cid}", method="PUT", json=new.to_wire()
    ).respond_with_json(wire("CLIENT"))
    httpserver.expect_request(
        f"/admin/clients/{cid}",
        method="PATCH",
        json=[{"op": "replace", "path": "/client_name", "value": "Files"}],
    ).respond_with_json(dict(wire("CLIENT"), client_name="Files"))
    httpserver.expect_request(f"/admin/clients/{cid}", method="DELETE").respond_with_data(
        "", status=204
    )

    created = await hydra("create_oauth2_client", new)
    fetched = await hydra("get_oauth2_client", cid)
    replaced = await hydra("set_oauth2_client", cid, new)
    patched = await hydra(
        "patch_oauth2_client", cid, [JsonPatch(op="replace", path="/client_name", value="Files")]
    )
    deleted = await hydra("delete_oauth2_client", cid)

    assert created.client_secret == "s3cr3t-only-shown-once"
    assert fetched.client_secret is None
    assert fetched.redirect_uris == wire("CLIENT")["redirect_uris"]
    assert replaced.client_id == cid
    assert patched.client_name == "Files"
    assert deleted is None


async def test_list_consent_sessions_reads_every_page(
    hydra: Any, httpserver: HTTPServer, wire: Any
) -> None:
    path = "/admin/oauth2/auth/sessions/consent"
    httpserver.expect_request(
        path, method="GET", query_string={"subject": "sub", "page_size": "500", "page_token": "p2"}
    ).respond_with_json(wire("CONSENT_SESSIONS"))
    httpserver.expect_request(
        path, method="GET", query_string={"subject": "sub", "page_size": "500"}
    ).respond_with_json(
        wire("CONSENT_SESSIONS"), headers={"Link": f'<{path}?page_token=p2>; rel="next"'}
    )

    sessions = await hydra("list_consent_sessions", "sub")

    assert len(sessions) == 2
    assert sessions[0].session.id_token == {"email": "ada@example.org", "role": "admin"}
    assert sessions[0].consent_request.client.client_name == "Nextcloud"


async def test_revoke_consent_sessions_of_all_clients_or_one(
    hydra: Any, httpserver: HTTPServer
) -> None:
    path = "/admin/oauth2/auth/sessions/consent"
    httpserver.expect_request(
        path, method="DELETE", query_string={"subject": "sub", "all": "true"}
    ).respond_with_data("", status=204)
    httpserver.expect_request(
        path, method="DELETE", query_string={"subject": "sub", "client": "app"}
    ).respond_with_data("", status=204)

    assert await hydra("revoke_consent_sessions", "sub") is None
    assert await hydra("revoke_consent_sessions", "sub", client="app") is None
    assert len(httpserver.log) == 2


async def test_revoke_login_sessions_by_subject_or_sid(hydra: Any, httpserver: HTTPServer) -> None:
    path = "/admin/oauth2/auth/sessions/login"
    httpserver.expect_request(
        path, method="DELETE", query_string={"subject": "sub"}
    ).respond_with_data("", status=204)
    httpserver.expect_request(
        path, method="DELETE", query_string={"sid": "sid-1"}
    ).respond_with_data("", status=204)

    await hydra("revoke_login_sessions", subject="sub")
    await hydra("revoke_login_sessions", sid="sid-1")

    assert len(httpserver.log) == 2
    with pytest.raises(ValueError, match="subject or a sid"):
        await hydra("revoke_login_sessions")


async def test_introspect_token_posts_form(hydra: Any, httpserver: HTTPServer, wire: Any) -> None:
    httpserver.expect_request(
        "/admin/oauth2/introspect",
        method="POST",
        data="token=ory_at_abc&scope=openid",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ).respond_with_json(wire("INTROSPECTED"))
    httpserver.expect_request(
        "/admin/oauth2/introspect", method="POST", data="token=expired"
    ).respond_with_json(wire("INTROSPECTED_INACTIVE"))

    active = await hydra("introspect_token", "ory_at_abc", scope="openid")
    inactive = await hydra("introspect_token", "expired")

    assert active.active is True
    assert active.sub == "9f8e7d6c-5b4a-4321-8765-43210fedcba9"
    assert active.ext == {"role": "admin"}
    assert inactive.active is False
    assert inactive.sub is None
