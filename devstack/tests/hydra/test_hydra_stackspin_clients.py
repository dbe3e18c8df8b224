"""Our own client library (stackspin_clients.HydraAdmin) against the stand-in."""

from __future__ import annotations

import pytest
from stackspin_clients import ClientConfig, HydraAdmin
from stackspin_clients.errors import NotFound
from stackspin_clients.models.hydra import (
    AcceptConsent,
    AcceptLogin,
    ConsentSessionData,
    OAuth2Client,
)

from .conftest import RP, query_of


@pytest.fixture
def hydra_admin(hydra):
    with HydraAdmin(ClientConfig(base_url=hydra.admin_url, max_retries=0)) as client:
        yield client


def test_login_and_consent_through_hydra_admin(hydra, browser, hydra_admin):
    client = hydra.create_client()
    start, _ = browser.start(client)
    challenge = query_of(start)["login_challenge"]
    login = hydra_admin.get_login_request(challenge)
    assert login.skip is False
    accepted = hydra_admin.accept_login_request(
        challenge, AcceptLogin(subject="vera", remember=True)
    )
    to_consent = browser.get(accepted.redirect_to)
    consent_challenge = query_of(to_consent)["consent_challenge"]
    consent = hydra_admin.get_consent_request(consent_challenge)
    done = hydra_admin.accept_consent_request(
        consent_challenge,
        AcceptConsent(
            grant_scope=consent.requested_scope,
            remember=True,
            session=ConsentSessionData(id_token={"email": "vera@example.org"}),
        ),
    )
    assert browser.get(done.redirect_to).headers["location"].startswith(RP)

    # A used challenge still reads as issued (Hydra decodes it) and is answered again with a
    # new verifier.
    assert hydra_admin.get_login_request(challenge).skip is False
    again = hydra_admin.accept_login_request(challenge, AcceptLogin(subject="vera"))
    assert again.redirect_to.startswith(hydra.public_url + "/oauth2/auth?")
    assert "login_verifier=" in again.redirect_to
    with pytest.raises(NotFound):
        hydra_admin.get_consent_request("unknown")

    sessions = hydra_admin.list_consent_sessions("vera")
    assert [s.consent_request.client.client_id for s in sessions] == [client["client_id"]]
    hydra_admin.revoke_consent_sessions("vera", client=client["client_id"])
    assert hydra_admin.list_consent_sessions("vera") == []
    hydra_admin.revoke_login_sessions(subject="vera")


def test_clients_through_hydra_admin(hydra_admin):
    created = [
        hydra_admin.create_oauth2_client(OAuth2Client(client_name=f"app {i}", redirect_uris=[RP]))
        for i in range(3)
    ]
    assert all(c.client_secret for c in created)
    listed = list(hydra_admin.iter_oauth2_clients(page_size=2))
    assert sorted(c.client_id for c in listed) == sorted(c.client_id for c in created)
    page = hydra_admin.list_oauth2_clients(page_size=2)
    assert len(page.clients) == 2
    assert page.next_page_token
    one = created[0]
    hydra_admin.delete_oauth2_client(one.client_id)
    with pytest.raises(NotFound):
        hydra_admin.get_oauth2_client(one.client_id)
