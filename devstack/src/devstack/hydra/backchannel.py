"""OpenID Connect Back-Channel Logout as Hydra performs it (executeBackChannelLogout).

When a login session ends by a completed logout flow or by `DELETE
/admin/oauth2/auth/sessions/login?sid=` (never by `?subject=`), every client that holds a
consent of that subject made in that login session, and registered a `backchannel_logout_uri`,
gets a POST `logout_token=<JWT>` (form-encoded). The JWT is signed with the ID-token key and
carries iss, aud [client id], iat, jti, events and sid — no sub, no exp. Hydra sends them in
goroutines and does not wait: the caller's answer never depends on the RP's.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

import httpx

from devstack import clock
from devstack.hydra.clients import Clients
from devstack.hydra.config import HydraConfig
from devstack.hydra.flows import CONSENT
from devstack.hydra.keys import SigningKey
from devstack.hydra.store import Store

log = logging.getLogger(__name__)
EVENT = "http://schemas.openid.net/event/backchannel-logout"
# Hydra's retryablehttp client gives up long before this; a stuck RP must not pile up threads.
TIMEOUT_SECONDS = 10.0


class BackChannelLogout:
    def __init__(self, store: Store, config: HydraConfig, clients: Clients, key: SigningKey):
        self.store = store
        self.config = config
        self.clients = clients
        self.key = key

    def clients_for(self, subject: str, sid: str) -> list[dict[str, Any]]:
        """Hydra's listUserAuthenticatedClients(channel "back"): the clients of every stored
        flow of `subject` in login session `sid` (skipped consents included)."""
        seen: dict[str, dict[str, Any]] = {}
        for _, record in self.store.find(CONSENT, subject=subject):
            if record["consent_request"].get("login_session_id") != sid:
                continue
            client_id = record["consent_request"]["client"]["client_id"]
            client = self.clients.get(client_id)
            if client is not None and client.get("backchannel_logout_uri"):
                seen[client_id] = client
        return list(seen.values())

    def logout_token(self, client_id: str, sid: str) -> str:
        return self.key.sign(
            {
                "iss": self.config.issuer_id(),
                "aud": [client_id],
                "iat": int(clock.time()),
                "jti": str(uuid.uuid4()),
                "events": {EVENT: {}},
                "sid": sid,
            }
        )

    def run(self, subject: str, sid: str) -> list[threading.Thread]:
        """Send the logout tokens without waiting for them (the threads, for tests to join)."""
        threads = []
        for client in self.clients_for(subject, sid):
            token = self.logout_token(client["client_id"], sid)
            thread = threading.Thread(
                target=_deliver,
                args=(client["client_id"], client["backchannel_logout_uri"], token),
                daemon=True,
            )
            thread.start()
            threads.append(thread)
        return threads


def _deliver(client_id: str, url: str, token: str) -> None:
    try:
        response = httpx.post(url, data={"logout_token": token}, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        log.error("back-channel logout of client %s to %s failed: %s", client_id, url, exc)
        return
    if response.status_code not in (200, 204):
        log.error(
            "back-channel logout of client %s to %s: expected 200 or 204, got %d",
            client_id,
            url,
            response.status_code,
        )
    else:
        log.info("back-channel logout of client %s sent", client_id)
