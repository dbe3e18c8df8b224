"""The demo relying party as a Starlette app; its paths keep the `/demo` prefix."""

from __future__ import annotations

import base64
import json
import logging
import warnings
from dataclasses import dataclass
from typing import Any

import authlib.deprecate  # noqa: F401  (it installs an "always" filter on import)
import httpx
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from devstack.demo import pages

with warnings.catch_warnings():
    # Authlib asks for the `httpx2` package instead of httpx; httpx works and is what we have.
    warnings.simplefilter("ignore")
    from authlib.integrations.starlette_client import OAuth, OAuthError

log = logging.getLogger("devstack.demo")
SESSION_COOKIE = "devstack_demo_session"


@dataclass
class DemoConfig:
    """`issuer`: Hydra's issuer (discovery at `{issuer}.well-known/openid-configuration`);
    `public_url`: the browser-facing base the app is served under (`{public_url}/demo/...`)."""

    issuer: str
    client_id: str
    client_secret: str
    public_url: str
    session_secret: str
    scope: str = "openid email profile"

    @property
    def redirect_uri(self) -> str:
        return f"{self.public_url.rstrip('/')}/demo/callback"

    @property
    def post_logout_redirect_uri(self) -> str:
        return f"{self.public_url.rstrip('/')}/demo/logged-out"


def _claims_of(id_token: str) -> dict[str, Any]:
    """The payload of an ID token that was verified when it arrived (kept in our signed cookie)."""
    payload = id_token.split(".")[1]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return decoded


def _html(body: str, status_code: int = 200) -> Response:
    return HTMLResponse(body, status_code=status_code, headers=pages.HEADERS)


def create_app(config: DemoConfig) -> Starlette:
    oauth = OAuth()
    oauth.register(
        name="sso",
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=f"{config.issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": config.scope,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
            "trust_env": False,
            "timeout": 10,
        },
    )
    client: Any = oauth.create_client("sso")

    async def home(request: Request) -> Response:
        id_token = request.session.get("id_token")
        if not id_token:
            return _html(pages.logged_out_home(config.issuer))
        return _html(
            pages.logged_in_home(
                _claims_of(id_token), request.session.get("userinfo", {}), id_token
            )
        )

    async def login(request: Request) -> Response:
        try:
            response: Response = await client.authorize_redirect(request, config.redirect_uri)
        except httpx.HTTPError as exc:
            log.warning("demo: OpenID discovery at %s failed: %s", config.issuer, exc)
            return _html(
                pages.error("The single sign-on is not reachable", f"Discovery failed: {exc}"), 502
            )
        return response

    async def callback(request: Request) -> Response:
        try:
            token = await client.authorize_access_token(request)
        except OAuthError as exc:
            return _html(
                pages.error(f"Login did not complete: {exc.error}", exc.description or ""), 400
            )
        id_token = token.get("id_token")
        if not id_token:
            return _html(pages.error("No ID token", "The token response had no id_token."), 400)
        try:
            userinfo = dict(await client.userinfo(token=token))
        except httpx.HTTPError as exc:
            userinfo = {"error": f"UserInfo request failed: {exc}"}
        request.session.clear()
        request.session["id_token"] = id_token
        request.session["userinfo"] = userinfo
        return RedirectResponse("/demo/", status_code=303)

    async def logout(request: Request) -> Response:
        id_token = request.session.pop("id_token", None)
        request.session.pop("userinfo", None)
        if not id_token:
            return RedirectResponse("/demo/", status_code=303)
        response: Response = await client.logout_redirect(
            request,
            post_logout_redirect_uri=config.post_logout_redirect_uri,
            id_token_hint=id_token,
        )
        response.status_code = 303
        return response

    async def after_logout(request: Request) -> Response:
        try:
            await client.validate_logout_response(request)
        except OAuthError as exc:
            return _html(pages.error("Logout could not be confirmed", exc.description or ""), 400)
        return _html(pages.logged_out())

    async def to_home(request: Request) -> Response:
        return RedirectResponse("/demo/", status_code=301)

    return Starlette(
        routes=[
            Route("/demo", to_home),
            Route("/demo/", home),
            Route("/demo/login", login),
            Route("/demo/callback", callback),
            Route("/demo/logout", logout, methods=["POST"]),
            Route("/demo/logged-out", after_logout),
        ],
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=config.session_secret,
                session_cookie=SESSION_COOKIE,
                path="/demo",
                same_site="lax",
                https_only=config.public_url.startswith("https://"),
                max_age=8 * 3600,
            )
        ],
    )
