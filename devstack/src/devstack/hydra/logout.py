"""GET/POST /oauth2/sessions/logout: Hydra's RP- and browser-initiated logout.

Errors go to `urls.error` (Hydra's forwardError); every other outcome is a 302.
"""

from __future__ import annotations

from typing import Any

from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from devstack import clock
from devstack.hydra.authorize import request_params
from devstack.hydra.cookie_names import SESSION
from devstack.hydra.errors import OAuthError, redirect_to_error_url, with_query
from devstack.hydra.registry import Registry


class LogoutEndpoint:
    def __init__(self, registry: Registry) -> None:
        self.r = registry

    async def handle(self, request: Request) -> Response:
        params = await request_params(request)
        try:
            verifier = request.query_params.get("logout_verifier", "")
            if verifier:
                return self.complete(request, verifier)
            return self.start(request, params)
        except OAuthError as err:
            return redirect_to_error_url(self.r.config.error_url, err)

    def _redirect(self, url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=302)

    def start(self, request: Request, params: dict[str, str]) -> Response:
        """Hydra's issueLogoutVerifier."""
        cfg = self.r.config
        flows = self.r.flows
        target = cfg.post_logout_redirect_url
        hint = params.get("id_token_hint", "")
        state = params.get("state", "")
        requested = params.get("post_logout_redirect_uri", "")
        request_url = str(request.url)
        if not hint:
            if state:
                raise OAuthError(
                    "invalid_request",
                    "Logout failed because query parameter state is set but id_token_hint is "
                    "missing.",
                )
            if requested:
                raise OAuthError(
                    "invalid_request",
                    "Logout failed because query parameter post_logout_redirect_uri is set but "
                    "id_token_hint is missing.",
                )
            session = flows.login_session(request.cookies.get(cfg.cookie_name(SESSION)))
            if session is None:
                return self._redirect(target)
            challenge = flows.new_logout(
                {
                    "request_url": request_url,
                    "subject": session["subject"],
                    "sid": session["id"],
                    "rp_initiated": False,
                    "client_id": None,
                    "post_logout_redirect_uri": target,
                }
            )
            return self._redirect(with_query(cfg.logout_url, {"logout_challenge": challenge}))

        claims = self._hint_claims(hint)
        client = None
        aud = claims.get("aud")
        for candidate in aud if isinstance(aud, list) else [aud]:
            client = self.r.clients.get(str(candidate or ""))
            if client is not None:
                break
        if client is None:
            raise OAuthError(
                "invalid_request",
                "Logout failed because none of the listed audiences is a registered OAuth 2.0 "
                "Client.",
            )
        if requested:
            if requested not in client["post_logout_redirect_uris"]:
                raise OAuthError(
                    "invalid_request",
                    "Logout failed because query parameter post_logout_redirect_uri is not a "
                    "whitelisted as a post_logout_redirect_uri for the client.",
                )
            target = with_query(requested, {"state": state}) if state else requested
        session = flows.login_session(claims["sid"])
        if session is None:
            # Nothing left to end: Hydra goes straight to the post-logout URL.
            return self._redirect(target)
        challenge = flows.new_logout(
            {
                "request_url": request_url,
                "subject": session["subject"],
                "sid": claims["sid"],
                "rp_initiated": True,
                "client_id": client["client_id"],
                "post_logout_redirect_uri": target,
            }
        )
        return self._redirect(with_query(cfg.logout_url, {"logout_challenge": challenge}))

    def _hint_claims(self, hint: str) -> dict[str, Any]:
        """The id_token_hint's claims; signature checked, expiry not (as in Hydra)."""
        issuer = self.r.config.issuer_id()
        try:
            claims = self.r.key.verify(hint)
        except (JoseError, ValueError) as exc:
            raise OAuthError("invalid_request", str(exc)) from None
        if claims.get("iss") != issuer:
            raise OAuthError(
                "invalid_request",
                f"Logout failed because issuer claim value '{claims.get('iss', '')}' from query "
                f"parameter id_token_hint does not match with issuer value from configuration "
                f"'{issuer}'.",
            )
        iat = claims.get("iat")
        if not isinstance(iat, int | float) or iat > clock.time() + 1:
            raise OAuthError(
                "invalid_request",
                f"Logout failed because iat claim value '{iat}' from query parameter "
                f"id_token_hint is before now ('{int(clock.time())}').",
            )
        if not claims.get("sid"):
            raise OAuthError(
                "invalid_request",
                "Logout failed because query parameter id_token_hint is missing sid claim.",
            )
        if not claims.get("sub"):
            raise OAuthError(
                "invalid_request",
                "Logout failed because query parameter id_token_hint is missing sub claim.",
            )
        return claims

    def complete(self, request: Request, verifier: str) -> Response:
        """Hydra's completeLogout: end the login session, clear the cookie, go on."""
        cfg = self.r.config
        flows = self.r.flows
        logout = flows.logout_by_verifier(verifier)
        if logout is None:
            raise OAuthError("Not Found")
        cookie = cfg.cookie_name(SESSION)
        if not logout["rp_initiated"]:
            session = flows.login_session(request.cookies.get(cookie))
            if session is None or session["subject"] != logout["subject"]:
                return self._redirect(logout["post_logout_redirect_uri"])
        # Hydra: back-channel first; it finds the clients through the session's flows.
        self.r.backchannel.run(logout["subject"], logout["sid"])
        flows.revoke_login_sessions(sid=logout["sid"])
        response = self._redirect(logout["post_logout_redirect_uri"])
        response.delete_cookie(cookie, path="/", httponly=True, samesite="lax")
        return response
