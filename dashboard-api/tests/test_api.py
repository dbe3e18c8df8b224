"""The HTTP API served for real (uvicorn on a loopback port), called with httpx."""

from __future__ import annotations

import json
import secrets

import httpx
import pytest
from dashboard_api.actors import Actor
from dashboard_api.apps import service as apps
from dashboard_api.apps.schemas import AppCreate, ClientCreate
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.main import create_app
from dashboard_api.roles import service as roles
from devstack.serve import start_asgi

PROBLEM = "application/problem+json"


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["request_id"]
    return body


def test_create_user_then_read_it_back(admin, email) -> None:
    address = email()
    created = admin.client.post(
        "/api/v1/users",
        json={"email": address, "name": "Lin", "roles": [{"app": "dashboard", "role": "user"}]},
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert admin.client.get(f"/api/v1/users/{user['id']}").json() == user


def test_duplicate_email_is_409_with_a_clear_body(admin, email) -> None:
    address = email()
    assert admin.client.post("/api/v1/users", json={"email": address}).status_code == 201
    body = _problem(admin.client.post("/api/v1/users", json={"email": address}), 409)
    assert address in body["detail"]
    assert body["field"] == "email"


def test_a_taken_username_is_409_naming_the_username_whatever_its_case(admin, email) -> None:
    name = f"taken-{secrets.token_hex(4)}"
    first = admin.client.post("/api/v1/users", json={"email": email(), "username": name})
    assert first.status_code == 201, first.text
    body = _problem(
        admin.client.post("/api/v1/users", json={"email": email(), "username": name.upper()}), 409
    )
    assert body["field"] == "username"
    assert name.upper() in body["detail"]
    other = admin.client.post("/api/v1/users", json={"email": email()}).json()
    body = _problem(
        admin.client.patch(f"/api/v1/users/{other['id']}", json={"username": name.title()}), 409
    )
    assert body["field"] == "username"
    # the refused change left the person as they were
    assert admin.client.get(f"/api/v1/users/{other['id']}").json()["username"] is None
    # signing in with the username is possible, so it is unique even against /me changes
    body = _problem(admin.client.patch("/api/v1/me", json={"username": name}), 409)
    assert body["field"] == "username"


def test_batch_rows_with_a_taken_username_fail_saying_so(admin, email) -> None:
    name = f"batch-{secrets.token_hex(4)}"
    assert admin.client.post("/api/v1/users", json={"email": email(), "username": name}).is_success
    response = admin.client.post(
        "/api/v1/users/batch",
        json={
            "users": [
                {"email": email(), "username": name.upper()},
                {"email": email(), "username": f"{name}-2"},
                {"email": email(), "username": f"{name}-2".upper()},
            ]
        },
    )
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [(r["status"], r.get("error")) for r in results] == [
        ("failed", "username taken"),
        ("created", None),
        ("failed", "username taken"),
    ]


@pytest.mark.parametrize(
    "payload",
    [
        {"email": "not-an-email"},
        {"email": "a@example.org", "nickname": "unknown field"},
        {"email": "a@example.org", "name": "x" * 101},
        {"email": "a@example.org", "username": "has space"},
        {"email": "a@example.org", "roles": [{"app": "dashboard", "role": "owner"}]},
    ],
)
def test_invalid_bodies_are_422_problems(admin, payload) -> None:
    body = _problem(admin.client.post("/api/v1/users", json=payload), 422)
    assert body["errors"]


def test_unknown_user_is_404(admin) -> None:
    _problem(admin.client.get("/api/v1/users/00000000-0000-4000-8000-000000000000"), 404)


def test_a_user_reads_and_edits_only_themselves(member, admin) -> None:
    me = member.client.get("/api/v1/me").json()
    assert me["id"] == member.subject
    assert me["is_admin"] is False
    changed = member.client.patch("/api/v1/me", json={"name": "Me Myself"})
    assert changed.status_code == 200
    assert changed.json()["name"] == "Me Myself"
    # No way to change one's email, state or roles through /me.
    _problem(member.client.patch("/api/v1/me", json={"email": "x@example.org"}), 422)
    _problem(member.client.patch("/api/v1/me", json={"roles": []}), 422)
    _problem(member.client.get(f"/api/v1/users/{admin.subject}"), 403)
    _problem(member.client.patch(f"/api/v1/users/{member.subject}", json={"name": "x"}), 403)


def test_my_apps_lists_apps_with_my_role(member) -> None:
    apps_list = member.client.get("/api/v1/me/apps").json()
    assert [(a["slug"], a["role"]) for a in apps_list] == [("dashboard", "user")]


@pytest.mark.parametrize(
    "bad",
    ["http://icons.example/a.png", "//icons.example/a.png", "javascript:alert(1)", "/a b.png",
     '/a".png', "/\\evil.example/a.png", "data:image/png;base64,AAAA"],
)  # fmt: skip
def test_an_app_icon_is_https_or_our_own_path(admin, bad: str) -> None:
    body = {"slug": "i", "name": "I", "icon_url": bad}
    _problem(admin.client.post("/api/v1/apps", json=body), 422)
    _problem(admin.client.patch("/api/v1/apps/dashboard", json={"icon_url": bad}), 422)


def test_my_apps_shows_the_icon_an_admin_sets(admin, member) -> None:
    assert member.client.get("/api/v1/me/apps").json()[0]["icon_url"] is None
    for icon in ["https://icons.example/dashboard.svg", "/static/dashboard.svg"]:
        changed = admin.client.patch("/api/v1/apps/dashboard", json={"icon_url": icon})
        assert changed.status_code == 200, changed.text
        assert changed.json()["icon_url"] == icon
        assert member.client.get("/api/v1/me/apps").json()[0]["icon_url"] == icon
    cleared = admin.client.patch("/api/v1/apps/dashboard", json={"icon_url": None}).json()
    assert cleared["icon_url"] is None
    assert cleared["name"] == "Dashboard"


def test_the_last_admin_cannot_demote_themselves(admin) -> None:
    body = _problem(
        admin.client.patch(
            f"/api/v1/users/{admin.subject}", json={"roles": [{"app": "dashboard", "role": "user"}]}
        ),
        409,
    )
    assert "last" in body["detail"]
    _problem(admin.client.delete(f"/api/v1/users/{admin.subject}"), 409)


def test_keyset_pages_are_capped_at_500(admin) -> None:
    _problem(admin.client.get("/api/v1/users", params={"limit": 501}), 422)
    _problem(admin.client.get("/api/v1/users", params={"cursor": "%%%garbage"}), 422)


def test_a_users_page_holds_the_same_bytes_as_each_user_read_alone(admin, email) -> None:
    # The page is serialized by the endpoint, a user by FastAPI's response_model path: the
    # page must be exactly those users' bytes, in order, with the same headers.
    for name in ('Zoë \u2028 "quoted" \\ <b>', None):
        body = {"email": email(), "roles": [{"app": "dashboard", "role": "user"}]}
        admin.client.post("/api/v1/users", json={**body, "name": name}).raise_for_status()
    page = admin.client.get("/api/v1/users", params={"limit": 3})
    assert page.status_code == 200
    assert page.headers["content-type"] == "application/json"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-request-id"]
    ids = [item["id"] for item in page.json()["items"]]
    assert len(ids) == 3
    alone = [admin.client.get(f"/api/v1/users/{i}") for i in ids]
    assert all(a.headers["content-type"] == "application/json" for a in alone)
    cursor = json.dumps(page.json()["next_cursor"]).encode()
    expected = b'{"items":[' + b",".join(a.content for a in alone) + b'],"next_cursor":'
    assert page.content == expected + cursor + b"}"


def test_app_crud_and_clients_in_step_with_hydra(admin, ory_clients) -> None:
    created = admin.client.post(
        "/api/v1/apps",
        json={
            "slug": "nextcloud",
            "name": "Nextcloud",
            "url": "https://files.example.org/",
            "role_claim": "nextcloud_role",
            "extra_claims": {"nextcloud_id": "stackspin-{subject}"},
        },
    )
    assert created.status_code == 201, created.text
    _problem(admin.client.post("/api/v1/apps", json={"slug": "nextcloud", "name": "Again"}), 409)
    _problem(
        admin.client.post(
            "/api/v1/apps", json={"slug": "bad", "name": "Bad", "extra_claims": {"email": "x"}}
        ),
        422,
    )
    client = admin.client.post(
        "/api/v1/apps/nextcloud/clients", json={"redirect_uris": ["https://files.example.org/cb"]}
    ).json()
    assert client["client_secret"]
    listed = admin.client.get("/api/v1/apps/nextcloud/clients").json()
    assert [c["client_id"] for c in listed] == [client["client_id"]]
    assert "client_secret" not in listed[0]
    updated = admin.client.patch(
        f"/api/v1/apps/nextcloud/clients/{client['client_id']}",
        json={"redirect_uris": ["https://files.example.org/new"]},
    ).json()
    assert updated["redirect_uris"] == ["https://files.example.org/new"]
    assert ory_clients.hydra.get_oauth2_client(client["client_id"]).redirect_uris == [
        "https://files.example.org/new"
    ]
    rotated = admin.client.post(
        f"/api/v1/apps/nextcloud/clients/{client['client_id']}/rotate-secret"
    ).json()
    assert rotated["client_secret"]
    assert rotated["client_secret"] != client["client_secret"]
    assert admin.client.delete("/api/v1/apps/nextcloud").status_code == 204
    from stackspin_clients import errors as ory_errors

    with pytest.raises(ory_errors.NotFound):
        ory_clients.hydra.get_oauth2_client(client["client_id"])
    _problem(admin.client.delete("/api/v1/apps/dashboard"), 409)


@pytest.mark.parametrize("claim", ["sub", "email", "preferred_username", "iss", "aud", "exp"])
def test_a_reserved_claim_name_is_refused_on_create_and_on_update(admin, claim) -> None:
    for payload in ({"role_claim": claim}, {"extra_claims": {claim: "x"}}):
        created = admin.client.post("/api/v1/apps", json={"slug": "r", "name": "R", **payload})
        body = _problem(created, 422)
        assert claim in str(body["errors"])
    assert admin.client.post("/api/v1/apps", json={"slug": "r", "name": "R"}).status_code == 201
    for payload in ({"role_claim": claim}, {"extra_claims": {claim: "x"}}):
        _problem(admin.client.patch("/api/v1/apps/r", json=payload), 422)
    assert admin.client.get("/api/v1/apps/r").json()["role_claim"] == "role"


def test_an_extra_claim_may_not_carry_the_role_claims_name(admin) -> None:
    clash = {"slug": "c", "name": "C", "role_claim": "team", "extra_claims": {"team": "x"}}
    _problem(admin.client.post("/api/v1/apps", json=clash), 422)
    _problem(admin.client.patch("/api/v1/apps/dashboard", json={"extra_claims": {"role": 1}}), 422)


def test_answers_with_secrets_and_every_other_answer_are_not_stored(
    admin, anonymous, email, api, settings, member, linked_app
) -> None:
    def no_store(response: httpx.Response) -> httpx.Response:
        assert response.headers.get("cache-control") == "no-store", response.request.url
        return response

    no_store(admin.client.post("/api/v1/apps", json={"slug": "ns", "name": "No store"}))
    client = no_store(
        admin.client.post("/api/v1/apps/ns/clients", json={"redirect_uris": ["https://n.example/"]})
    ).json()
    assert client["client_secret"]
    rotate = f"/api/v1/apps/ns/clients/{client['client_id']}/rotate-secret"
    assert no_store(admin.client.post(rotate)).json()["client_secret"]
    user = admin.client.post("/api/v1/users", json={"email": email()}).json()
    code = no_store(admin.client.post(f"/api/v1/users/{user['id']}/recovery-code"))
    assert code.status_code == 200, code.text
    no_store(member.client.get("/api/v1/me"))
    no_store(anonymous.get("/api/v1/auth/login"))
    no_store(anonymous.get("/api/v1/users"))  # a 401 problem
    no_store(_decision(api, settings.internal_token, member.subject, linked_app))


def test_audit_log_names_the_actor_and_request(admin, email) -> None:
    admin.client.post(
        "/api/v1/users", json={"email": email()}, headers={"X-Request-ID": "req-audit-1"}
    )
    entries = admin.client.get("/api/v1/audit", params={"action": "user.create"}).json()["items"]
    assert entries[0]["actor"] == f"user:{admin.subject}"
    assert entries[0]["request_id"] == "req-audit-1"


def test_roles_are_listed(member) -> None:
    assert [r["name"] for r in member.client.get("/api/v1/roles").json()] == ["admin", "user"]


# --- internal consent decision -------------------------------------------------------------


@pytest.fixture
def linked_app(database: Database, ory_clients, settings):
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        apps.create_app(
            ctx,
            data=AppCreate(
                slug="wekan",
                name="Wekan",
                url="https://board.example.org",
                role_claim="wekan_role",
                extra_claims={"groups": ["staff"], "uid": "wk-{subject}"},
            ),
        )
        client = apps.create_client(
            ctx, slug="wekan", data=ClientCreate(redirect_uris=["https://board.example.org/cb"])
        )
    return client.client_id


def _decision(api, token, subject, client_id) -> httpx.Response:
    return httpx.get(
        f"{api.url}/internal/v1/consent-decision",
        params={"subject": subject, "client_id": client_id},
        headers={"Authorization": f"Bearer {token}"} if token else {},
    )


def test_consent_decision_needs_the_internal_token(api, settings, member, linked_app) -> None:
    _problem(_decision(api, None, member.subject, linked_app), 401)
    _problem(_decision(api, "wrong", member.subject, linked_app), 401)
    assert _decision(api, settings.internal_token, member.subject, linked_app).status_code == 200


def test_an_empty_internal_token_lets_nobody_in(settings, database, ory_clients, member) -> None:
    # Development accepts an empty DASHBOARD_INTERNAL_TOKEN; it must not open the endpoint.
    lax = settings.model_copy(update={"environment": "development", "internal_token": ""})
    server = start_asgi(create_app(lax, database=database, ory=ory_clients))
    try:
        _problem(_decision(server, None, member.subject, "anything"), 401)
    finally:
        server.stop()


def test_consent_decision_unknown_client_is_404(api, settings, member) -> None:
    _problem(_decision(api, settings.internal_token, member.subject, "nobody"), 404)


def test_consent_decision_no_role_then_role_then_inactive(
    api, settings, member, admin, linked_app, ory_clients
) -> None:
    from stackspin_clients.claims import identity_claims

    token = settings.internal_token
    denied = _decision(api, token, member.subject, linked_app).json()
    assert denied == {
        "allowed": False,
        "app": {
            "slug": "wekan",
            "name": "Wekan",
            "url": "https://board.example.org/",
            "trusted": False,
        },
        "role": None,
        "claims": {},
        "identity_claims": None,
        "reason": "no_role",
    }
    admin.client.patch(
        f"/api/v1/users/{member.subject}",
        json={"roles": [{"app": "dashboard", "role": "user"}, {"app": "wekan", "role": "admin"}]},
    ).raise_for_status()
    allowed = _decision(api, token, member.subject, linked_app).json()
    assert allowed["allowed"] is True
    assert allowed["role"] == "admin"
    assert allowed["claims"] == {
        "wekan_role": "admin",
        "groups": ["staff"],
        "uid": f"wk-{member.subject}",
    }
    # The person's own claims, from the identity the decision read (login-service asks no more).
    identity = ory_clients.kratos.get_identity(member.subject)
    assert allowed["identity_claims"] == identity_claims(identity)
    assert allowed["identity_claims"]["email"] == identity.traits["email"]
    assert allowed["identity_claims"]["email_verified"] is False
    admin.client.patch(
        f"/api/v1/users/{member.subject}", json={"state": "inactive"}
    ).raise_for_status()
    inactive = _decision(api, token, member.subject, linked_app).json()
    assert (inactive["allowed"], inactive["reason"]) == (False, "user_inactive")
    assert inactive["identity_claims"] is None


def test_consent_decision_parses_with_the_shared_client(api, settings, member, linked_app) -> None:
    from stackspin_clients import ClientConfig, DashboardInternal

    with DashboardInternal(ClientConfig(api.url), settings.internal_token) as client:
        decision = client.consent_decision(member.subject, linked_app)
    assert decision.allowed is False
    assert decision.reason == "no_role"


# --- health and failures -------------------------------------------------------------------


def test_healthz_readyz_and_metrics(anonymous) -> None:
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {
        "database": "up",
        "kratos": "up",
        "hydra": "up",
    }
    assert "dashboard_api_requests_total" in anonymous.get("/metrics").text


def test_kratos_down_is_503_problem_and_readyz_names_it(admin, anonymous, ory) -> None:
    ory.kratos_gate.down = True
    body = _problem(admin.client.get("/api/v1/users"), 503)
    assert "unavailable" in body["detail"]
    ready = anonymous.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["kratos"].startswith("down")


def test_hydra_down_is_503_problem(ory, settings, database, ory_clients, admin) -> None:
    from dashboard_api.ory import OryClients

    broken = settings.model_copy(update={"hydra_admin_url": "http://127.0.0.1:9"})
    clients = OryClients.from_settings(broken)
    server = start_asgi(create_app(broken, database=database, ory=clients))
    try:
        # A Bearer token needs Hydra's introspection.
        response = httpx.get(
            f"{server.url}/api/v1/me", headers={"Authorization": "Bearer some-token"}
        )
        _problem(response, 503)
        ready = httpx.get(f"{server.url}/readyz").json()
        assert ready["checks"]["hydra"].startswith("down")
    finally:
        server.stop()
        clients.close()


def test_database_down_is_503_problem(settings, ory_clients) -> None:
    broken = settings.model_copy(update={"database_url": "mysql+pymysql://nobody@127.0.0.1:9/none"})
    server = start_asgi(create_app(broken, ory=ory_clients))
    try:
        response = httpx.get(f"{server.url}/api/v1/me", cookies={"dashboard_session": "whatever"})
        _problem(response, 503)
        ready = httpx.get(f"{server.url}/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"].startswith("down")
    finally:
        server.stop()


def test_a_bug_of_ours_is_a_500_problem_with_the_request_id(
    settings, database, ory_clients, capfd
) -> None:
    app = create_app(settings, database=database, ory=ory_clients)
    app.state.introspection_cache = None  # breaks every Bearer request: a stand-in for a bug
    server = start_asgi(app)
    try:
        response = httpx.get(
            f"{server.url}/api/v1/me",
            headers={"Authorization": "Bearer x", "X-Request-ID": "req-bug-1"},
        )
    finally:
        server.stop()
    body = _problem(response, 500)
    assert body["request_id"] == "req-bug-1"
    assert response.headers["x-request-id"] == "req-bug-1"
    assert "NoneType" not in response.text
    assert "unexpected error" in capfd.readouterr().err


def test_database_errors_are_logged_without_sql_or_parameters(
    tmp_path, settings, ory_clients, capfd
) -> None:
    # Never migrated: every statement fails, and SQLAlchemy's text would carry SQL and values.
    unmigrated = Database.from_url(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    server = start_asgi(create_app(settings, database=unmigrated, ory=ory_clients))
    try:
        response = httpx.get(f"{server.url}/api/v1/auth/login", params={"return_to": "/x"})
    finally:
        server.stop()
        unmigrated.dispose()
    _problem(response, 503)
    logged = capfd.readouterr().err
    assert "database error" in logged
    assert "[SQL:" not in logged
    assert "[parameters:" not in logged


def test_set_role_unknown_app_is_not_found(ctx) -> None:
    from dashboard_api.errors import NotFound

    with pytest.raises(NotFound):
        roles.set_role(ctx, subject="someone", app_slug="nope", role="user")


def test_cookie_writes_from_another_origin_are_refused(member, settings) -> None:
    evil = member.client.patch(
        "/api/v1/me", json={"name": "Hijacked"}, headers={"Origin": "https://evil.example"}
    )
    _problem(evil, 403)
    own = member.client.patch(
        "/api/v1/me", json={"name": "Mine"}, headers={"Origin": settings.public_url}
    )
    assert own.status_code == 200, own.text
    # Reading is fine from anywhere the cookie goes (SameSite=Lax keeps it to top-level GETs).
    assert (
        member.client.get("/api/v1/me", headers={"Origin": "https://evil.example"}).status_code
        == 200
    )


def test_logout_from_another_origin_is_refused(member) -> None:
    evil = member.client.post("/api/v1/auth/logout", headers={"Origin": "https://evil.example"})
    _problem(evil, 403)
    assert member.client.get("/api/v1/me").status_code == 200
    cross = member.client.post("/api/v1/auth/logout", headers={"Sec-Fetch-Site": "cross-site"})
    _problem(cross, 403)
    assert member.client.post("/api/v1/auth/logout").status_code == 303
    assert member.client.get("/api/v1/me").status_code == 401


def test_changing_an_email_to_a_taken_one_is_409(admin, email) -> None:
    first, second = email(), email()
    admin.client.post("/api/v1/users", json={"email": first}).raise_for_status()
    other = admin.client.post("/api/v1/users", json={"email": second}).json()
    body = _problem(admin.client.patch(f"/api/v1/users/{other['id']}", json={"email": first}), 409)
    assert first in body["detail"]


def test_batch_create_over_http(admin, email) -> None:
    response = admin.client.post(
        "/api/v1/users/batch", json={"users": [{"email": email()}, {"email": email(), "name": "B"}]}
    )
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["created", "created"]
    _problem(admin.client.post("/api/v1/users/batch", json={"users": []}), 422)
    too_many = {"users": [{"email": f"u{i}@example.org"} for i in range(1001)]}
    _problem(admin.client.post("/api/v1/users/batch", json=too_many), 422)


def test_a_batch_dry_run_says_what_each_item_would_do_and_writes_nothing(admin, email) -> None:
    known, new = email(), email()
    admin.client.post("/api/v1/users", json={"email": known}).raise_for_status()
    audit_before = admin.client.get("/api/v1/audit", params={"limit": 500}).json()["items"]
    items = [
        {"email": new, "roles": [{"app": "dashboard", "role": "user"}]},
        {"email": known.upper()},
        {"email": new},
        {"email": email(), "roles": [{"app": "no-such-app", "role": "user"}]},
    ]
    response = admin.client.post(
        "/api/v1/users/batch", params={"dry_run": "true"}, json={"users": items}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["would_create", "exists", "failed", "failed"]
    assert body["results"][2]["error"] == "duplicate in this batch"
    assert "no-such-app" in body["results"][3]["error"]
    assert (body["dry_run"], body["would_create"], body["exists"], body["failed"]) == (
        True,
        1,
        1,
        2,
    )
    assert admin.client.get("/api/v1/users", params={"q": new}).json()["items"] == []
    audit_after = admin.client.get("/api/v1/audit", params={"limit": 500}).json()["items"]
    assert audit_after == audit_before
    # The same items for real: what the dry run said is what happens.
    real = admin.client.post("/api/v1/users/batch", json={"users": items}).json()
    assert [r["status"] for r in real["results"]] == ["created", "exists", "failed", "failed"]
    assert real["dry_run"] is False


def test_a_session_of_an_identity_deleted_in_kratos_is_401(member, ory_clients) -> None:
    ory_clients.kratos.delete_identity(member.subject)
    _problem(member.client.get("/api/v1/me"), 401)


def test_the_log_holds_no_line_of_the_http_client(settings, database, ory_clients, capfd) -> None:
    """httpx would log each Ory call's URL at INFO (an email in a lookup's query)."""
    import logging

    from dashboard_api.observability import configure_logging

    app = create_app(
        settings.model_copy(update={"log_level": "INFO"}), database=database, ory=ory_clients
    )
    server = start_asgi(app)
    try:
        assert logging.getLogger().isEnabledFor(logging.INFO)
        capfd.readouterr()
        assert httpx.get(f"{server.url}/readyz").status_code == 200  # asks Hydra and Kratos
        logging.getLogger("probe").info("an INFO line of the standard library reaches the log")
        logged = capfd.readouterr().err
    finally:
        server.stop()
        configure_logging(settings.log_level, settings.log_json)
    assert "an INFO line of the standard library reaches the log" in logged
    assert "HTTP Request:" not in logged
