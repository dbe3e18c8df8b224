"""Login, consent and logout requests: their records, states and the JSON Hydra shows for them.

A flow moves login_initialized → login_unused (accepted) → login_used (verifier redeemed) →
consent_initialized → consent_unused → consent_used, or to login_error / consent_error when
rejected — Hydra's own states. Hydra's challenges and verifiers are the flow itself, encrypted
(flowctx.Decode, v2.3.0 and v25): nothing is stored until the consent verifier is redeemed.
So here every challenge and verifier names its own snapshot, never changed once handed out:
a used challenge reads and accepts as issued (200, a new verifier) until it expires, and a
login verifier replayed starts consent again. Only a consent verifier works once (Hydra
inserts the flow then, and a second insert fails).
"""

from __future__ import annotations

import copy
import secrets
import uuid
from datetime import UTC, datetime
from typing import Any

from devstack import clock
from devstack.hydra.clients import Clients
from devstack.hydra.config import HydraConfig
from devstack.hydra.errors import OAuthError, with_query
from devstack.hydra.store import Store

FLOW = "flow"
ALIAS = "flow_alias"
LOGIN_SESSION = "login_session"
CONSENT = "consent"
LOGOUT = "logout"


def iso(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_challenge() -> str:
    return secrets.token_urlsafe(32)


class Flows:
    def __init__(self, store: Store, config: HydraConfig, clients: Clients) -> None:
        self.store = store
        self.config = config
        self.clients = clients

    def forget_expired(self) -> None:
        """Like `hydra janitor`: drop requests and sessions nobody can use any more."""
        now = clock.time()
        stale = now - self.config.ttls.login_consent_request
        self.store.delete_older(FLOW, "requested_at", stale)
        self.store.delete_older(ALIAS, "created_at", stale)
        self.store.delete_older(LOGOUT, "created_at", stale)
        self.store.delete_older(LOGIN_SESSION, "expires_at", now)
        self.store.delete_older(CONSENT, "expires_at", now)

    # --- records ----------------------------------------------------------------------------
    def save(self, flow: dict[str, Any]) -> None:
        self.store.put(
            FLOW,
            flow.get("snapshot") or flow["login_challenge"],
            flow,
            subject=flow.get("subject"),
            client_id=flow["client_id"],
        )

    @staticmethod
    def fork(flow: dict[str, Any]) -> dict[str, Any]:
        """A copy to hand out under a new challenge or verifier (the one it came from stays
        as it was)."""
        return {**copy.deepcopy(flow), "snapshot": uuid.uuid4().hex}

    def alias(self, kind: str, value: str, flow: dict[str, Any]) -> None:
        key = flow.get("snapshot") or flow["login_challenge"]
        self.store.put(ALIAS, f"{kind}:{value}", {"flow": key, "created_at": clock.time()})

    def by_alias(self, kind: str, value: str) -> dict[str, Any] | None:
        link = self.store.get(ALIAS, f"{kind}:{value}")
        return None if link is None else self.store.get(FLOW, link["flow"])

    def drop_alias(self, kind: str, value: str) -> None:
        self.store.delete(ALIAS, f"{kind}:{value}")

    def _fresh(self, flow: dict[str, Any] | None) -> dict[str, Any]:
        if flow is None:
            raise OAuthError("Not Found")
        if flow["requested_at"] + self.config.ttls.login_consent_request < clock.time():
            kind = "consent" if flow["state"].startswith("consent") else "login"
            raise OAuthError(
                "request_unauthorized", f"The {kind} request has expired, please try again."
            )
        return flow

    def login_flow(self, challenge: str) -> dict[str, Any]:
        return self._fresh(self.store.get(FLOW, challenge) if challenge else None)

    def consent_flow(self, challenge: str) -> dict[str, Any]:
        flow = self.by_alias("consent_challenge", challenge) if challenge else None
        return self._fresh(flow)

    # --- views ------------------------------------------------------------------------------
    def client_view(self, client_id: str) -> dict[str, Any]:
        client = self.clients.get(client_id)
        return Clients.view(client) if client else {"client_id": client_id}

    def login_request(self, flow: dict[str, Any]) -> dict[str, Any]:
        return {
            "challenge": flow["login_challenge"],
            "requested_scope": flow["requested_scope"],
            "requested_access_token_audience": flow["requested_audience"],
            "skip": flow["login_skip"],
            "subject": flow["subject"],
            "oidc_context": flow["oidc_context"],
            "client": self.client_view(flow["client_id"]),
            "request_url": flow["request_url"],
            "session_id": flow["session_id"],
        }

    def consent_request(self, flow: dict[str, Any]) -> dict[str, Any]:
        return {
            "challenge": flow["consent_challenge"],
            "consent_request_id": flow["consent_request_id"],
            "requested_scope": flow["requested_scope"],
            "requested_access_token_audience": flow["requested_audience"],
            "skip": flow["consent_skip"],
            "subject": flow["subject"],
            "oidc_context": flow["oidc_context"],
            "client": self.client_view(flow["client_id"]),
            "request_url": flow["request_url"],
            "login_challenge": flow["login_challenge"],
            "login_session_id": flow["session_id"],
            "acr": flow.get("acr", ""),
            "amr": flow.get("amr") or [],
            "context": flow.get("context"),  # JSONRawMessage: null unless login accept set it
        }

    # --- admin decisions --------------------------------------------------------------------
    def accept_login(self, challenge: str, body: dict[str, Any]) -> str:
        subject = body.get("subject")
        if not isinstance(subject, str) or not subject:
            raise OAuthError("invalid_request", "Field 'subject' must not be empty.")
        with self.store.transaction():
            flow = self.fork(self.login_flow(challenge))
            if flow["login_skip"] and flow["subject"] and subject != flow["subject"]:
                # Hydra: a different user than the remembered one → restart with prompt=login.
                return with_query(flow["request_url"], {"prompt": "login"})
            if flow["login_skip"]:
                body = dict(body, remember=True)
            else:
                flow["authenticated_at"] = int(clock.time())
            flow.update(
                state="login_unused",
                subject=subject,
                login_remember=bool(body.get("remember", False)),
                login_remember_for=int(body.get("remember_for") or 0),
                extend_session_lifespan=bool(body.get("extend_session_lifespan", False)),
                acr=str(body.get("acr") or ""),
                amr=list(body.get("amr") or []),
                context=body.get("context"),
                identity_provider_session_id=str(body.get("identity_provider_session_id") or ""),
                login_error=None,
            )
            verifier = new_challenge()
            flow["login_verifier"] = verifier
            self.save(flow)
            self.alias("login_verifier", verifier, flow)
        return with_query(flow["request_url"], {"login_verifier": verifier})

    def reject_login(self, challenge: str, body: dict[str, Any]) -> str:
        error = denied_error(body, "login")
        with self.store.transaction():
            flow = self.fork(self.login_flow(challenge))
            flow.update(state="login_error", login_error=error)
            verifier = new_challenge()
            flow["login_verifier"] = verifier
            self.save(flow)
            self.alias("login_verifier", verifier, flow)
        return with_query(flow["request_url"], {"login_verifier": verifier})

    def accept_consent(self, challenge: str, body: dict[str, Any]) -> str:
        with self.store.transaction():
            flow = self.fork(self.consent_flow(challenge))
            session = body.get("session") or {}
            flow.update(
                state="consent_unused",
                grant_scope=list(body.get("grant_scope") or []),
                grant_audience=list(body.get("grant_access_token_audience") or []),
                consent_remember=bool(body.get("remember", False)),
                consent_remember_for=int(body.get("remember_for") or 0),
                consent_handled_at=clock.time(),
                session_id_token=dict(session.get("id_token") or {}),
                session_access_token=dict(session.get("access_token") or {}),
                consent_error=None,
            )
            if body.get("context") is not None:
                flow["context"] = body["context"]
            verifier = new_challenge()
            flow["consent_verifier"] = verifier
            self.save(flow)
            self.alias("consent_verifier", verifier, flow)
        return with_query(flow["request_url"], {"consent_verifier": verifier})

    def reject_consent(self, challenge: str, body: dict[str, Any]) -> str:
        error = denied_error(body, "consent")
        with self.store.transaction():
            flow = self.fork(self.consent_flow(challenge))
            flow.update(state="consent_error", consent_error=error)
            verifier = new_challenge()
            flow["consent_verifier"] = verifier
            self.save(flow)
            self.alias("consent_verifier", verifier, flow)
        return with_query(flow["request_url"], {"consent_verifier": verifier})

    # --- login sessions ("remember me") ---------------------------------------------------
    def login_session(self, sid: str | None) -> dict[str, Any] | None:
        if not sid:
            return None
        session = self.store.get(LOGIN_SESSION, sid)
        if session is None or not session.get("remember"):
            return None
        if session.get("expires_at") and session["expires_at"] < clock.time():
            return None
        return session

    def save_login_session(self, session: dict[str, Any]) -> None:
        self.store.put(LOGIN_SESSION, session["id"], session, subject=session["subject"])

    def revoke_login_sessions(self, *, subject: str | None = None, sid: str | None = None) -> None:
        if sid:
            self.store.delete(LOGIN_SESSION, sid)
        if subject:
            for session_id, _ in self.store.find(LOGIN_SESSION, subject=subject):
                self.store.delete(LOGIN_SESSION, session_id)

    # --- consent sessions ------------------------------------------------------------------
    def store_consent(self, flow: dict[str, Any]) -> dict[str, Any]:
        """Hydra's CreateConsentSession: the used consent, kept for listing, skipping, revoking."""
        remember_for = flow.get("consent_remember_for") or 0
        handled = flow.get("consent_handled_at") or clock.time()
        request = self.consent_request(flow)
        request["challenge"] = ""  # Hydra no longer knows it when listing
        record = {
            "consent_request_id": flow["consent_request_id"],
            "grant_scope": flow.get("grant_scope") or [],
            "grant_access_token_audience": flow.get("grant_audience") or [],
            "session": {
                "access_token": flow.get("session_access_token") or {},
                "id_token": flow.get("session_id_token") or {},
            },
            "remember": bool(flow.get("consent_remember")),
            "remember_for": remember_for,
            "handled_at": handled,
            # remember_for 0 means "forever" for consent (unlike login), as in Hydra.
            "expires_at": handled + remember_for if remember_for else None,
            "context": flow.get("context"),  # JSONRawMessage: null unless login accept set it
            "consent_request": request,
            "skip": bool(flow.get("consent_skip")),
            "requested_at": flow["requested_at"],
        }
        self.store.put(
            CONSENT,
            flow["consent_request_id"],
            record,
            subject=flow["subject"],
            client_id=flow["client_id"],
        )
        return record

    def _live_consents(self, subject: str, client_id: str | None = None) -> list[dict[str, Any]]:
        """Consents shown by Hydra: not skipped (a skip reuses an older one), not expired."""
        now = clock.time()
        return [
            record
            for _, record in self.store.find(CONSENT, subject=subject, client_id=client_id)
            if not record["skip"] and (record["expires_at"] is None or record["expires_at"] > now)
        ]

    def remembered_consent(self, subject: str, client_id: str) -> dict[str, Any] | None:
        """Hydra's FindGrantedAndRememberedConsentRequest: the newest remembered consent."""
        remembered = [r for r in self._live_consents(subject, client_id) if r["remember"]]
        return remembered[-1] if remembered else None

    def consent_sessions(self, subject: str, login_session_id: str | None) -> list[dict[str, Any]]:
        return [
            consent_session_view(record)
            for record in self._live_consents(subject)
            if not login_session_id
            or record["consent_request"]["login_session_id"] == login_session_id
        ]

    def revoke_consents(
        self,
        *,
        subject: str | None = None,
        client_id: str | None = None,
        consent_request_id: str | None = None,
    ) -> list[str]:
        """Forget consents (Hydra deletes them); returns the consent request ids revoked."""
        if consent_request_id:
            return [consent_request_id] if self.store.delete(CONSENT, consent_request_id) else []
        revoked = []
        for record_id, _ in self.store.find(CONSENT, subject=subject, client_id=client_id):
            self.store.delete(CONSENT, record_id)
            revoked.append(record_id)
        return revoked

    # --- logout ----------------------------------------------------------------------------
    def new_logout(self, request: dict[str, Any]) -> str:
        """Store a logout request; Hydra stamps times only on browser-initiated ones."""
        challenge = uuid.uuid4().hex
        verifier = uuid.uuid4().hex
        if not request["rp_initiated"]:
            now = clock.time()
            request = dict(
                request,
                requested_at=now,
                expires_at=now + self.config.ttls.login_consent_request,
            )
        request = dict(
            request,
            challenge=challenge,
            verifier=verifier,
            accepted=False,
            rejected=False,
            used=False,
            created_at=clock.time(),
        )
        self.store.put(LOGOUT, challenge, request, subject=request.get("subject"))
        self.store.put(
            ALIAS, f"logout_verifier:{verifier}", {"logout": challenge, "created_at": clock.time()}
        )
        return challenge

    def logout(self, challenge: str) -> dict[str, Any]:
        """A logout request that was not rejected (Hydra's GetLogoutRequest), else 404."""
        request = self.store.get(LOGOUT, challenge) if challenge else None
        if request is None or request["rejected"]:
            # sqlcon.ErrNoRows through Hydra's ErrorEnhancer (v2.3.0 and v25): no description.
            raise OAuthError("Unable to locate the resource", status=404, description="")
        return request

    def logout_by_verifier(self, verifier: str) -> dict[str, Any] | None:
        """Hydra's VerifyAndInvalidateLogoutRequest: accepted, not rejected, not expired."""
        link = self.store.get(ALIAS, f"logout_verifier:{verifier}")
        request = self.store.get(LOGOUT, link["logout"]) if link else None
        if request is None or not request["accepted"] or request["rejected"]:
            return None
        if request.get("expires_at") and request["expires_at"] < clock.time():
            raise OAuthError(
                "request_unauthorized", "The logout request has expired, please try the flow again."
            )
        request["used"] = True
        self.save_logout(request)
        return request

    def save_logout(self, request: dict[str, Any]) -> None:
        self.store.put(LOGOUT, request["challenge"], request, subject=request.get("subject"))

    def logout_view(self, request: dict[str, Any]) -> dict[str, Any]:
        view: dict[str, Any] = {
            "challenge": request["challenge"],
            "subject": request["subject"],
            "sid": request["sid"],
            "request_url": request["request_url"],
            "rp_initiated": request["rp_initiated"],
            "requested_at": iso(request.get("requested_at")),
            "expires_at": iso(request.get("expires_at")),
        }
        # `client` has no omitempty (v2.3.0 and v25): null when no client started the logout.
        view["client"] = (
            self.client_view(request["client_id"]) if request.get("client_id") else None
        )
        return view


def consent_session_view(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "consent_request_id": record["consent_request_id"],
        "grant_scope": record["grant_scope"],
        "grant_access_token_audience": record["grant_access_token_audience"],
        "session": record["session"],
        "remember": record["remember"],
        "remember_for": record["remember_for"],
        "handled_at": iso(record["handled_at"]),
        "context": record["context"],
        "consent_request": record["consent_request"],
    }


def denied_error(body: dict[str, Any], kind: str) -> dict[str, Any]:
    """Hydra's RequestDeniedError with its defaults: error "<kind> request denied", status 400."""
    return {
        "error": str(body.get("error") or f"{kind} request denied"),
        "error_description": str(body.get("error_description") or ""),
        "error_hint": str(body.get("error_hint") or ""),
        "status_code": int(body.get("status_code") or 400),
        "error_debug": str(body.get("error_debug") or ""),
    }
