"""Hydra's public API: discovery and JWKS here, the flows in their own modules."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.hydra.authorize import AuthorizeEndpoint
from devstack.hydra.logout import LogoutEndpoint
from devstack.hydra.registry import Registry
from devstack.hydra.token_endpoint import TokenEndpoints


class PublicApp:
    def __init__(self, registry: Registry) -> None:
        self.r = registry

    # --- discovery ----------------------------------------------------------------------
    async def openid_configuration(self, request: Request) -> Response:
        base = self.r.config.public_base()
        # Hydra builds these three from the issuer, the others from the public URL.
        issuer = self.r.config.issuer_id().rstrip("/") + "/"
        return JSONResponse(
            {
                "issuer": self.r.config.issuer_id(),
                "authorization_endpoint": base + "oauth2/auth",
                "token_endpoint": base + "oauth2/token",
                "jwks_uri": issuer + ".well-known/jwks.json",
                "userinfo_endpoint": base + "userinfo",
                "revocation_endpoint": issuer + "oauth2/revoke",
                "end_session_endpoint": issuer + "oauth2/sessions/logout",
                "device_authorization_endpoint": base + "oauth2/device/auth",
                "registration_endpoint": base + "oauth2/register",
                "subject_types_supported": ["public"],
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": [
                    "authorization_code",
                    "refresh_token",
                    "client_credentials",
                ],
                "scopes_supported": ["offline_access", "offline", "openid"],
                "claims_supported": ["sub"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                    "none",
                ],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "id_token_signed_response_alg": ["RS256"],
                "userinfo_signing_alg_values_supported": ["none", "RS256"],
                "userinfo_signed_response_alg": ["RS256"],
                "request_parameter_supported": False,
                "request_uri_parameter_supported": False,
                "require_request_uri_registration": False,
                "claims_parameter_supported": False,
                "request_object_signing_alg_values_supported": ["none", "RS256", "ES256"],
                "backchannel_logout_supported": False,
                "backchannel_logout_session_supported": False,
                "frontchannel_logout_supported": False,
                "frontchannel_logout_session_supported": False,
            }
        )

    async def jwks(self, request: Request) -> Response:
        return JSONResponse(self.r.key.public_jwks())

    def routes(self) -> list[Route]:
        tokens = TokenEndpoints(self.r)
        return [
            Route("/.well-known/openid-configuration", self.openid_configuration),
            Route("/.well-known/jwks.json", self.jwks),
            Route("/oauth2/auth", AuthorizeEndpoint(self.r).handle, methods=["GET", "POST"]),
            Route("/oauth2/token", tokens.token, methods=["POST"]),
            Route("/userinfo", tokens.userinfo, methods=["GET", "POST"]),
            Route("/oauth2/revoke", tokens.revoke, methods=["POST"]),
            Route(
                "/oauth2/sessions/logout", LogoutEndpoint(self.r).handle, methods=["GET", "POST"]
            ),
        ]
