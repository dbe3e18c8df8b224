"""The clients against the devstack Hydra and Kratos stand-ins (real HTTP, in-process servers).

A browser is played with plain httpx where Hydra's or Kratos's public pages would be visited;
everything the services do server-side goes through the clients under test.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from stackspin_clients import (
    AsyncHydraAdmin,
    AsyncKratosAdmin,
    AsyncKratosPublic,
    ClientConfig,
    HydraAdmin,
    KratosAdmin,
    KratosPublic,
)
from stackspin_clients.errors import (
    BrowserLocationChangeRequired,
    Conflict,
    Forbidden,
    Gone,
    NotFound,
    Unauthorized,
    ValidationFailed,
)
from stackspin_clients.models import (
    AcceptConsent,
    AcceptLogin,
    ConsentSessionData,
    CreateIdentity,
    FlowResult,
    JsonPatch,
    OAuth2Client,
    RejectRequest,
    UpdateIdentity,
)

pytestmark = pytest.mark.anyio

UI = "http://127.0.0.1:5999"
CALLBACK = "http://127.0.0.1:5998/callback"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def ory_ui_url() -> str:
    """Hydra and Kratos start with their browser redirects pointed at UI."""
    return UI


@pytest.fixture
def stack(ory_stack: Any) -> Any:
    return ory_stack


@pytest.fixture
def hydra(caller: Any, stack: Any) -> Any:
    return caller(HydraAdmin, AsyncHydraAdmin, ClientConfig(stack.hydra_admin_url))


@pytest.fixture
def kratos_admin(caller: Any, stack: Any) -> Any:
    return caller(KratosAdmin, AsyncKratosAdmin, ClientConfig(stack.kratos_admin_url))


@pytest.fixture
def kratos_public(caller: Any, stack: Any) -> Any:
    return caller(KratosPublic, AsyncKratosPublic, ClientConfig(stack.kratos_public_url))


def _new_client(name: str = "Demo") -> OAuth2Client:
    return OAuth2Client(
        client_name=name,
        redirect_uris=[CALLBACK],
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
        scope="openid profile email",
        token_endpoint_auth_method="client_secret_basic",
    )


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _cookie_header(*set_cookie_lists: list[str]) -> str:
    """What a browser would send back: name=value of every Set-Cookie, later ones winning."""
    jar: dict[str, str] = {}
    for set_cookies in set_cookie_lists:
        for header in set_cookies:
            name, _, value = header.split(";", 1)[0].partition("=")
            jar[name.strip()] = value
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def _with_cookies(cookie: str, set_cookies: list[str]) -> str:
    """A browser's Cookie header after it received ``set_cookies``."""
    current = [f"{pair.strip()}; Path=/" for pair in cookie.split(";") if pair.strip()]
    return _cookie_header(current, set_cookies)


def _csrf_token(result: FlowResult) -> str:
    node = next(n for n in result.flow.ui.nodes if n.attributes.get("name") == "csrf_token")
    return str(node.attributes["value"])


# --- Hydra admin ---------------------------------------------------------------------------


async def test_oauth2_client_lifecycle(hydra: Any) -> None:
    created = await hydra("create_oauth2_client", _new_client())
    assert created.client_id
    assert created.client_secret

    fetched = await hydra("get_oauth2_client", created.client_id)
    replaced = await hydra(
        "set_oauth2_client",
        created.client_id,
        _new_client("Renamed").model_copy(update={"client_id": created.client_id}),
    )
    patched = await hydra(
        "patch_oauth2_client",
        created.client_id,
        [JsonPatch(op="replace", path="/client_name", value="Patched")],
    )
    await hydra("delete_oauth2_client", created.client_id)

    assert fetched.client_secret is None
    assert fetched.redirect_uris == [CALLBACK]
    assert replaced.client_name == "Renamed"
    assert patched.client_name == "Patched"
    with pytest.raises(NotFound):
        await hydra("get_oauth2_client", created.client_id)


async def test_oauth2_clients_are_paged_through_the_link_header(hydra: Any) -> None:
    ids = {
        (await hydra("create_oauth2_client", _new_client(f"app {i}"))).client_id for i in range(5)
    }

    first = await hydra("list_oauth2_clients", page_size=2)
    every = await hydra.collect("iter_oauth2_clients", page_size=2)

    assert len(first.clients) == 2
    assert first.next_page_token
    assert {c.client_id for c in every} == ids
    assert len(every) == 5


def _authorize(stack: Any, browser: httpx.Client, client_id: str) -> str:
    """The browser opens Hydra's authorize URL; returns the login challenge."""
    response = browser.get(
        f"{stack.hydra_public_url}/oauth2/auth",
        params={
            "client_id": client_id,
            "response_type": "code",
            "scope": "openid profile email",
            "redirect_uri": CALLBACK,
            "state": "state-123456789",
        },
    )
    assert response.status_code in (302, 303), response.text
    location = response.headers["location"]
    assert location.startswith(f"{UI}/auth/login?")
    return _query(location)["login_challenge"]


async def test_login_and_consent_round_trip_with_introspection(hydra: Any, stack: Any) -> None:
    client = await hydra("create_oauth2_client", _new_client())
    subject = "9f8e7d6c-5b4a-4321-8765-43210fedcba9"
    with httpx.Client() as browser:
        login_challenge = _authorize(stack, browser, client.client_id)

        login = await hydra("get_login_request", login_challenge)
        assert login.skip is False
        assert login.client.client_id == client.client_id
        assert "openid" in login.requested_scope
        accepted = await hydra(
            "accept_login_request",
            login_challenge,
            AcceptLogin(subject=subject, remember=True, remember_for=0, amr=["pwd"]),
        )
        to_consent = browser.get(accepted.redirect_to)
        consent_challenge = _query(to_consent.headers["location"])["consent_challenge"]

        consent = await hydra("get_consent_request", consent_challenge)
        assert consent.subject == subject
        granted = await hydra(
            "accept_consent_request",
            consent_challenge,
            AcceptConsent(
                grant_scope=consent.requested_scope,
                remember=True,
                remember_for=3600,
                session=ConsentSessionData(id_token={"role": "admin"}),
            ),
        )
        to_app = browser.get(granted.redirect_to)
        code = _query(to_app.headers["location"])["code"]

    # Hydra's login challenge carries its flow sealed in itself (v2.3.0 and v25), so once
    # used it still shows the request until it expires; the verifier is what is spent.
    again = await hydra("get_login_request", login_challenge)
    assert again.client.client_id == client.client_id

    tokens = httpx.post(
        f"{stack.hydra_public_url}/oauth2/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(client.client_id, client.client_secret),
    ).json()
    introspected = await hydra("introspect_token", tokens["access_token"])
    assert introspected.active is True
    assert introspected.sub == subject
    assert introspected.client_id == client.client_id
    assert (await hydra("introspect_token", "not-a-token")).active is False

    sessions = await hydra("list_consent_sessions", subject)
    assert [s.consent_request.client.client_id for s in sessions] == [client.client_id]
    await hydra("revoke_consent_sessions", subject, client=client.client_id)
    assert await hydra("list_consent_sessions", subject) == []
    await hydra("revoke_login_sessions", subject=subject)


async def test_rejected_login_sends_the_browser_back_with_the_error(hydra: Any, stack: Any) -> None:
    client = await hydra("create_oauth2_client", _new_client())
    with httpx.Client() as browser:
        challenge = _authorize(stack, browser, client.client_id)
        rejected = await hydra(
            "reject_login_request",
            challenge,
            RejectRequest(error="access_denied", error_description="no access"),
        )
        # Like Hydra, the answer points back at the authorize endpoint (with a verifier),
        # which then sends the browser to the app with the error.
        to_app = browser.get(rejected.redirect_to)

    location = to_app.headers["location"]
    assert location.startswith(CALLBACK)
    assert _query(location)["error"] == "access_denied"


async def test_logout_request_of_a_logged_in_browser(hydra: Any, stack: Any) -> None:
    client = await hydra("create_oauth2_client", _new_client())
    subject = "9f8e7d6c-5b4a-4321-8765-43210fedcba9"
    with httpx.Client() as browser:
        challenge = _authorize(stack, browser, client.client_id)
        accepted = await hydra(
            "accept_login_request", challenge, AcceptLogin(subject=subject, remember=True)
        )
        consent_challenge = _query(browser.get(accepted.redirect_to).headers["location"])[
            "consent_challenge"
        ]
        granted = await hydra(
            "accept_consent_request", consent_challenge, AcceptConsent(grant_scope=["openid"])
        )
        browser.get(granted.redirect_to)

        to_logout = browser.get(f"{stack.hydra_public_url}/oauth2/sessions/logout")
        logout_challenge = _query(to_logout.headers["location"])["logout_challenge"]
        logout = await hydra("get_logout_request", logout_challenge)
        done = await hydra("accept_logout_request", logout_challenge)
        # As in Hydra, the challenge counts as used once the browser follows the verifier.
        browser.get(done.redirect_to)

    assert logout.subject == subject
    assert logout.rp_initiated is False
    assert done.redirect_to
    with pytest.raises(Gone) as used:
        await hydra("get_logout_request", logout_challenge)
    assert used.value.redirect_to


# --- Kratos admin --------------------------------------------------------------------------


def _person(email: str, password: str | None = None) -> CreateIdentity:
    credentials = {"password": {"config": {"password": password}}} if password else None
    return CreateIdentity(
        traits={"email": email, "name": email.split("@")[0].title()}, credentials=credentials
    )


async def test_identity_lifecycle(kratos_admin: Any) -> None:
    created = await kratos_admin("create_identity", _person("ada@example.org", PASSWORD))
    with pytest.raises(Conflict):
        await kratos_admin("create_identity", _person("ada@example.org"))

    found = await kratos_admin("list_identities", credentials_identifier="ada@example.org")
    updated = await kratos_admin(
        "update_identity",
        created.id,
        UpdateIdentity(traits={"email": "ada@example.org", "name": "Ada L."}, state="inactive"),
    )
    patched = await kratos_admin(
        "patch_identity",
        created.id,
        [JsonPatch(op="replace", path="/traits/name", value="Ada King")],
    )
    fetched = await kratos_admin("get_identity", created.id, include_credential=["password"])
    await kratos_admin("delete_identity", created.id)

    assert [i.id for i in found.identities] == [created.id]
    assert updated.state == "inactive"
    assert patched.traits["name"] == "Ada King"
    assert fetched.credentials is not None
    assert "password" in fetched.credentials
    with pytest.raises(NotFound):
        await kratos_admin("get_identity", created.id)


async def test_identities_are_paged_and_batch_created(kratos_admin: Any) -> None:
    results = await kratos_admin(
        "batch_create_identities",
        [_person(f"user{i}@example.org") for i in range(5)],
    )

    every = await kratos_admin.collect("iter_identities", page_size=2)
    first = await kratos_admin("list_identities", page_size=2)

    assert [r.action for r in results] == ["create"] * 5
    assert {i.id for i in every} == {r.identity for r in results}
    assert first.next_page_token
    assert len(first.identities) == 2


async def test_recovery_code_comes_with_the_page_to_enter_it(kratos_admin: Any) -> None:
    person = await kratos_admin("create_identity", _person("ada@example.org"))

    code = await kratos_admin("create_recovery_code", person.id)

    assert code.recovery_code
    assert code.recovery_link


def _api_logins(stack: Any, email: str, count: int) -> list[str]:
    """Log ``email`` in ``count`` times through Kratos's API flow; the new session ids."""
    ids = []
    with httpx.Client(base_url=stack.kratos_public_url) as app:
        for _ in range(count):
            flow = app.get("/self-service/login/api").json()
            done = app.post(
                "/self-service/login",
                params={"flow": flow["id"]},
                json={"method": "password", "identifier": email, "password": PASSWORD},
            )
            assert done.status_code == 200, done.text
            ids.append(done.json()["session"]["id"])
    return ids


async def test_sessions_of_an_identity_that_never_signed_in_are_an_empty_list(
    kratos_admin: Any,
) -> None:
    person = await kratos_admin("create_identity", _person("ada@example.org", PASSWORD))

    # Kratos answers an empty list with a rel="next" link (a new token each time): no loop.
    assert await kratos_admin("list_identity_sessions", person.id) == []
    assert await kratos_admin("list_identity_sessions", person.id, page_size=1) == []


@pytest.mark.parametrize("page_size", [1, 2, 1000])
async def test_every_session_of_an_identity_is_listed_once_across_pages(
    kratos_admin: Any, stack: Any, page_size: int
) -> None:
    person = await kratos_admin("create_identity", _person("ada@example.org", PASSWORD))
    other = await kratos_admin("create_identity", _person("bob@example.org", PASSWORD))
    created = _api_logins(stack, "ada@example.org", 5)
    _api_logins(stack, "bob@example.org", 1)

    listed = await kratos_admin("list_identity_sessions", person.id, page_size=page_size)

    assert sorted(s.id for s in listed) == sorted(created)
    assert [s.id for s in await kratos_admin("list_identity_sessions", other.id)] != []


async def test_consent_sessions_are_listed_across_pages(hydra: Any, stack: Any) -> None:
    subject = "9f8e7d6c-5b4a-4321-8765-43210fedcba9"
    client_ids = []
    for i in range(3):
        client = await hydra("create_oauth2_client", _new_client(f"app {i}"))
        client_ids.append(client.client_id)
        with httpx.Client() as browser:
            challenge = _authorize(stack, browser, client.client_id)
            accepted = await hydra("accept_login_request", challenge, AcceptLogin(subject=subject))
            to_consent = browser.get(accepted.redirect_to)
            granted = await hydra(
                "accept_consent_request",
                _query(to_consent.headers["location"])["consent_challenge"],
                AcceptConsent(grant_scope=["openid"], remember=True, remember_for=3600),
            )
            browser.get(granted.redirect_to)

    # Hydra v2.3.0 pages consent sessions by offset with swapped Link arguments (page and
    # size), so small pages skip items there; v25 (and the stand-in) page by keyset.
    page_size = 2 if stack.backend == "standin" else 500
    listed = await hydra("list_consent_sessions", subject, page_size=page_size)

    assert sorted(s.consent_request.client.client_id for s in listed) == sorted(client_ids)


# --- Kratos public: a browser login through the UI's server side ---------------------------


async def _log_in(kratos_public: Any, email: str, password: str) -> tuple[str, Any]:
    started = await kratos_public("create_browser_flow", "login")
    cookie = _cookie_header(started.set_cookies)
    submitted = await kratos_public(
        "submit_flow",
        "login",
        started.flow.id,
        {
            "method": "password",
            "identifier": email,
            "password": password,
            "csrf_token": _csrf_token(started),
        },
        cookie=cookie,
    )
    return _cookie_header(started.set_cookies, submitted.set_cookies), submitted


async def test_browser_login_whoami_sessions_and_logout(
    kratos_public: Any, kratos_admin: Any
) -> None:
    person = await kratos_admin("create_identity", _person("ada@example.org", PASSWORD))
    with pytest.raises(Unauthorized):
        await kratos_public("whoami", cookie="")

    cookie, submitted = await _log_in(kratos_public, "ada@example.org", PASSWORD)
    session = await kratos_public("whoami", cookie=cookie)
    logout = await kratos_public("create_browser_logout_flow", cookie=cookie)
    sessions = await kratos_admin("list_identity_sessions", person.id)

    assert "ory_kratos_session" in cookie
    assert submitted.session is not None
    assert session.identity.id == person.id
    assert session.authenticator_assurance_level == "aal1"
    assert logout.logout_token
    assert [s.id for s in sessions] == [session.id]

    await kratos_admin("delete_identity_sessions", person.id)
    with pytest.raises(Unauthorized):
        await kratos_public("whoami", cookie=cookie)


async def test_wrong_password_answers_the_flow_with_a_message(
    kratos_public: Any, kratos_admin: Any
) -> None:
    await kratos_admin("create_identity", _person("ada@example.org", PASSWORD))

    with pytest.raises(ValidationFailed) as caught:
        await _log_in(kratos_public, "ada@example.org", "wrong password")

    flow = caught.value.flow
    assert flow is not None
    assert flow.type == "browser"
    assert any(m.type == "error" for m in flow.ui.messages)


async def test_submit_without_csrf_token_is_forbidden(kratos_public: Any) -> None:
    started = await kratos_public("create_browser_flow", "login")

    with pytest.raises(Forbidden) as caught:
        await kratos_public(
            "submit_flow",
            "login",
            started.flow.id,
            {"method": "password", "identifier": "a@b.c", "password": "x"},
            cookie=_cookie_header(started.set_cookies),
        )

    assert caught.value.error_id == "security_csrf_violation"


@pytest.mark.parametrize("kind", ["login", "registration", "recovery", "verification"])
async def test_every_anonymous_browser_flow_can_be_created_and_fetched(
    kratos_public: Any, kind: str, stack: Any
) -> None:
    stack.kratos_config.registration_enabled = True
    stack.apply()
    started = await kratos_public("create_browser_flow", kind, return_to=f"{UI}/auth/login")
    cookie = _cookie_header(started.set_cookies)

    fetched = await kratos_public("get_flow", kind, started.flow.id, cookie=cookie)

    assert started.flow.type == "browser"
    assert fetched.flow.id == started.flow.id
    assert _csrf_token(fetched)
    assert started.flow.ui.action.startswith(stack.kratos_public_url)


async def test_settings_flow_needs_a_session(kratos_public: Any, kratos_admin: Any) -> None:
    await kratos_admin("create_identity", _person("ada@example.org", PASSWORD))
    with pytest.raises(Unauthorized):
        await kratos_public("create_browser_flow", "settings")

    cookie, _ = await _log_in(kratos_public, "ada@example.org", PASSWORD)
    settings = await kratos_public("create_browser_flow", "settings", cookie=cookie)

    assert settings.flow.identity is not None
    assert settings.flow.identity.traits["email"] == "ada@example.org"


async def test_unknown_flow_and_flow_error(kratos_public: Any) -> None:
    with pytest.raises(NotFound):
        await kratos_public("get_flow", "login", "00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFound):
        await kratos_public("get_flow_error", "00000000-0000-4000-8000-000000000000")


async def test_expired_flow_is_gone(kratos_public: Any, stack: Any) -> None:
    stack.kratos_config.flow_lifespan = 0
    stack.apply()
    started = await kratos_public("create_browser_flow", "login")

    with pytest.raises(Gone) as caught:
        await kratos_public(
            "get_flow", "login", started.flow.id, cookie=_cookie_header(started.set_cookies)
        )

    assert caught.value.status == 410
    assert caught.value.error_id == "self_service_flow_expired"


async def test_second_factor_turns_into_aal2_errors(kratos_public: Any, kratos_admin: Any) -> None:
    import pyotp

    person = await kratos_admin("create_identity", _person("ada@example.org", PASSWORD))
    cookie, _ = await _log_in(kratos_public, "ada@example.org", PASSWORD)
    settings = await kratos_public("create_browser_flow", "settings", cookie=cookie)
    cookie = _with_cookies(cookie, settings.set_cookies)
    secret_node = next(
        n for n in settings.flow.ui.nodes if n.attributes.get("id") == "totp_secret_key"
    )
    secret = secret_node.attributes["text"]["text"]

    saved = await kratos_public(
        "submit_flow",
        "settings",
        settings.flow.id,
        {
            "method": "totp",
            "totp_code": pyotp.TOTP(secret).now(),
            "csrf_token": _csrf_token(settings),
        },
        cookie=cookie,
    )
    assert saved.flow is not None
    assert saved.flow.state == "success"

    # A new password-only login is not enough any more.
    with pytest.raises(BrowserLocationChangeRequired) as location:
        await _log_in(kratos_public, "ada@example.org", PASSWORD)
    assert "aal=aal2" in (location.value.redirect_browser_to or "")
    aal1_cookie = _cookie_header(location.value.set_cookies)
    # The aal1 session exists (its cookie came with the 422) but whoami wants the second factor.
    assert "ory_kratos_session" in aal1_cookie
    with pytest.raises(Forbidden) as forbidden:
        await kratos_public("whoami", cookie=aal1_cookie)
    assert forbidden.value.error_id == "session_aal2_required"
    assert "aal=aal2" in (forbidden.value.redirect_browser_to or "")

    await kratos_admin("delete_identity_credentials", person.id, "totp")
    identity = await kratos_admin("get_identity", person.id)
    assert "totp" not in (identity.credentials or {})
