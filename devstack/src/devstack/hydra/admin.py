"""Hydra's admin API: login/consent/logout requests, clients, sessions, introspection, health."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.hydra.bodies import ACCEPT_CONSENT, ACCEPT_LOGIN, JSON_TYPE_NAMES, REJECT, check_body
from devstack.hydra.clients import client_not_found
from devstack.hydra.errors import OAuthError, with_query
from devstack.hydra.registry import Registry
from devstack.json_patch import PatchError, apply_ory_patch

DEFAULT_PAGE_SIZE = 250
MAX_PAGE_SIZE = 1000


def _challenge(request: Request, kind: str) -> str:
    challenge = request.query_params.get(f"{kind}_challenge") or request.query_params.get(
        "challenge", ""
    )
    if not challenge:
        raise OAuthError(
            "invalid_request", "Query parameter 'challenge' is not defined but should have been."
        )
    return challenge


async def _decode(request: Request) -> Any:
    raw = await request.body()
    return json.loads(raw) if raw.strip() else {}


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        # Go's json.Decoder on an empty body.
        raise OAuthError("invalid_request", "Unable to decode body because: EOF")
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise OAuthError("invalid_request", f"Unable to decode body because: {exc}") from None


async def _client_body(request: Request) -> Any:
    """Client endpoints decode with herodot's 400 wording rather than fosite's."""
    raw = await request.body()
    try:
        body = json.loads(raw) if raw.strip() else None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise bad_request(f"Unable to decode the request body: {exc}") from None
    if body is None and not raw.strip():
        raise bad_request("Unable to decode the request body: EOF")
    if not isinstance(body, dict):
        raise bad_request("Unable to decode the request body: expected a JSON object")
    return body


def bad_request(reason: str) -> OAuthError:
    return OAuthError(
        "The request was malformed or contained invalid parameters", status=400, description=reason
    )


async def _json_object(
    request: Request, struct: str, fields: dict[str, tuple[str, tuple[type, ...]]]
) -> dict[str, Any]:
    body = await _json_body(request)
    if not isinstance(body, dict):
        got = JSON_TYPE_NAMES.get(type(body), "value")
        raise OAuthError(
            "invalid_request",
            f"Unable to decode body because: json: cannot unmarshal {got} into Go value of type "
            f"{struct}",
        )
    check_body(body, struct, fields)
    return body


def _redirect(url: str) -> JSONResponse:
    return JSONResponse({"redirect_to": url})


def _page_params(request: Request) -> tuple[int, str | None]:
    raw = request.query_params.get("page_size")
    try:
        size = int(raw) if raw else DEFAULT_PAGE_SIZE
    except ValueError:
        raise OAuthError("invalid_request", "Unable to parse page_size.") from None
    size = max(1, min(size, MAX_PAGE_SIZE))
    return size, request.query_params.get("page_token") or None


def _link_headers(response: Response, request: Request, size: int, next_token: str | None) -> None:
    """ory/x keysetpagination: a `first` link always, a `next` link unless this is the last page."""
    path = request.url.path
    others = [
        (k, v)
        for k, v in request.query_params.multi_items()
        if k not in ("page_size", "page_token")
    ]

    def link(token: str, rel: str) -> str:
        # Go's url.Values.Encode sorts by key.
        pairs = sorted([*others, ("page_size", str(size)), ("page_token", token)])
        return f'<{path}?{urlencode(pairs)}>; rel="{rel}"'

    links = [link("", "first")]
    if next_token is not None:
        links.append(link(next_token, "next"))
    response.headers["Link"] = ",".join(links)


class AdminApp:
    def __init__(self, registry: Registry) -> None:
        self.r = registry

    # --- login / consent ---------------------------------------------------------------
    async def get_login(self, request: Request) -> Response:
        # Hydra's challenges are encrypted requests, not records: until it expires, a used one
        # still reads as the request it was when issued (200, never 410).
        flow = self.r.flows.login_flow(_challenge(request, "login"))
        view = self.r.flows.login_request(flow)
        if not flow["login_skip"]:
            view["subject"] = ""  # set by the accept, after the challenge was issued
        return JSONResponse(view)

    async def accept_login(self, request: Request) -> Response:
        challenge = _challenge(request, "login")
        return _redirect(
            self.r.flows.accept_login(
                challenge, await _json_object(request, "flow.HandledLoginRequest", ACCEPT_LOGIN)
            )
        )

    async def reject_login(self, request: Request) -> Response:
        challenge = _challenge(request, "login")
        return _redirect(
            self.r.flows.reject_login(
                challenge, await _json_object(request, "flow.RequestDeniedError", REJECT)
            )
        )

    async def get_consent(self, request: Request) -> Response:
        flow = self.r.flows.consent_flow(_challenge(request, "consent"))  # used: as issued
        return JSONResponse(self.r.flows.consent_request(flow))

    async def accept_consent(self, request: Request) -> Response:
        challenge = _challenge(request, "consent")
        return _redirect(
            self.r.flows.accept_consent(
                challenge,
                await _json_object(request, "flow.AcceptOAuth2ConsentRequest", ACCEPT_CONSENT),
            )
        )

    async def reject_consent(self, request: Request) -> Response:
        challenge = _challenge(request, "consent")
        return _redirect(
            self.r.flows.reject_consent(
                challenge, await _json_object(request, "flow.RequestDeniedError", REJECT)
            )
        )

    # --- logout ----------------------------------------------------------------------------
    async def get_logout(self, request: Request) -> Response:
        logout = self.r.flows.logout(_challenge(request, "logout"))
        if logout["used"]:
            return JSONResponse({"redirect_to": logout["request_url"]}, status_code=410)
        return JSONResponse(self.r.flows.logout_view(logout))

    async def accept_logout(self, request: Request) -> Response:
        logout = self.r.flows.logout(_challenge(request, "logout"))
        logout["accepted"] = True
        self.r.flows.save_logout(logout)
        url = self.r.config.public_base() + "oauth2/sessions/logout"
        return _redirect(with_query(url, {"logout_verifier": logout["verifier"]}))

    async def reject_logout(self, request: Request) -> Response:
        logout = self.r.flows.logout(_challenge(request, "logout"))
        # Hydra marks it rejected; from then on the request is not found.
        logout.update(rejected=True, accepted=False)
        self.r.flows.save_logout(logout)
        return Response(status_code=204)

    # --- clients ---------------------------------------------------------------------------
    async def list_clients(self, request: Request) -> Response:
        size, token = _page_params(request)
        name = request.query_params.get("client_name")
        owner = request.query_params.get("owner")
        # Keyset by client id, filters applied before paging, as Hydra's SQL query does.
        matching = [
            client
            for client in self.r.clients.after(token)
            if (name is None or client["client_name"] == name)
            and (owner is None or client["owner"] == owner)
        ]
        page = matching[:size]
        response = JSONResponse(page)
        more = len(matching) > size
        _link_headers(response, request, size, page[-1]["client_id"] if more else None)
        return response

    async def create_client(self, request: Request) -> Response:
        created = self.r.clients.create(await _client_body(request))
        location = "/admin/clients/" + quote(created["client_id"], safe="")
        return JSONResponse(created, status_code=201, headers={"Location": location})

    def _client(self, request: Request) -> dict[str, Any]:
        client = self.r.clients.get(request.path_params["id"])
        if client is None:
            raise client_not_found()
        return client

    async def get_client(self, request: Request) -> Response:
        return JSONResponse(self.r.clients.view(self._client(request)))

    async def set_client(self, request: Request) -> Response:
        body = await _client_body(request)
        self._client(request)
        return JSONResponse(self.r.clients.replace(request.path_params["id"], body))

    async def patch_client(self, request: Request) -> Response:
        try:
            operations = await _decode(request)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise bad_request(f"Unable to decode the request body: {exc}") from None
        current = self.r.clients.view(self._client(request))
        try:
            patched = apply_ory_patch(current, operations, deny=("/id",))
        except PatchError as exc:
            raise bad_request(str(exc)) from None
        if patched.get("client_id") != current["client_id"]:
            raise bad_request("The client_id cannot be changed.")
        return JSONResponse(self.r.clients.replace(current["client_id"], patched))

    async def delete_client(self, request: Request) -> Response:
        self._client(request)
        self.r.clients.delete(request.path_params["id"])
        return Response(status_code=204)

    # --- sessions --------------------------------------------------------------------------
    async def list_consent_sessions(self, request: Request) -> Response:
        subject = request.query_params.get("subject", "")
        if not subject:
            raise OAuthError(
                "invalid_request", "Query parameter 'subject' is not defined but should have been."
            )
        size, token = _page_params(request)
        sessions = self.r.flows.consent_sessions(
            subject, request.query_params.get("login_session_id")
        )
        start = int(token) if token and token.isdigit() else 0
        page = sessions[start : start + size]
        response = JSONResponse(page)
        if sessions:  # Hydra answers an empty list without pagination headers
            more = start + size < len(sessions)
            _link_headers(response, request, size, str(start + size) if more else None)
        return response

    async def revoke_consent_sessions(self, request: Request) -> Response:
        query = request.query_params
        subject = query.get("subject", "")
        client = query.get("client", "")
        request_id = query.get("consent_request_id", "")
        every = query.get("all") == "true"
        # Exactly Hydra's three accepted combinations.
        if request_id and not subject and not client:
            revoked = self.r.flows.revoke_consents(consent_request_id=request_id)
        elif not request_id and subject and client and not every:
            revoked = self.r.flows.revoke_consents(subject=subject, client_id=client)
        elif not request_id and subject and not client and every:
            revoked = self.r.flows.revoke_consents(subject=subject)
        else:
            raise OAuthError("invalid_request", "Invalid combination of query parameters.")
        for grant in revoked:
            self.r.tokens.revoke_request(grant)
        return Response(status_code=204)

    async def revoke_login_sessions(self, request: Request) -> Response:
        subject = request.query_params.get("subject", "")
        sid = request.query_params.get("sid", "")
        if not subject and not sid:
            raise OAuthError(
                "invalid_request",
                "Either 'subject' or 'sid' query parameters need to be defined.",
            )
        # With a sid Hydra ends only that session, after its back-channel logout (only of a
        # remembered session: Hydra needs its subject); by subject, no logout is sent.
        if sid:
            session = self.r.flows.login_session(sid)
            if session is not None:
                self.r.backchannel.run(session["subject"], sid)
            self.r.flows.revoke_login_sessions(sid=sid)
        else:
            self.r.flows.revoke_login_sessions(subject=subject)
        return Response(status_code=204)

    # --- introspection ---------------------------------------------------------------------
    async def introspect(self, request: Request) -> Response:
        form = await request.form()
        token = str(form.get("token", ""))
        if not token:
            raise OAuthError("invalid_request", "The POST body can not be empty.")
        record = self.r.tokens.active(token)
        if record is None:
            return JSONResponse({"active": False})
        wanted = [s for s in str(form.get("scope", "")).split(" ") if s]
        if not set(wanted) <= set(record["scope"]):
            return JSONResponse({"active": False})
        return JSONResponse(self.r.tokens.introspection(record))

    async def delete_tokens(self, request: Request) -> Response:
        client_id = request.query_params.get("client_id", "")
        if not client_id:
            raise OAuthError(
                "invalid_request",
                "Query parameter 'client_id' is not defined but it should have been.",
            )
        self.r.tokens.delete_access_tokens(client_id)
        return Response(status_code=204)

    async def version(self, request: Request) -> Response:
        return JSONResponse({"version": "v25.4.0"})

    def routes(self) -> list[Route]:
        base = "/admin/oauth2/auth/requests"
        return [
            Route(f"{base}/login", self.get_login),
            Route(f"{base}/login/accept", self.accept_login, methods=["PUT"]),
            Route(f"{base}/login/reject", self.reject_login, methods=["PUT"]),
            Route(f"{base}/consent", self.get_consent),
            Route(f"{base}/consent/accept", self.accept_consent, methods=["PUT"]),
            Route(f"{base}/consent/reject", self.reject_consent, methods=["PUT"]),
            Route(f"{base}/logout", self.get_logout),
            Route(f"{base}/logout/accept", self.accept_logout, methods=["PUT"]),
            Route(f"{base}/logout/reject", self.reject_logout, methods=["PUT"]),
            Route("/admin/clients", self.list_clients, methods=["GET"]),
            Route("/admin/clients", self.create_client, methods=["POST"]),
            Route("/admin/clients/{id}", self.get_client, methods=["GET"]),
            Route("/admin/clients/{id}", self.set_client, methods=["PUT"]),
            Route("/admin/clients/{id}", self.patch_client, methods=["PATCH"]),
            Route("/admin/clients/{id}", self.delete_client, methods=["DELETE"]),
            Route("/admin/oauth2/auth/sessions/consent", self.list_consent_sessions),
            Route(
                "/admin/oauth2/auth/sessions/consent",
                self.revoke_consent_sessions,
                methods=["DELETE"],
            ),
            Route(
                "/admin/oauth2/auth/sessions/login", self.revoke_login_sessions, methods=["DELETE"]
            ),
            Route("/admin/oauth2/introspect", self.introspect, methods=["POST"]),
            Route("/admin/oauth2/tokens", self.delete_tokens, methods=["DELETE"]),
            Route("/version", self.version),
        ]
