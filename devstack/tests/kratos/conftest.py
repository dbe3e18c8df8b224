"""Fixtures for the Kratos stand-in tests: both apps served on loopback, fast argon2."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from devstack.kratos import KratosConfig, create_apps
from devstack.serve import start_asgi
from devstack.testing import services

from .kratos_contract import KratosContract, Recorder

UI = "http://ui.test"


@dataclass
class Kratos:
    config: KratosConfig
    public_url: str
    admin_url: str
    recorder: Recorder

    def admin(self) -> httpx.Client:
        return httpx.Client(
            base_url=self.admin_url, timeout=10, event_hooks={"response": [self.recorder]}
        )

    def browser(self) -> httpx.Client:
        """A browser-like client: keeps cookies, does not follow redirects on its own."""
        return httpx.Client(
            base_url=self.public_url, timeout=10, event_hooks={"response": [self.recorder]}
        )

    def create_identity(
        self, email: str, password: str | None = "correct horse battery", **extra: object
    ) -> dict:
        body: dict = {"schema_id": "default", "traits": {"email": email, "name": "Test Person"}}
        if password:
            body["credentials"] = {"password": {"config": {"password": password}}}
        body.update(extra)
        with self.admin() as admin:
            r = admin.post("/admin/identities", json=body)
        assert r.status_code == 201, r.text
        return r.json()


@pytest.fixture(scope="session")
def kratos_contract() -> KratosContract:
    return KratosContract.load(services.ory_spec_dir())


@pytest.fixture
def kratos(kratos_contract: KratosContract) -> Iterator[Kratos]:
    """Both apps on loopback; afterwards every JSON answer of the test is contract-checked."""
    config = KratosConfig(
        argon2_memory_kib=256,
        argon2_iterations=1,
        login_ui_url=f"{UI}/auth/login",
        registration_ui_url=f"{UI}/auth/registration",
        recovery_ui_url=f"{UI}/auth/recovery",
        verification_ui_url=f"{UI}/auth/verification",
        settings_ui_url=f"{UI}/auth/settings",
        error_ui_url=f"{UI}/auth/error",
        default_return_url=f"{UI}/",
        allowed_return_urls=[f"{UI}/"],
    )
    public_app, admin_app = create_apps(config)
    public = start_asgi(public_app)
    admin = start_asgi(admin_app)
    config.public_url = public.url + "/"
    config.admin_url = admin.url + "/"
    recorder = Recorder()
    try:
        yield Kratos(config=config, public_url=public.url, admin_url=admin.url, recorder=recorder)
    finally:
        public.stop()
        admin.stop()
    recorder.check(kratos_contract)


def csrf_of(flow: dict) -> str:
    return next(
        n["attributes"]["value"]
        for n in flow["ui"]["nodes"]
        if n["attributes"].get("name") == "csrf_token"
    )


def node(flow: dict, name: str) -> dict:
    """The first node whose attributes name (or id) is `name`."""
    return next(
        n
        for n in flow["ui"]["nodes"]
        if n["attributes"].get("name") == name or n["attributes"].get("id") == name
    )


def flow_id_from(location: str) -> str:
    return location.split("flow=")[1].split("&")[0]


def start_flow(browser: httpx.Client, kind: str, **params: str) -> dict:
    """Open /self-service/<kind>/browser like a browser, then fetch the flow like the UI."""
    r = browser.get(f"/self-service/{kind}/browser", params=params)
    assert r.status_code == 303, r.text
    assert r.headers["location"].startswith(f"{UI}/auth/{kind}?flow="), r.headers["location"]
    return get_flow(browser, kind, flow_id_from(r.headers["location"]))


def get_flow(browser: httpx.Client, kind: str, flow_id: str) -> dict:
    r = browser.get(f"/self-service/{kind}/flows", params={"id": flow_id})
    assert r.status_code == 200, r.text
    return r.json()


def login_with_password(browser: httpx.Client, email: str, password: str) -> httpx.Response:
    flow = start_flow(browser, "login")
    return browser.post(
        flow["ui"]["action"],
        data={
            "csrf_token": csrf_of(flow),
            "identifier": email,
            "password": password,
            "method": "password",
        },
    )


def last_code(kratos: Kratos, recipient: str) -> str:
    with kratos.admin() as admin:
        messages = admin.get("/admin/courier/messages", params={"recipient": recipient}).json()
    assert messages, f"no mail for {recipient}"
    import re

    found = re.search(r"\b(\d{6})\b", messages[0]["body"])
    assert found, messages[0]["body"]
    return found.group(1)
