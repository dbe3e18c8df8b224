"""The stand-in as our own services use it: stackspin_clients, server-side, forwarding cookies."""

from __future__ import annotations

import pytest
from stackspin_clients import ClientConfig, KratosAdmin, KratosPublic
from stackspin_clients.errors import Forbidden, Unauthorized
from stackspin_clients.models import CreateIdentity

from .conftest import Kratos


def cookie_header(jar: dict[str, str], set_cookies: list[str]) -> str:
    """What a browser would send next, given what it had and what Kratos set."""
    for header in set_cookies:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def test_server_side_login_with_forwarded_cookies(kratos: Kratos) -> None:
    kratos.create_identity("srv@example.org", "pw-123456")
    jar: dict[str, str] = {}
    with KratosPublic(ClientConfig(base_url=kratos.public_url)) as public:
        started = public.create_browser_flow("login")
        cookie = cookie_header(jar, started.set_cookies)
        csrf = next(
            n.attributes["value"]
            for n in started.flow.ui.nodes
            if n.attributes.get("name") == "csrf_token"
        )
        fetched = public.get_flow("login", started.flow.id, cookie=cookie)
        assert fetched.flow.id == started.flow.id
        done = public.submit_flow(
            "login",
            started.flow.id,
            {
                "method": "password",
                "csrf_token": csrf,
                "identifier": "srv@example.org",
                "password": "pw-123456",
            },
            cookie=cookie,
        )
        assert done.session is not None
        cookie = cookie_header(jar, done.set_cookies)
        assert public.whoami(cookie=cookie).identity.traits["email"] == "srv@example.org"
        logout = public.create_browser_logout_flow(cookie=cookie)
        assert logout.logout_token

    with KratosPublic(ClientConfig(base_url=kratos.public_url)) as public:
        with pytest.raises(Forbidden) as refused:
            public.get_flow("login", started.flow.id)
        assert refused.value.error_id == "security_csrf_violation"
        with pytest.raises(Unauthorized):
            public.whoami()


def test_admin_client_pages_through_identities(kratos: Kratos) -> None:
    with KratosAdmin(ClientConfig(base_url=kratos.admin_url)) as admin:
        made = {
            admin.create_identity(CreateIdentity(traits={"email": f"u{i}@example.org"})).id
            for i in range(7)
        }
        assert {i.id for i in admin.iter_identities(page_size=3)} == made
        page = admin.list_identities(page_size=5)
        assert len(page.identities) == 5
        assert page.next_page_token
        code = admin.create_recovery_code(next(iter(made)))
        assert len(code.recovery_code) == 6
