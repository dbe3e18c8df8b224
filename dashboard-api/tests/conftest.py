"""Fixtures: the devstack Hydra/Kratos stand-ins and a mail catcher (once per session), a migrated
database per backend, each test in a rolled-back transaction, and our app served over HTTP."""

from __future__ import annotations

import secrets
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from dashboard_api import migrate
from dashboard_api.actors import Actor
from dashboard_api.apps.models import DASHBOARD_APP_SLUG
from dashboard_api.auth import service as auth_service
from dashboard_api.auth.introspection import IntrospectionCache
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.db import Database, make_engine
from dashboard_api.main import create_app
from dashboard_api.ory import OryClients
from dashboard_api.roles import service as roles
from devstack.mail.catcher import MailCatcher
from devstack.serve import RunningServer, start_asgi
from devstack.stack import OryStack, OryStackBase
from devstack.testing import databases
from fastapi import FastAPI
from sqlalchemy import Engine
from stackspin_clients.models import CreateIdentity

INTERNAL_TOKEN = "internal-token-for-tests-0123456789"
KRATOS_HOOK_TOKEN = "kratos-hook-token-for-tests-0123456789"


@dataclass
class CallLog:
    """Requests an Ory stand-in received (counted on the server side)."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def counts(self) -> Counter[tuple[str, str]]:
        with self.lock:
            return Counter(self.calls)

    def clear(self) -> None:
        with self.lock:
            self.calls.clear()


@dataclass
class Gate:
    """Sits in front of the Kratos admin app like a proxy: can make Kratos look down."""

    down: bool = False
    # After a response to (method, path prefix) succeeds, Kratos goes down.
    down_after: tuple[str, str] | None = None
    # Only these (method, path prefix) fail; everything else passes.
    fail_only: tuple[str, str] | None = None

    def reset(self) -> None:
        self.down, self.down_after, self.fail_only = False, None, None


class Recorder:
    def __init__(self, app: Any, log: CallLog, gate: Gate | None = None) -> None:
        self.app, self.log, self.gate = app, log, gate

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        with self.log.lock:
            self.log.calls.append((method, path))
        gate = self.gate
        if gate is not None and (
            gate.down
            or (
                gate.fail_only
                and method == gate.fail_only[0]
                and path.startswith(gate.fail_only[1])
            )
        ):
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [(b"content-type", b"text/html")],
                }
            )
            await send(
                {"type": "http.response.body", "body": b"<html>503 Service Unavailable</html>"}
            )
            return
        if (
            gate is not None
            and gate.down_after
            and method == gate.down_after[0]
            and path.startswith(gate.down_after[1])
        ):
            # Go down before the answer leaves, so the caller's next request already fails.
            async def send_then_fail(message: Any) -> None:
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    gate.down = True
                await send(message)

            await self.app(scope, receive, send_then_fail)
            return
        await self.app(scope, receive, send)


@dataclass
class OryStandIns:
    """devstack's OryStack, its admin apps each behind a Recorder with its Gate."""

    stack: OryStack
    kratos_calls: CallLog
    hydra_calls: CallLog
    kratos_gate: Gate
    # The same in front of Hydra's admin API.
    hydra_gate: Gate

    @property
    def mail(self) -> MailCatcher:
        return self.stack.mail


@pytest.fixture(scope="session")
def ory() -> Iterator[OryStandIns]:
    """Hydra and Kratos stand-ins and a mail catcher on random loopback ports, for the session."""
    kratos_calls, hydra_calls, kratos_gate, hydra_gate = CallLog(), CallLog(), Gate(), Gate()
    recorders = {
        "hydra-admin": lambda app: Recorder(app, hydra_calls, hydra_gate),
        "kratos-admin": lambda app: Recorder(app, kratos_calls, kratos_gate),
    }
    stack = OryStack(
        wrap=lambda name, app: recorders[name](app) if name in recorders else app,
        serve_mail_http=False,
    )
    with stack:
        yield OryStandIns(stack, kratos_calls, hydra_calls, kratos_gate, hydra_gate)


@pytest.fixture(autouse=True)
def _open_gate(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "ory" in request.fixturenames:
        request.getfixturevalue("ory").kratos_gate.reset()
        request.getfixturevalue("ory").hydra_gate.reset()


def settings_for(
    database_url: str,
    *,
    hydra_admin_url: str,
    hydra_public_url: str,
    kratos_admin_url: str,
    kratos_public_url: str,
    smtp_url: str,
    **overrides: Any,
) -> Settings:
    """Test settings for our app talking to these servers."""
    values: dict[str, Any] = {
        "environment": "production",
        "secret_key": "test-secret-key-0123456789abcdef",
        "database_url": database_url,
        "public_url": "http://127.0.0.1:9",
        "hydra_browser_url": hydra_public_url,
        "hydra_admin_url": hydra_admin_url,
        "hydra_public_url": hydra_public_url,
        "kratos_admin_url": kratos_admin_url,
        "kratos_public_url": kratos_public_url,
        "internal_token": INTERNAL_TOKEN,
        "kratos_hook_token": KRATOS_HOOK_TOKEN,
        "oauth_client_id": "dashboard-frontend",
        "oauth_client_secret": "test-oauth-secret-0123456789",
        "smtp_url": smtp_url,
        "max_retries": 0,
        "log_json": False,
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def make_test_settings() -> Any:
    """`settings_for`: test settings for our app talking to servers of the test's own."""
    return settings_for


def make_settings(ory: OryStandIns, database_url: str, **overrides: Any) -> Settings:
    return settings_for(
        database_url,
        hydra_admin_url=ory.stack.hydra_admin_url,
        hydra_public_url=ory.stack.hydra_public_url,
        kratos_admin_url=ory.stack.kratos_admin_url,
        kratos_public_url=ory.stack.kratos_public_url,
        smtp_url=ory.mail.smtp_url,
        **overrides,
    )


@pytest.fixture(scope="session")
def migrated_url(database_url: str) -> str:
    migrate.upgrade(database_url)
    return database_url


@pytest.fixture(scope="session")
def engine(migrated_url: str) -> Iterator[Engine]:
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


@pytest.fixture
def database(engine: Engine) -> Iterator[Database]:
    """A Database whose every commit is a SAVEPOINT inside one transaction, rolled back after."""
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield Database(engine, bind=connection)
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture(scope="session")
def settings(ory: OryStandIns, migrated_url: str) -> Settings:
    return make_settings(ory, migrated_url)


@pytest.fixture(scope="session")
def ory_clients(settings: Settings) -> Iterator[OryClients]:
    clients = OryClients.from_settings(settings)
    yield clients
    clients.close()


@pytest.fixture
def ctx(database: Database, ory_clients: OryClients, settings: Settings) -> Iterator[Context]:
    session = database.session()
    yield Context(session=session, ory=ory_clients, settings=settings, actor=Actor.cli())
    session.close()


@pytest.fixture(scope="session")
def served(
    settings: Settings, engine: Engine, ory_clients: OryClients
) -> Iterator[tuple[FastAPI, RunningServer]]:
    """Our app on a loopback port, once per backend; each test swaps in its own database."""
    app = create_app(settings, database=Database(engine), ory=ory_clients)
    server = start_asgi(app)
    yield app, server
    server.stop()


@pytest.fixture
def api(
    served: tuple[FastAPI, RunningServer], database: Database, settings: Settings
) -> RunningServer:
    app, server = served
    app.state.database = database
    app.state.introspection_cache = IntrospectionCache(
        settings.introspection_cache_seconds, settings.introspection_cache_size
    )
    return server


def new_identity(ory_clients: OryClients, **traits: Any) -> str:
    email = traits.pop("email", None) or f"{uuid.uuid4().hex[:12]}@example.org"
    identity = ory_clients.kratos.create_identity(
        CreateIdentity(traits={"email": email, "name": "Test Person", **traits}, state="active")
    )
    return identity.id


@dataclass
class Person:
    subject: str
    client: httpx.Client


def _person(
    api: RunningServer,
    database: Database,
    settings: Settings,
    ory_clients: OryClients,
    role: str | None,
) -> Person:
    subject = new_identity(ory_clients)
    with database.transaction() as session:
        ctx = Context(session=session, ory=ory_clients, settings=settings, actor=Actor.system())
        if role:
            roles.set_role(ctx, subject=subject, app_slug=DASHBOARD_APP_SLUG, role=role)
        token = auth_service.open_session(ctx, subject)
    client = httpx.Client(
        base_url=api.url, cookies={auth_service.SESSION_COOKIE: token}, timeout=30
    )
    return Person(subject, client)


@pytest.fixture
def admin(
    api: RunningServer, database: Database, settings: Settings, ory_clients: OryClients
) -> Iterator[Person]:
    person = _person(api, database, settings, ory_clients, "admin")
    yield person
    person.client.close()


@pytest.fixture
def member(
    api: RunningServer, database: Database, settings: Settings, ory_clients: OryClients
) -> Iterator[Person]:
    person = _person(api, database, settings, ory_clients, "user")
    yield person
    person.client.close()


@pytest.fixture
def anonymous(api: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api.url, timeout=30) as client:
        yield client


def unique_email() -> str:
    return f"u-{secrets.token_hex(6)}@example.org"


@pytest.fixture
def email() -> Any:
    """A function that returns a new, unused email address."""
    return unique_email


@pytest.fixture
def make_identity(ory_clients: OryClients) -> Any:
    """A function that creates a Kratos identity directly (not through dashboard-api)."""
    return lambda **traits: new_identity(ory_clients, **traits)


def backend_of(settings: Settings) -> str:
    return "sqlite" if settings.database_url.startswith("sqlite") else "mariadb"


@dataclass
class Served:
    """dashboard-api on its own fresh database, and a way to act on that database directly."""

    server: RunningServer
    database: Database
    settings: Settings
    ory: OryClients

    def context(self, session: Any) -> Context:
        return Context(session=session, ory=self.ory, settings=self.settings, actor=Actor.system())

    def new_identity(self) -> str:
        email = f"{uuid.uuid4().hex[:12]}@example.org"
        traits = {"email": email, "name": "Test Person"}
        return self.ory.kratos.create_identity(CreateIdentity(traits=traits, state="active")).id

    def admin_cookie(self, subject: str) -> dict[str, str]:
        with self.database.transaction() as session:
            ctx = self.context(session)
            roles.set_role(ctx, subject=subject, app_slug="dashboard", role="admin")
            return {auth_service.SESSION_COOKIE: auth_service.open_session(ctx, subject)}

    def settings_session(self) -> tuple[str, str]:
        """A person with a password, signed in through Kratos's API login flow: (id, session
        token)."""
        email, password = f"{uuid.uuid4().hex[:12]}@example.org", "a long unguessable passphrase 9"
        person = self.ory.kratos.create_identity(
            CreateIdentity(
                traits={"email": email, "name": "Settings Person"},
                state="active",
                credentials={"password": {"config": {"password": password}}},
            )
        )
        public = self.settings.kratos_public_url.rstrip("/")
        with httpx.Client(timeout=30) as kratos:
            flow = kratos.get(f"{public}/self-service/login/api").json()
            login = kratos.post(
                flow["ui"]["action"],
                json={"method": "password", "identifier": email, "password": password},
            )
            assert login.status_code == 200, login.text
            return person.id, login.json()["session_token"]


@pytest.fixture
def alone(tmp_path, settings: Settings, ory_stack: OryStackBase) -> Iterator[Served]:
    """dashboard-api alone on a fresh database, not the shared rolled-back transaction (parallel
    requests need their own connections), and a fresh Ory stack per test: the stand-ins or
    (ORY=real) real Hydra and Kratos."""
    with databases.empty_database(backend_of(settings), tmp_path) as url:
        migrate.upgrade(url)
        own = settings.model_copy(
            update={
                "database_url": url,
                "hydra_admin_url": ory_stack.hydra_admin_url,
                "hydra_public_url": ory_stack.hydra_public_url,
                "hydra_browser_url": ory_stack.hydra_public_url,
                "kratos_admin_url": ory_stack.kratos_admin_url,
                "kratos_public_url": ory_stack.kratos_public_url,
                "smtp_url": ory_stack.mail.smtp_url,
            }
        )
        ory = OryClients.from_settings(own)
        database = Database.from_url(url)
        server = start_asgi(create_app(own, database=database, ory=ory))
        try:
            yield Served(server, database, own, ory)
        finally:
            server.stop()
            database.dispose()
            ory.close()
