"""Seeding on every start, safe to repeat: the admin identity in Kratos and the OAuth2 clients
of the dashboard and the demo app in Hydra. (dashboard_api.bootstrap seeds the dashboard's
database.)"""

from __future__ import annotations

import logging

from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.errors import NotFound
from stackspin_clients.models import (
    CreateIdentity,
    JsonPatch,
    OAuth2Client,
    UpdateIdentity,
    VerifiableAddress,
)

from devstack.runner.state import SeededClient

log = logging.getLogger("devstack.runner")


def ensure_admin(kratos_admin_url: str, email: str, password: str, *, reset: bool) -> str:
    """The admin's identity id; created (email verified) when missing. `reset` sets the
    password again (a new DEVSTACK_ADMIN_PASSWORD)."""
    with KratosAdmin(ClientConfig(kratos_admin_url)) as kratos:
        found = kratos.list_identities(credentials_identifier=email).identities
        if found:
            identity = found[0]
            if reset:
                kratos.update_identity(
                    identity.id,
                    UpdateIdentity(
                        schema_id=identity.schema_id,
                        traits=identity.traits,
                        state="active",
                        metadata_public=identity.metadata_public,
                        metadata_admin=identity.metadata_admin,
                        credentials={"password": {"config": {"password": password}}},
                    ),
                )
                log.info("admin password of %s set again", email)
            return str(identity.id)
        created = kratos.create_identity(
            CreateIdentity(
                traits={"email": email, "name": "Admin", "username": "admin"},
                state="active",
                credentials={"password": {"config": {"password": password}}},
                verifiable_addresses=[
                    VerifiableAddress(value=email, verified=True, via="email", status="completed")
                ],
            )
        )
        log.info("admin identity created for %s", email)
        return str(created.id)


def ensure_client(
    hydra_admin_url: str,
    known: SeededClient | None,
    *,
    name: str,
    redirect_uri: str,
    post_logout_redirect_uri: str,
    scope: str,
) -> SeededClient:
    """The confidential authorization-code client `name`: the one created on an earlier run
    (its redirect URIs brought up to date), or a new one."""
    with HydraAdmin(ClientConfig(hydra_admin_url)) as hydra:
        if known is not None:
            try:
                hydra.get_oauth2_client(known.client_id)
            except NotFound:
                log.info("Hydra forgot the %s client; creating it again", name)
            else:
                hydra.patch_oauth2_client(
                    known.client_id,
                    [
                        JsonPatch(op="replace", path="/redirect_uris", value=[redirect_uri]),
                        JsonPatch(
                            op="replace",
                            path="/post_logout_redirect_uris",
                            value=[post_logout_redirect_uri],
                        ),
                    ],
                )
                return known
        created = hydra.create_oauth2_client(
            OAuth2Client(
                client_name=name,
                redirect_uris=[redirect_uri],
                post_logout_redirect_uris=[post_logout_redirect_uri],
                grant_types=["authorization_code", "refresh_token"],
                response_types=["code"],
                scope=scope,
                token_endpoint_auth_method="client_secret_basic",  # noqa: S106 (a method name)
            )
        )
        if not created.client_id or not created.client_secret:
            raise RuntimeError(f"Hydra created the {name} client without an id or secret")
        log.info("Hydra client %s created for %s", created.client_id, name)
        return SeededClient(created.client_id, created.client_secret)
