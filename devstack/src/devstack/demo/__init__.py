"""Demo OIDC relying party at `/demo/`: log in through Hydra and see who you are.

Uses Authlib's OpenID Connect client (authorization code + PKCE S256 + nonce, ID token checked
against the JWKS) and RP-initiated logout. Development only.
"""

from devstack.demo.app import DemoConfig, create_app

__all__ = ["DemoConfig", "create_app"]
