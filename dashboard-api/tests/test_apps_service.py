"""Apps and their OAuth2 clients, kept in step with the Hydra stand-in."""

from __future__ import annotations

import pytest
from dashboard_api.apps import service as apps
from dashboard_api.apps.schemas import AppCreate, AppUpdate, ClientCreate
from dashboard_api.context import Context
from dashboard_api.errors import Conflict, NotFound, Unprocessable
from dashboard_api.roles import repository as roles_repository
from dashboard_api.roles import service as roles
from stackspin_clients import errors as ory_errors


def test_deleting_an_app_removes_everyones_roles_and_its_clients(
    ctx: Context, make_identity
) -> None:
    apps.create_app(ctx, data=AppCreate(slug="gone", name="Gone"))
    client = apps.create_client(
        ctx, slug="gone", data=ClientCreate(redirect_uris=["https://gone.example/cb"])
    )
    person = make_identity()
    roles.set_role(ctx, subject=person, app_slug="gone", role="admin")
    apps.delete_app(ctx, slug="gone")
    ctx.session.flush()
    assert roles_repository.assignments_for(ctx.session, [person]).get(person, []) == []
    with pytest.raises(ory_errors.NotFound):
        ctx.ory.hydra.get_oauth2_client(client.client_id)


def test_a_public_client_has_no_secret_to_rotate(ctx: Context) -> None:
    apps.create_app(ctx, data=AppCreate(slug="spa", name="SPA"))
    client = apps.create_client(
        ctx,
        slug="spa",
        data=ClientCreate(
            redirect_uris=["https://spa.example/cb"], token_endpoint_auth_method="none"
        ),
    )
    assert client.client_secret is None
    with pytest.raises(Conflict):
        apps.rotate_secret(ctx, slug="spa", client_id=client.client_id)


def test_a_client_belongs_to_one_app(ctx: Context) -> None:
    apps.create_app(ctx, data=AppCreate(slug="one", name="One"))
    apps.create_app(ctx, data=AppCreate(slug="two", name="Two"))
    client = apps.create_client(
        ctx, slug="one", data=ClientCreate(redirect_uris=["https://one.example/cb"])
    )
    apps.link_client(ctx, slug="one", client_id=client.client_id)  # again: nothing to do
    with pytest.raises(Conflict):
        apps.link_client(ctx, slug="two", client_id=client.client_id)
    with pytest.raises(NotFound):
        apps.delete_client(ctx, slug="two", client_id=client.client_id)
    with pytest.raises(NotFound):
        apps.link_client(ctx, slug="two", client_id="no-such-client")


def test_a_client_deleted_in_hydra_shows_as_missing_and_can_be_removed(ctx: Context) -> None:
    apps.create_app(ctx, data=AppCreate(slug="drift", name="Drift"))
    client = apps.create_client(
        ctx, slug="drift", data=ClientCreate(redirect_uris=["https://d.example/cb"])
    )
    ctx.ory.hydra.delete_oauth2_client(client.client_id)
    (listed,) = apps.list_clients(ctx, slug="drift")
    assert listed.in_hydra is False
    apps.delete_client(ctx, slug="drift", client_id=client.client_id)
    assert apps.list_clients(ctx, slug="drift") == []


def test_update_checks_claim_names_against_the_stored_ones(ctx: Context) -> None:
    claims = AppCreate(slug="claims", name="Claims", extra_claims={"groups": ["a"]})
    apps.create_app(ctx, data=claims)
    with pytest.raises(Unprocessable):
        apps.update_app(ctx, slug="claims", data=AppUpdate(role_claim="groups"))
    updated = apps.update_app(ctx, slug="claims", data=AppUpdate(url=None, trusted=True))
    assert updated.trusted is True
    assert updated.url is None


def test_everyone_may_sign_in_to_the_dashboard_but_not_to_an_app_without_a_role(
    ctx: Context, make_identity
) -> None:
    from dashboard_api.internal.service import consent_decision

    dashboard = apps.create_client(
        ctx, slug="dashboard", data=ClientCreate(redirect_uris=["https://dash.example/cb"])
    )
    apps.create_app(ctx, data=AppCreate(slug="notes", name="Notes"))
    notes = apps.create_client(
        ctx, slug="notes", data=ClientCreate(redirect_uris=["https://n.example/cb"])
    )
    person = make_identity()
    assert roles_repository.assignments_for(ctx.session, [person]).get(person, []) == []
    allowed = consent_decision(ctx, person, dashboard.client_id)
    assert (allowed.allowed, allowed.role) == (True, "user")
    assert allowed.claims["role"] == "user"
    denied = consent_decision(ctx, person, notes.client_id)
    assert (denied.allowed, denied.reason) == (False, "no_role")
    roles.set_role(ctx, subject=person, app_slug="dashboard", role="admin")
    assert consent_decision(ctx, person, dashboard.client_id).role == "admin"
