"""Hydra's public API: discovery and JWKS here, the flows in their own modules."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from devstack.hydra.authorize import AuthorizeEndpoint
from devstack.hydra.logout import LogoutEndpoint
from devstack.hydra.registry import Registry
from devstack.hydra.token_endpoint import TokenEndpoints


def _unique(values: tuple[str, ...]) -> list[str]:
    """In order, each once (Hydra's stringslice.Unique)."""
    return list(dict.fromkeys(values))


class PublicApp:
    def __init__(self, registry: Registry) -> None:
        self.r = registry

    # --- discovery ----------------------------------------------------------------------
    async def openid_configuration(self, request: Request) -> Response:
        """Hydra v25.4.0's discovery document (oauth2/handler.go discoverOidcConfiguration).

        Hydra advertises every flow it implements, not what a client may use; the claims and
        scopes come from `webfinger.oidc_discovery` after Hydra's own ("sub"; "offline_access",
        "offline", "openid"). No dynamic registration URL is configured, so none is listed.
        """
        config = self.r.config
        base = config.public_base()
        # Hydra builds these three from the issuer, the others from the public URL.
        issuer = config.issuer_id().rstrip("/") + "/"
        return JSONResponse(
            {
                "issuer": config.issuer_id(),
                "authorization_endpoint": base + "oauth2/auth",
                "device_authorization_endpoint": base + "oauth2/device/auth",
                "token_endpoint": base + "oauth2/token",
                "jwks_uri": issuer + ".well-known/jwks.json",
                "userinfo_endpoint": base + "userinfo",
                "revocation_endpoint": issuer + "oauth2/revoke",
                "end_session_endpoint": issuer + "oauth2/sessions/logout",
                "subject_types_supported": ["public"],
                "response_types_supported": [
                    "code",
                    "code id_token",
                    "id_token",
                    "token id_token",
                    "token",
                    "token id_token code",
                ],
                "response_modes_supported": ["query", "fragment", "form_post"],
                "grant_types_supported": [
                    "authorization_code",
                    "implicit",
                    "client_credentials",
                    "refresh_token",
                    "urn:ietf:params:oauth:grant-type:device_code",
                ],
                "scopes_supported": _unique(
                    ("offline_access", "offline", "openid", *config.discovery_scopes)
                ),
                "claims_supported": _unique(("sub", *config.discovery_claims)),
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                    "private_key_jwt",
                    "none",
                ],
                "code_challenge_methods_supported": ["plain", "S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "id_token_signed_response_alg": ["RS256"],
                "userinfo_signing_alg_values_supported": ["none", "RS256"],
                "userinfo_signed_response_alg": ["RS256"],
                "request_parameter_supported": True,
                "request_uri_parameter_supported": True,
                "require_request_uri_registration": True,
                "claims_parameter_supported": False,
                "request_object_signing_alg_values_supported": ["none", "RS256", "ES256"],
                "backchannel_logout_supported": True,
                "backchannel_logout_session_supported": True,
                "frontchannel_logout_supported": True,
                "frontchannel_logout_session_supported": True,
                "credentials_endpoint_draft_00": base + "credentials",
                "credentials_supported_draft_00": [
                    {
                        "format": "jwt_vc_json",
                        "types": ["VerifiableCredential", "UserInfoCredential"],
                        "cryptographic_binding_methods_supported": ["jwk"],
                        "cryptographic_suites_supported": [
                            "PS256",
                            "RS256",
                            "ES256",
                            "PS384",
                            "RS384",
                            "ES384",
                            "PS512",
                            "RS512",
                            "ES512",
                            "EdDSA",
                        ],
                    }
                ],
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
