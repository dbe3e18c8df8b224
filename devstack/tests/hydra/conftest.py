"""Fixtures for the Hydra stand-in tests.

Every response the stand-in sends during a test is recorded by a pass-through ASGI wrapper and,
when the test ends, each JSON body is parsed by the official ory-hydra-client 25.4.0 model of
its operation and (when ../shared/ory-spec exists) validated against the OpenAPI schema of that
operation and status code.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import ory_hydra_client as sdk
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from devstack.clock import Clock
from devstack.hydra import HydraConfig, create_apps
from devstack.serve import start_asgi
from openapi_schema_validator import OAS30Validator
from ory_hydra_client import models

UI = "http://ui.test"
RP = "http://rp.test/callback"

# operationId → (2xx model, list answer?)
MODELS: dict[str, tuple[Any, bool]] = {
    "discoverOidcConfiguration": (models.OidcConfiguration, False),
    "discoverJsonWebKeys": (models.JsonWebKeySet, False),
    "listOAuth2Clients": (models.OAuth2Client, True),
    "createOAuth2Client": (models.OAuth2Client, False),
    "getOAuth2Client": (models.OAuth2Client, False),
    "setOAuth2Client": (models.OAuth2Client, False),
    "patchOAuth2Client": (models.OAuth2Client, False),
    "getOAuth2LoginRequest": (models.OAuth2LoginRequest, False),
    "acceptOAuth2LoginRequest": (models.OAuth2RedirectTo, False),
    "rejectOAuth2LoginRequest": (models.OAuth2RedirectTo, False),
    "getOAuth2ConsentRequest": (models.OAuth2ConsentRequest, False),
    "acceptOAuth2ConsentRequest": (models.OAuth2RedirectTo, False),
    "rejectOAuth2ConsentRequest": (models.OAuth2RedirectTo, False),
    "getOAuth2LogoutRequest": (models.OAuth2LogoutRequest, False),
    "acceptOAuth2LogoutRequest": (models.OAuth2RedirectTo, False),
    "listOAuth2ConsentSessions": (models.OAuth2ConsentSession, True),
    "introspectOAuth2Token": (models.IntrospectedOAuth2Token, False),
    "oauth2TokenExchange": (models.OAuth2TokenExchange, False),
    "getOidcUserInfo": (models.OidcUserInfo, False),
    "isAlive": (models.HealthStatus, False),
    "isReady": (models.HealthStatus, False),
    "getVersion": (models.GetVersion200Response, False),
}
SPEC_FILE = "hydra-v25.4.0.json"


@dataclass
class Exchange:
    app: str
    method: str
    path: str
    status: int
    content_type: str
    body: bytes


class Recorder:
    """Pass-through ASGI wrapper that keeps a copy of each response (test-side observation)."""

    def __init__(self, app: Any, name: str, log: list[Exchange]) -> None:
        self.app, self.name, self.log = app, name, log

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen: dict[str, Any] = {"body": b""}

        async def capture(message: Any) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                headers = dict(message.get("headers", []))
                seen["content_type"] = headers.get(b"content-type", b"").decode()
            elif message["type"] == "http.response.body":
                seen["body"] += message.get("body", b"")
                if not message.get("more_body"):
                    self.log.append(
                        Exchange(
                            self.name,
                            scope["method"],
                            scope["path"],
                            seen["status"],
                            seen["content_type"],
                            seen["body"],
                        )
                    )
            await send(message)

        await self.app(scope, receive, capture)


class Contract:
    """Checks recorded bodies against the SDK models and (optionally) the OpenAPI document."""

    def __init__(self, spec: dict[str, Any] | None) -> None:
        self.spec = spec
        self.routes: list[tuple[re.Pattern[str], str, str, dict[str, Any]]] = []
        if spec is not None:
            for path, ops in spec["paths"].items():
                pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
                for method, op in ops.items():
                    self.routes.append((pattern, method.upper(), op["operationId"], op))
        self.checked: list[str] = []
        self.validators: dict[str, OAS30Validator] = {}

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any] | None]:
        for pattern, m, op_id, op in self.routes:
            if m == method and pattern.match(path):
                return op_id, op
        return FALLBACK_OPERATIONS.get((method, _template(path)), ""), None

    def check(self, ex: Exchange) -> None:
        if not ex.body or "json" not in ex.content_type:
            return
        body = json.loads(ex.body)
        op_id, op = self.operation(ex.method, ex.path)
        if not op_id and self.spec is None:
            return  # without the published spec only the operations the SDK models know are checked
        assert op_id, f"{ex.method} {ex.path} is not an operation of Hydra's API"
        if ex.status >= 400 and ex.status != 410:
            assert set(body) == {"error", "error_description"}, body
            models.ErrorOAuth2.from_dict(body)
        elif ex.status == 410:
            models.OAuth2RedirectTo.from_dict(body)
        else:
            model, is_list = MODELS[op_id]
            for item in body if is_list else [body]:
                parsed = model.from_dict(item)
                assert parsed is not None
        if op is not None and self.spec is not None:
            responses = op["responses"]
            response = responses.get(str(ex.status)) or responses.get("default")
            assert response is not None, f"{op_id} documents no status {ex.status}"
            while "$ref" in response:
                response = self._resolve(response["$ref"])
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            assert schema is not None, f"{op_id} {ex.status} documents no JSON body"
            if schema.get("$ref") == "#/components/schemas/genericError":
                # Hydra's writer sends every error as errorOAuth2 (ErrorEnhancer); the spec's
                # genericError for a few client routes is not what goes on the wire.
                schema = {"$ref": "#/components/schemas/errorOAuth2"}
            key = json.dumps(schema, sort_keys=True)
            if key not in self.validators:
                self.validators[key] = OAS30Validator(
                    {**schema, "components": self.spec["components"]}
                )
            self.validators[key].validate(body)
        self.checked.append(f"{op_id} {ex.status}")

    def _resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.spec
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return dict(node)


# Without the spec file, map paths to operations by hand so the SDK models still run.
FALLBACK_OPERATIONS = {
    ("GET", "/.well-known/openid-configuration"): "discoverOidcConfiguration",
    ("GET", "/.well-known/jwks.json"): "discoverJsonWebKeys",
    ("GET", "/admin/clients"): "listOAuth2Clients",
    ("POST", "/admin/clients"): "createOAuth2Client",
    ("GET", "/admin/clients/{id}"): "getOAuth2Client",
    ("PUT", "/admin/clients/{id}"): "setOAuth2Client",
    ("PATCH", "/admin/clients/{id}"): "patchOAuth2Client",
    ("DELETE", "/admin/clients/{id}"): "deleteOAuth2Client",
    ("GET", "/admin/oauth2/auth/requests/login"): "getOAuth2LoginRequest",
    ("PUT", "/admin/oauth2/auth/requests/login/accept"): "acceptOAuth2LoginRequest",
    ("PUT", "/admin/oauth2/auth/requests/login/reject"): "rejectOAuth2LoginRequest",
    ("GET", "/admin/oauth2/auth/requests/consent"): "getOAuth2ConsentRequest",
    ("PUT", "/admin/oauth2/auth/requests/consent/accept"): "acceptOAuth2ConsentRequest",
    ("PUT", "/admin/oauth2/auth/requests/consent/reject"): "rejectOAuth2ConsentRequest",
    ("GET", "/admin/oauth2/auth/requests/logout"): "getOAuth2LogoutRequest",
    ("PUT", "/admin/oauth2/auth/requests/logout/accept"): "acceptOAuth2LogoutRequest",
    ("PUT", "/admin/oauth2/auth/requests/logout/reject"): "rejectOAuth2LogoutRequest",
    ("GET", "/admin/oauth2/auth/sessions/consent"): "listOAuth2ConsentSessions",
    ("DELETE", "/admin/oauth2/auth/sessions/consent"): "revokeOAuth2ConsentSessions",
    ("DELETE", "/admin/oauth2/auth/sessions/login"): "revokeOAuth2LoginSessions",
    ("POST", "/admin/oauth2/introspect"): "introspectOAuth2Token",
    ("POST", "/oauth2/token"): "oauth2TokenExchange",
    ("POST", "/oauth2/revoke"): "revokeOAuth2Token",
    ("GET", "/userinfo"): "getOidcUserInfo",
    ("POST", "/userinfo"): "getOidcUserInfo",
    ("GET", "/health/alive"): "isAlive",
    ("GET", "/health/ready"): "isReady",
    ("GET", "/version"): "getVersion",
}


def _template(path: str) -> str:
    return re.sub(r"^/admin/clients/[^/]+$", "/admin/clients/{id}", path)


@pytest.fixture(scope="session")
def hydra_spec(request: pytest.FixtureRequest) -> dict[str, Any] | None:
    """Hydra's OpenAPI document, or None where ../shared/ory-spec is absent (SDK checks only)."""
    try:
        folder: Path = request.getfixturevalue("ory_spec")
    except pytest.skip.Exception:
        return None
    spec = dict(json.loads((folder / SPEC_FILE).read_text()))
    # Known gaps between Hydra's spec and its wire format, read from the v25.4.0 source:
    # sqlxx.NullTime and sqlxx.NullBool marshal as null when unset (e.g. an RP-initiated logout
    # request has no requested_at/expires_at; a client's skip_logout_consent is null unless set),
    # but the schema omits `nullable`.
    schemas = spec["components"]["schemas"]
    schemas["nullTime"] = {**schemas["nullTime"], "nullable": True}
    client_props = schemas["oAuth2Client"]["properties"]
    client_props["skip_logout_consent"] = {**client_props["skip_logout_consent"], "nullable": True}
    # Hydra's x.NullDuration is a struct, so `omitempty` keeps an unset client lifespan as null.
    schemas["NullDuration"] = {**schemas["NullDuration"], "nullable": True}
    # A write's answer is the decoded body: a list it was not sent (contacts) is a nil slice, null.
    schemas["StringSliceJSONFormat"] = {**schemas["StringSliceJSONFormat"], "nullable": True}
    return spec


@dataclass
class Hydra:
    config: HydraConfig
    public_url: str
    admin_url: str
    log: list[Exchange] = field(default_factory=list)
    # the stand-in's clock: `hydra.clock.advance(s)` instead of sleeping until something expires
    clock: Clock = field(default_factory=Clock)

    def admin(self) -> httpx.Client:
        return httpx.Client(base_url=self.admin_url, timeout=10)

    def sdk(self) -> sdk.OAuth2Api:
        return sdk.OAuth2Api(sdk.ApiClient(sdk.Configuration(host=self.admin_url)))

    def create_client(self, **fields: Any) -> dict[str, Any]:
        body = {
            "client_name": "test app",
            "redirect_uris": [RP],
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "scope": "openid offline_access email profile",
            **fields,
        }
        with self.admin() as admin:
            response = admin.post("/admin/clients", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture(scope="session")
def contract(hydra_spec: dict[str, Any] | None) -> Contract:
    return Contract(hydra_spec)


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A state DB that already holds a signing key: copying it spares each test an RSA keygen."""
    path = tmp_path_factory.mktemp("hydra") / "template.sqlite"
    public_app, _ = create_apps(HydraConfig(database=str(path)))
    public_app.state.registry.store.close()
    return path


class Switch:
    """ASGI app that forwards to the current test's stand-in, so two uvicorn servers serve
    the whole session while every test still gets a fresh stand-in with fresh state."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        assert self.app is not None, "no Hydra stand-in is active"
        await self.app(scope, receive, send)


@pytest.fixture(scope="session")
def servers() -> Iterator[tuple[Switch, str, Switch, str]]:
    public_switch, admin_switch = Switch(), Switch()
    public, admin = start_asgi(public_switch), start_asgi(admin_switch)
    yield public_switch, public.url, admin_switch, admin.url
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda server: server.stop(), (public, admin)))


@pytest.fixture
def hydra(
    contract: Contract,
    template_database: Path,
    tmp_path: Path,
    servers: tuple[Switch, str, Switch, str],
) -> Iterator[Hydra]:
    public_switch, public_url, admin_switch, admin_url = servers
    database = tmp_path / "hydra.sqlite"
    shutil.copyfile(template_database, database)
    config = HydraConfig(
        issuer=public_url + "/",
        login_url=f"{UI}/login",
        consent_url=f"{UI}/consent",
        logout_url=f"{UI}/logout",
        post_logout_redirect_url=f"{UI}/logged-out",
        error_url=f"{UI}/error",
        database=str(database),
    )
    clock = Clock()
    public_app, admin_app = create_apps(config, clock=clock)
    log: list[Exchange] = []
    public_switch.app = Recorder(public_app, "public", log)
    admin_switch.app = Recorder(admin_app, "admin", log)
    try:
        yield Hydra(config, public_url, admin_url, log, clock)
    finally:
        public_switch.app = admin_switch.app = None
        public_app.state.registry.store.close()
    for exchange in log:
        contract.check(exchange)


class Browser:
    """A user agent with a cookie jar that follows Hydra's redirects by hand, and a scripted
    login/consent provider that answers through the admin API."""

    def __init__(self, hydra: Hydra) -> None:
        self.hydra = hydra
        self.http = httpx.Client(timeout=10)
        self.admin = hydra.admin()

    def get(self, url: str) -> httpx.Response:
        return self.http.get(url)

    def start(self, client: dict[str, Any], **params: str) -> tuple[httpx.Response, str]:
        """GET /oauth2/auth with PKCE; returns (response, code_verifier)."""
        verifier = secrets.token_urlsafe(48)
        query = {
            "client_id": client["client_id"],
            "response_type": "code",
            "redirect_uri": RP,
            "scope": "openid offline_access",
            "state": secrets.token_urlsafe(12),
            "nonce": secrets.token_urlsafe(12),
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
            **params,
        }
        response = self.http.get(self.hydra.public_url + "/oauth2/auth", params=query)
        return response, verifier

    def login(
        self, response: httpx.Response, subject: str = "user-1", **accept: Any
    ) -> httpx.Response:
        challenge = query_of(response)["login_challenge"]
        answer = self.admin.put(
            "/admin/oauth2/auth/requests/login/accept",
            params={"login_challenge": challenge},
            json={"subject": subject, **accept},
        )
        assert answer.status_code == 200, answer.text
        return self.get(answer.json()["redirect_to"])

    def consent(self, response: httpx.Response, **accept: Any) -> httpx.Response:
        challenge = query_of(response)["consent_challenge"]
        request = self.admin.get(
            "/admin/oauth2/auth/requests/consent", params={"consent_challenge": challenge}
        ).json()
        body = {"grant_scope": request["requested_scope"], **accept}
        answer = self.admin.put(
            "/admin/oauth2/auth/requests/consent/accept",
            params={"consent_challenge": challenge},
            json=body,
        )
        assert answer.status_code == 200, answer.text
        return self.get(answer.json()["redirect_to"])

    def close(self) -> None:
        self.http.close()
        self.admin.close()


def query_of(response: httpx.Response) -> dict[str, str]:
    assert response.status_code in (302, 303), (response.status_code, response.text)
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


@pytest.fixture
def browser(hydra: Hydra) -> Iterator[Browser]:
    agent = Browser(hydra)
    yield agent
    agent.close()
