"""Fixtures of the client-library tests: real HTTP servers, wire samples, the Ory specs.

The samples in ``wire/samples.json`` are the exact JSON shapes Hydra and Kratos v25.4.0 send;
``test_wire_shapes.py`` checks each against the official SDK models and the OpenAPI schemas.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from pytest_httpserver import HTTPServer
from stackspin_clients import (
    AsyncDashboardInternal,
    AsyncHydraAdmin,
    AsyncKratosAdmin,
    AsyncKratosPublic,
    ClientConfig,
    DashboardInternal,
    HydraAdmin,
    KratosAdmin,
    KratosPublic,
)

SAMPLES: dict[str, Any] = json.loads((Path(__file__).parent / "wire" / "samples.json").read_text())


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    # Random port on loopback: other suites run at the same time.
    return ("127.0.0.1", 0)


@pytest.fixture
def wire() -> Callable[[str], Any]:
    """A fresh copy of a wire sample by name (e.g. ``wire("LOGIN_FLOW")``)."""
    return lambda name: copy.deepcopy(SAMPLES[name])


def fast_config(base_url: str, **overrides: Any) -> ClientConfig:
    """Short timeouts and backoff so failure tests stay quick."""
    settings: dict[str, Any] = {
        "connect_timeout": 1.0,
        "read_timeout": 2.0,
        "max_retries": 2,
        "backoff": 0.01,
    }
    settings.update(overrides)
    return ClientConfig(base_url=base_url, **settings)


class Caller:
    """Calls one client method through the sync or the async client (the test's flavor).

    Each call opens and closes its own client, so both ``with`` and ``async with`` run too.
    """

    def __init__(
        self, flavor: str, sync_cls: Any, async_cls: Any, config: ClientConfig, *args: Any
    ) -> None:
        self.flavor = flavor
        self.sync_cls = sync_cls
        self.async_cls = async_cls
        self.config = config
        self.args = args

    async def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.flavor == "sync":
            with self.sync_cls(self.config, *self.args) as client:
                return getattr(client, method)(*args, **kwargs)
        async with self.async_cls(self.config, *self.args) as client:
            return await getattr(client, method)(*args, **kwargs)

    async def collect(self, method: str, *args: Any, **kwargs: Any) -> list[Any]:
        """All items of an ``iter_*`` method."""
        if self.flavor == "sync":
            with self.sync_cls(self.config, *self.args) as client:
                return list(getattr(client, method)(*args, **kwargs))
        async with self.async_cls(self.config, *self.args) as client:
            return [item async for item in getattr(client, method)(*args, **kwargs)]


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def caller(flavor: str) -> Callable[..., Caller]:
    """Build a Caller of this test's flavor: ``caller(HydraAdmin, AsyncHydraAdmin, config)``."""
    return lambda sync_cls, async_cls, config, *args: Caller(
        flavor, sync_cls, async_cls, config, *args
    )


@pytest.fixture
def make_config() -> Callable[..., ClientConfig]:
    """``make_config(base_url, **overrides)`` with short timeouts and backoff."""
    return fast_config


@pytest.fixture
def config(httpserver: HTTPServer) -> ClientConfig:
    return fast_config(httpserver.url_for("/"))


@pytest.fixture
def hydra(flavor: str, config: ClientConfig) -> Caller:
    return Caller(flavor, HydraAdmin, AsyncHydraAdmin, config)


@pytest.fixture
def kratos_public(flavor: str, config: ClientConfig) -> Caller:
    return Caller(flavor, KratosPublic, AsyncKratosPublic, config)


@pytest.fixture
def kratos_admin(flavor: str, config: ClientConfig) -> Caller:
    return Caller(flavor, KratosAdmin, AsyncKratosAdmin, config)


@pytest.fixture
def dashboard(flavor: str, config: ClientConfig) -> Caller:
    return Caller(flavor, DashboardInternal, AsyncDashboardInternal, config, "internal-token")


class OpenApiDocument:
    """One Ory OpenAPI 3.0 document; validates instances against its response schemas."""

    def __init__(self, path: Path) -> None:
        self.doc = json.loads(path.read_text())
        components = copy.deepcopy(self.doc["components"])
        generic = components["schemas"].get("genericError")
        if generic is not None:
            # go-swagger renders `details map[string]interface{}` as an object with
            # additionalProperties false, yet Kratos puts keys there (e.g. redirect_browser_to).
            generic["properties"]["details"].pop("additionalProperties", None)
        duration = components["schemas"].get("NullDuration")
        if duration is not None:
            # Hydra's x.NullDuration marshals an unset lifespan as null; the spec omits nullable.
            duration["nullable"] = True
        self.components = components

    def response_schema(self, path: str, method: str, status: int | str) -> dict[str, Any]:
        responses = self.doc["paths"][path][method.lower()]["responses"]
        response = responses[str(status)]
        ref = response.get("$ref")
        if ref:
            response = self.components["responses"][ref.rsplit("/", 1)[-1]]
        schema: dict[str, Any] = response["content"]["application/json"]["schema"]
        return schema

    def validate(self, schema: dict[str, Any], instance: Any) -> None:
        root = {"allOf": [schema], "components": self.components}
        OAS30Validator(root, format_checker=oas30_format_checker).validate(instance)

    def validate_response(self, path: str, method: str, status: int, instance: Any) -> None:
        """Validate ``instance`` as the body of ``method path`` answering ``status``."""
        self.validate(self.response_schema(path, method, status), instance)

    def validate_component(self, name: str, instance: Any) -> None:
        """Validate ``instance`` against ``#/components/schemas/<name>``."""
        self.validate({"$ref": f"#/components/schemas/{name}"}, instance)


@pytest.fixture(scope="session")
def hydra_spec(ory_spec: Path) -> OpenApiDocument:
    return OpenApiDocument(ory_spec / "hydra-v25.4.0.json")


@pytest.fixture(scope="session")
def kratos_spec(ory_spec: Path) -> OpenApiDocument:
    return OpenApiDocument(ory_spec / "kratos-v25.4.0.json")
