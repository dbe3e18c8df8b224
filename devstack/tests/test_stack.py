import socket

import httpx
from devstack.stack import OryStack
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.models import CreateIdentity, OAuth2Client


def test_the_stack_serves_hydra_and_kratos_on_their_urls(ory_stack: OryStack) -> None:
    discovery = httpx.get(f"{ory_stack.hydra_public_url}/.well-known/openid-configuration").json()

    assert discovery["issuer"] == ory_stack.hydra_public_url + "/"
    assert httpx.get(f"{ory_stack.hydra_admin_url}/admin/clients").json() == []
    assert httpx.get(f"{ory_stack.kratos_public_url}/health/alive").status_code == 200
    assert httpx.get(f"{ory_stack.kratos_admin_url}/admin/identities").json() == []
    assert ory_stack.kratos_config.public_url == ory_stack.kratos_public_url + "/"
    for url in (ory_stack.hydra_public_url, ory_stack.kratos_admin_url, ory_stack.mail_url):
        assert url.startswith("http://127.0.0.1:")
        assert not url.endswith("/")


def test_each_test_gets_empty_state(ory_stack: OryStack) -> None:
    # Same assertion as above: had the identity of another test leaked, this would fail.
    with KratosAdmin(ClientConfig(ory_stack.kratos_admin_url)) as kratos:
        kratos.create_identity(CreateIdentity(traits={"email": "only-here@example.org"}))
        assert len(kratos.list_identities().identities) == 1


def test_kratos_mails_land_in_the_mail_catcher(ory_stack: OryStack) -> None:
    email = "ada@example.org"
    with KratosAdmin(ClientConfig(ory_stack.kratos_admin_url)) as kratos:
        kratos.create_identity(CreateIdentity(traits={"email": email}))
    flow = httpx.get(f"{ory_stack.kratos_public_url}/self-service/recovery/api").json()

    submitted = httpx.post(
        f"{ory_stack.kratos_public_url}/self-service/recovery",
        params={"flow": flow["id"]},
        json={"method": "code", "email": email},
    )

    assert submitted.status_code == 200
    mails = ory_stack.wait_for_mails(email)
    assert len(mails) == 1
    assert mails[0]["to"] == [email]
    assert mails[0]["text"]
    page = httpx.get(f"{ory_stack.mail_url}/")
    assert mails[0]["subject"] in page.text


def test_point_ui_at_sends_hydra_and_kratos_redirects_to_the_login_service(
    ory_stack: OryStack,
) -> None:
    ory_stack.point_ui_at("http://127.0.0.1:5999/")
    with HydraAdmin(ClientConfig(ory_stack.hydra_admin_url)) as hydra:
        client = hydra.create_oauth2_client(
            OAuth2Client(
                redirect_uris=["http://127.0.0.1:5998/callback"],
                grant_types=["authorization_code"],
                response_types=["code"],
                scope="openid",
                token_endpoint_auth_method="client_secret_basic",
            )
        )

    to_login = httpx.get(
        f"{ory_stack.hydra_public_url}/oauth2/auth",
        params={
            "client_id": client.client_id,
            "response_type": "code",
            "scope": "openid",
            "state": "s" * 12,
            "redirect_uri": "http://127.0.0.1:5998/callback",
        },
    )
    to_kratos_ui = httpx.get(f"{ory_stack.kratos_public_url}/self-service/login/browser")

    assert to_login.status_code == 302
    assert to_login.headers["location"].startswith(
        "http://127.0.0.1:5999/auth/login?login_challenge="
    )
    assert to_kratos_ui.status_code == 303
    assert to_kratos_ui.headers["location"].startswith("http://127.0.0.1:5999/auth/login?flow=")
    assert ory_stack.hydra_config.consent_url == "http://127.0.0.1:5999/auth/consent"
    assert ory_stack.hydra_config.logout_url == "http://127.0.0.1:5999/auth/logout"
    assert ory_stack.kratos_config.settings_ui_url == "http://127.0.0.1:5999/auth/settings"
    assert "http://127.0.0.1:5999/" in ory_stack.kratos_config.allowed_return_urls


def test_a_stack_that_cannot_start_releases_its_ports() -> None:
    with OryStack() as running:
        taken = running.smtp_port
        failing = OryStack(smtp_port=taken)
        try:
            failing.start()
        except (OSError, RuntimeError):
            pass
        else:
            failing.stop()
            raise AssertionError("two mail catchers on one port")
    # The failed stack closed the Hydra/Kratos sockets it had bound.
    for url in (failing.hydra_public_url, failing.kratos_admin_url):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", int(url.rsplit(":", 1)[1])))
