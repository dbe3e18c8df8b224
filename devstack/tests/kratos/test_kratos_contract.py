"""The stand-in's surface against Kratos's published OpenAPI document (v25.4.0)."""

from __future__ import annotations

import json
from pathlib import Path

from devstack.kratos import KratosConfig, create_apps
from devstack.kratos.config import DEFAULT_IDENTITY_SCHEMA
from starlette.routing import Route

from .kratos_contract import KratosContract

# Real Kratos routes its OpenAPI document leaves out: the links mailed for recovery and
# verification are opened with GET on the submit URLs; whoami answers on any method; the admin
# port serves health and version under /admin (the documented bare paths redirect there).
UNDOCUMENTED_REAL_ROUTES = {
    ("GET", "/self-service/recovery"),
    ("GET", "/self-service/verification"),
    ("GET", "/self-service/settings"),  # where a refresh login returns to (settings/handler.go)
    *((m, "/sessions/whoami") for m in ("POST", "PUT", "PATCH", "OPTIONS")),
    *(("GET", f"/admin{p}") for p in ("/health/alive", "/health/ready", "/version")),
}


def test_every_route_is_an_operation_of_kratos(ory_spec: Path) -> None:
    contract = KratosContract.load(ory_spec)
    assert contract.validate_schema
    public_app, admin_app = create_apps(KratosConfig())
    missing = []
    for app in (public_app, admin_app):
        for route in app.routes:
            assert isinstance(route, Route)
            for method in sorted((route.methods or set()) - {"HEAD"}):
                if (method, route.path) in UNDOCUMENTED_REAL_ROUTES:
                    continue
                template = route.path.replace("{external_id}", "{externalID}")
                if contract.operation(method, template) is None:
                    missing.append(f"{method} {route.path}")
    assert missing == []


def test_identity_schema_declares_what_kratos_reads() -> None:
    schema = json.loads(DEFAULT_IDENTITY_SCHEMA.read_text())
    traits = schema["properties"]["traits"]
    email = traits["properties"]["email"]
    ext = email["ory.sh/kratos"]
    assert email["format"] == "email"
    assert ext["credentials"]["password"]["identifier"] is True
    assert ext["recovery"]["via"] == "email"
    assert ext["verification"]["via"] == "email"
    assert traits["properties"]["name"]["maxLength"] == 100
    username = traits["properties"]["username"]
    assert username["maxLength"] == 64
    assert username["pattern"]
    assert traits["required"] == ["email"]
    assert traits["additionalProperties"] is False
