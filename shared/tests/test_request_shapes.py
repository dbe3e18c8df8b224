"""Every request the clients build is one the real APIs accept.

The operations are sans-IO, so they can be checked without sending anything: the path and
method exist in the Hydra/Kratos OpenAPI document, every query parameter is declared there,
and JSON/form bodies validate against the operation's request-body schema.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from stackspin_clients import ClientConfig, KratosAdmin
from stackspin_clients.models import (
    AcceptConsent,
    AcceptLogin,
    ConsentSessionData,
    CreateIdentity,
    JsonPatch,
    OAuth2Client,
    RejectRequest,
    UpdateIdentity,
)
from stackspin_clients.operation import Operation, RequestBase, _query_params, parse_nothing
from stackspin_clients.operations import hydra_admin as hydra_ops
from stackspin_clients.operations import kratos_admin as kratos_admin_ops
from stackspin_clients.operations import kratos_public as kratos_public_ops

ADA = "9f8e7d6c-5b4a-4321-8765-43210fedcba9"
CLIENT = OAuth2Client(
    client_name="Nextcloud",
    redirect_uris=["https://files.example.org/cb"],
    post_logout_redirect_uris=["https://files.example.org/"],
    grant_types=["authorization_code", "refresh_token"],
    response_types=["code"],
    scope="openid profile email",
    token_endpoint_auth_method="client_secret_basic",
    skip_consent=True,
    metadata={"app": "nextcloud"},
)
PERSON = CreateIdentity(
    traits={"email": "ada@example.org", "name": "Ada"},
    state="active",
    credentials={"password": {"config": {"password": "correct horse"}}},
    metadata_public={"x": 1},
)

HYDRA_OPERATIONS: list[Operation[Any]] = [
    hydra_ops.get_login_request("ch"),
    hydra_ops.accept_login_request(
        "ch",
        AcceptLogin(
            subject=ADA,
            remember=True,
            remember_for=0,
            acr="aal1",
            amr=["pwd"],
            identity_provider_session_id="sid",
            context={"k": "v"},
        ),
    ),
    hydra_ops.reject_login_request("ch", RejectRequest(error_description="no", status_code=403)),
    hydra_ops.get_consent_request("ch"),
    hydra_ops.accept_consent_request(
        "ch",
        AcceptConsent(
            grant_scope=["openid"],
            remember=True,
            remember_for=3600,
            session=ConsentSessionData(id_token={"role": "admin"}),
        ),
    ),
    hydra_ops.reject_consent_request("ch", RejectRequest()),
    hydra_ops.get_logout_request("ch"),
    hydra_ops.accept_logout_request("ch"),
    hydra_ops.reject_logout_request("ch"),
    hydra_ops.list_oauth2_clients(10, "tok", "Nextcloud", "team"),
    hydra_ops.get_oauth2_client("c1"),
    hydra_ops.create_oauth2_client(CLIENT),
    hydra_ops.set_oauth2_client("c1", CLIENT),
    hydra_ops.patch_oauth2_client("c1", [JsonPatch(op="replace", path="/client_name", value="x")]),
    hydra_ops.delete_oauth2_client("c1"),
    hydra_ops.list_consent_sessions(ADA, "tok"),
    hydra_ops.revoke_consent_sessions(ADA),
    hydra_ops.revoke_consent_sessions(ADA, client="c1"),
    hydra_ops.revoke_login_sessions(subject=ADA),
    hydra_ops.revoke_login_sessions(sid="sid"),
    hydra_ops.introspect_token("tok", "openid"),
]
KRATOS_OPERATIONS: list[Operation[Any]] = [
    kratos_admin_ops.list_identities(10, "tok", "ada@example.org", [ADA]),
    kratos_admin_ops.get_identity(ADA, ["totp", "lookup_secret"]),
    kratos_admin_ops.create_identity(PERSON),
    kratos_admin_ops.update_identity(
        ADA, UpdateIdentity(traits={"email": "ada@example.org"}, state="inactive")
    ),
    kratos_admin_ops.patch_identity(
        ADA,
        [
            JsonPatch(op="replace", path="/traits/name", value="Ada King"),
            JsonPatch(op="remove", path="/metadata_public"),
        ],
    ),
    kratos_admin_ops.delete_identity(ADA),
    kratos_admin_ops.batch_create_identities([PERSON, PERSON]),
    kratos_admin_ops.delete_identity_credentials(ADA, "totp"),
    kratos_admin_ops.list_identity_sessions(ADA, "2"),
    kratos_admin_ops.delete_identity_sessions(ADA),
    kratos_admin_ops.disable_session("sess"),
    kratos_admin_ops.create_recovery_link(ADA, "1h"),
    kratos_admin_ops.create_recovery_code(ADA, "15m"),
    kratos_admin_ops.list_courier_messages("ada@example.org", "tok"),
    *(
        kratos_public_ops.create_browser_flow(kind, cookie="a=b", return_to="http://x/")  # type: ignore[arg-type]
        for kind in ("login", "registration", "recovery", "verification", "settings")
    ),
    kratos_public_ops.create_browser_flow("login", refresh=True, aal="aal2"),
    *(
        kratos_public_ops.get_flow(kind, "f1", cookie="a=b")  # type: ignore[arg-type]
        for kind in ("login", "registration", "recovery", "verification", "settings")
    ),
    kratos_public_ops.submit_flow(
        "login",
        "f1",
        {"method": "password", "identifier": "a@b.c", "password": "x", "csrf_token": "t"},
        cookie="a=b",
    ),
    kratos_public_ops.whoami(cookie="a=b"),
    kratos_public_ops.whoami(session_token="ory_st_x"),
    kratos_public_ops.create_browser_logout_flow(cookie="a=b", return_to="http://x/"),
    kratos_public_ops.get_flow_error("e1"),
]


def _spec_path(spec: Any, path: str) -> str:
    """The spec's path template matching a concrete path (``/admin/clients/c1`` → ``{id}``)."""
    for template in spec.doc["paths"]:
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return str(template)
    raise AssertionError(f"{path} is not a path of the spec")


def _check(spec: Any, operation: Operation[Any]) -> None:
    template = _spec_path(spec, operation.path)
    declared = spec.doc["paths"][template]
    assert operation.method.lower() in declared, f"{operation.method} {template} not in spec"
    spec_op = declared[operation.method.lower()]
    parameters = {(p["in"], p["name"].lower()) for p in spec_op.get("parameters", [])}
    for name, value in operation.query.items():
        if value is not None:
            assert ("query", name.lower()) in parameters, f"{name} not a query parameter"
    for name, value in operation.headers.items():
        # The spec declares Cookie only on some browser-flow calls, yet Kratos reads its CSRF
        # and session cookies on all of them (a server-side UI must forward them).
        if value is not None and name.lower() not in ("accept", "cookie"):
            assert ("header", name.lower()) in parameters, f"{name} not a header parameter"
    body = spec_op.get("requestBody", {}).get("content", {})
    if operation.json is not None:
        spec.validate(body["application/json"]["schema"], operation.json)
    if operation.form is not None:
        spec.validate(body["application/x-www-form-urlencoded"]["schema"], dict(operation.form))


@pytest.mark.parametrize(
    "operation", HYDRA_OPERATIONS, ids=lambda op: f"{op.method} {op.path} {sorted(op.query)}"
)
def test_hydra_request_matches_the_spec(operation: Operation[Any], hydra_spec: Any) -> None:
    _check(hydra_spec, operation)


@pytest.mark.parametrize(
    "operation", KRATOS_OPERATIONS, ids=lambda op: f"{op.method} {op.path} {sorted(op.query)}"
)
def test_kratos_request_matches_the_spec(operation: Operation[Any], kratos_spec: Any) -> None:
    _check(kratos_spec, operation)


def test_only_get_put_delete_are_retried() -> None:
    retried = {op.method for op in HYDRA_OPERATIONS + KRATOS_OPERATIONS if op.idempotent}
    not_retried = {op.method for op in HYDRA_OPERATIONS + KRATOS_OPERATIONS if not op.idempotent}

    assert retried == {"GET", "PUT", "DELETE"}
    assert not_retried == {"POST", "PATCH"}


# Operation.build_request puts on the wire exactly what httpx's own Client.build_request
# would: the transports build from a RequestBase read once per client instead.

ODD_OPERATIONS: list[Operation[Any]] = [
    Operation(
        "GET",
        "/admin/identities/%C3%A9l%C3%A8ve%2Fx",
        parse_nothing,
        query={
            "q": "a b&c=d+e/f?g#h%",
            "ids": ["é", "x y", ""],
            "flag": False,
            "on": True,
            "n": 0,
            "skip": None,
        },
        headers={"Cookie": "ory_kratos_session=abc; csrf=x", "X-Gone": None},
    ),
    Operation("POST", "self-service/login", parse_nothing, form={"a": "1 2", "b": "ü"}),
    Operation("PUT", "/a/b/../c/./d", parse_nothing, json={"name": "Ada", "n": [1, 2]}),
    Operation(
        "GET",
        "/x",
        parse_nothing,
        headers={"Accept": "application/problem+json", "user-agent": "me"},
    ),
]
BASES = [
    "http://127.0.0.1:9",
    "http://127.0.0.1:9/prefix",
    "https://user:pw@kratos.example:4434/p/",
]


def _wire(request: httpx.Request) -> tuple[str, str, list[tuple[str, str]], bytes, Any]:
    return (
        request.method,
        str(request.url),
        request.headers.multi_items(),
        request.read(),
        request.extensions["timeout"],
    )


@pytest.mark.parametrize("base_url", BASES)
@pytest.mark.parametrize("operation", HYDRA_OPERATIONS + KRATOS_OPERATIONS + ODD_OPERATIONS)
def test_request_is_the_one_httpx_would_build(base_url: str, operation: Operation[Any]) -> None:
    extra = {"X-Request-Id": "r-1", "Accept": "text/plain"}
    with httpx.Client(
        base_url=base_url.rstrip("/") + "/", headers={"Authorization": "Bearer t"}, timeout=3.5
    ) as client:
        expected = client.build_request(
            operation.method,
            operation.path.lstrip("/"),
            params=_old_params(operation),
            json=operation.json,
            data=dict(operation.form) if operation.form is not None else None,
            headers={
                **{k: v for k, v in operation.headers.items() if v is not None},
                **extra,
            },
        )
        built = operation.build_request(RequestBase.of(client), extra)

    assert _wire(built) == _wire(expected)


def _old_params(operation: Operation[Any]) -> httpx.QueryParams:
    return _query_params(operation.query)


def test_each_request_gets_its_own_extensions() -> None:
    with KratosAdmin(ClientConfig("http://127.0.0.1:9")) as kratos:
        base = RequestBase.of(kratos._http)
    first = ODD_OPERATIONS[0].build_request(base, {})
    first.extensions["timeout"] = {"connect": 0.1, "read": 0.1, "write": 0.1, "pool": 0.1}
    second = ODD_OPERATIONS[0].build_request(base, {})

    assert second.extensions["timeout"] == kratos._http.timeout.as_dict()
