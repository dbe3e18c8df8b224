"""First start of dashboard-api in docker compose (and the Kubernetes migration Job), after
`dashboard-api migrate`; safe to run on every start.

1. The dashboard's OAuth2 client exists in Hydra with DASHBOARD_OAUTH_CLIENT_ID/_SECRET and
   redirect URIs on DASHBOARD_PUBLIC_URL (kept up to date when that URL changes).
2. `dashboard_api.bootstrap.seed` (what `dashboard-api seed` runs): the `dashboard` app, linked
   to that client.
3. The first admin, SEED_ADMIN_EMAIL, when Kratos has no such identity yet: created with the
   admin role through `dashboard_api.bootstrap.invite_admin`, so the invitation (a one-time
   recovery code) arrives by mail: no password ever sits in an environment file or a log.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from dashboard_api import bootstrap
from dashboard_api.config import Settings
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.errors import NotFound, ServiceUnavailable
from stackspin_clients.models import JsonPatch, OAuth2Client

log = logging.getLogger("bootstrap")
SCOPE = "openid offline_access email profile"
# compose starts us once Hydra and Kratos have started, not once they answer.
WAIT_FOR_ORY_SECONDS = 120.0
T = TypeVar("T")


def when_up(what: str, call: Callable[[], T]) -> T:
    """`call()`, retried while the Ory server is still starting."""
    deadline = time.monotonic() + WAIT_FOR_ORY_SECONDS
    while True:
        try:
            return call()
        except ServiceUnavailable:
            if time.monotonic() > deadline:
                raise
            log.info("waiting for %s", what)
            time.sleep(2)


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise SystemExit(f"bootstrap: {name} is not set")
    return value


def ensure_dashboard_client(hydra: HydraAdmin, client_id: str, secret: str, public: str) -> None:
    redirect_uris = [f"{public}/api/v1/auth/callback"]
    logout_uris = [f"{public}/"]
    try:
        existing = hydra.get_oauth2_client(client_id)
    except NotFound:
        hydra.create_oauth2_client(
            OAuth2Client(
                client_id=client_id,
                client_secret=secret,
                client_name="Dashboard",
                redirect_uris=redirect_uris,
                post_logout_redirect_uris=logout_uris,
                grant_types=["authorization_code", "refresh_token"],
                response_types=["code"],
                scope=SCOPE,
                token_endpoint_auth_method="client_secret_basic",  # noqa: S106 (a method name)
            )
        )
        log.info("created the dashboard's Hydra client %s", client_id)
        return
    if existing.redirect_uris != redirect_uris or existing.post_logout_redirect_uris != logout_uris:
        hydra.patch_oauth2_client(
            client_id,
            [
                JsonPatch(op="replace", path="/redirect_uris", value=redirect_uris),
                JsonPatch(op="replace", path="/post_logout_redirect_uris", value=logout_uris),
            ],
        )
        log.info("updated the redirect URIs of Hydra client %s", client_id)


def admin_exists(kratos: KratosAdmin, email: str) -> bool:
    return bool(kratos.list_identities(credentials_identifier=email).identities)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="bootstrap: %(message)s", stream=sys.stderr)
    public = required("DASHBOARD_PUBLIC_URL").rstrip("/")
    client_id = required("DASHBOARD_OAUTH_CLIENT_ID")
    admin_email = required("SEED_ADMIN_EMAIL")
    with HydraAdmin(ClientConfig(required("DASHBOARD_HYDRA_ADMIN_URL"))) as hydra:
        ensure_dashboard_client(hydra, client_id, required("DASHBOARD_OAUTH_CLIENT_SECRET"), public)
    settings = Settings()  # DASHBOARD_* of this container
    try:
        bootstrap.seed(settings, dashboard_client_id=client_id)
        with KratosAdmin(ClientConfig(required("DASHBOARD_KRATOS_ADMIN_URL"))) as kratos:
            if when_up("Kratos", lambda: admin_exists(kratos, admin_email)):
                log.info("the admin account exists already")
                return
        bootstrap.invite_admin(settings, email=admin_email)
    except bootstrap.SeedError as exc:
        raise SystemExit(f"bootstrap: {exc}") from exc
    log.info("admin account created; the invitation went to %s", admin_email)


if __name__ == "__main__":
    main()
