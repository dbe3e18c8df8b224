"""OAuth 2.0 clients: Hydra's defaults and checks on write, its JSON on read, secrets hashed."""

from __future__ import annotations

import copy
import hashlib
import secrets
import string
import uuid
from typing import Any
from urllib.parse import quote, urlsplit

from devstack import clock
from devstack.hydra.config import HydraConfig
from devstack.hydra.errors import OAuthError
from devstack.hydra.store import Store

KIND = "client"
SECRET_ALPHABET = string.ascii_letters + string.digits
# Fields a client may carry; anything else in a request body is ignored, as Hydra's decoder does.
LIST_FIELDS = (
    "redirect_uris",
    "grant_types",
    "response_types",
    "audience",
    "allowed_cors_origins",
    "contacts",
    "post_logout_redirect_uris",
    "request_uris",
)
STRING_FIELDS = (
    "client_name",
    "owner",
    "policy_uri",
    "tos_uri",
    "client_uri",
    "logo_uri",
    "subject_type",
    "token_endpoint_auth_method",
    "userinfo_signed_response_alg",
    "frontchannel_logout_uri",
    "backchannel_logout_uri",
    "jwks_uri",
    "sector_identifier_uri",
    "request_object_signing_alg",
    "token_endpoint_auth_signing_alg",
    "access_token_strategy",
    "scope",
)
BOOL_FIELDS = (
    "skip_consent",
    "skip_logout_consent",
    "frontchannel_logout_session_required",
    "backchannel_logout_session_required",
)
LIFESPAN_FIELDS = (
    "authorization_code_grant_access_token_lifespan",
    "authorization_code_grant_id_token_lifespan",
    "authorization_code_grant_refresh_token_lifespan",
    "client_credentials_grant_access_token_lifespan",
    "implicit_grant_access_token_lifespan",
    "implicit_grant_id_token_lifespan",
    "jwt_bearer_grant_access_token_lifespan",
    "refresh_token_grant_access_token_lifespan",
    "refresh_token_grant_id_token_lifespan",
    "refresh_token_grant_refresh_token_lifespan",
    "device_authorization_grant_access_token_lifespan",
    "device_authorization_grant_id_token_lifespan",
    "device_authorization_grant_refresh_token_lifespan",
)
# Hydra tags these `omitempty`: absent from its JSON when empty.
OMIT_EMPTY = frozenset(
    {
        "sector_identifier_uri",
        "jwks_uri",
        "token_endpoint_auth_signing_alg",
        "request_uris",
        "request_object_signing_alg",
        "frontchannel_logout_uri",
        "frontchannel_logout_session_required",
        "post_logout_redirect_uris",
        "backchannel_logout_uri",
        "backchannel_logout_session_required",
        "access_token_strategy",
    }
)
AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none", "private_key_jwt")


def now_iso() -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def generate_secret() -> str:
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(26))


def hash_secret(secret: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt), 25_000).hex()
    return f"pbkdf2-sha256${salt}${digest}"


def secret_matches(secret: str, stored: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
    except ValueError:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", secret.encode(), bytes.fromhex(salt), 25_000).hex()
    return secrets.compare_digest(candidate, digest)


def client_not_found() -> OAuthError:
    """Hydra's SQL "no rows" error as its admin API words it."""
    return OAuthError("Unable to locate the resource", status=404, description="")


def _metadata_error(hint: str) -> OAuthError:
    return OAuthError("invalid_client_metadata", hint)


def _origin(uri: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(uri)
    try:
        port = parts.port
    except ValueError:
        port = None
    return parts.scheme, parts.hostname, port


def normalize(body: Any, config: HydraConfig) -> dict[str, Any]:
    """Hydra's client validator: defaults filled in, bad metadata refused (400)."""
    if not isinstance(body, dict):
        raise OAuthError("invalid_request", "Unable to decode the request body as a client.")
    client: dict[str, Any] = {}
    for name in LIST_FIELDS:
        value = body.get(name)
        if value is None:
            client[name] = []
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            client[name] = list(value)
        else:
            raise _metadata_error(f"Field {name} must be a list of strings.")
    for name in STRING_FIELDS:
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise _metadata_error(f"Field {name} must be a string.")
        client[name] = value or ""
    for name in BOOL_FIELDS:
        client[name] = bool(body.get(name, False))
    if body.get("skip_logout_consent") is None:
        client["skip_logout_consent"] = None  # a NullBool: Hydra sends null when unset
    for name in LIFESPAN_FIELDS:
        if body.get(name) is not None:
            client[name] = body[name]
    client["metadata"] = body.get("metadata") if body.get("metadata") is not None else {}
    client["jwks"] = body.get("jwks") or {}

    if not client["token_endpoint_auth_method"]:
        client["token_endpoint_auth_method"] = "client_secret_basic"  # noqa: S105
    if client["token_endpoint_auth_method"] not in AUTH_METHODS:
        raise _metadata_error(
            f"Field token_endpoint_auth_method must be one of {', '.join(AUTH_METHODS)}."
        )
    if not client["scope"]:
        client["scope"] = " ".join(config.default_client_scope)
    if not client["subject_type"]:
        client["subject_type"] = "public"
    if client["subject_type"] != "public":
        raise _metadata_error(
            f"Subject type {client['subject_type']} is not supported by server, "
            "only [public] are allowed."
        )
    if not client["userinfo_signed_response_alg"]:
        client["userinfo_signed_response_alg"] = "none"
    for uri in client["redirect_uris"]:
        if "#" in uri:
            raise OAuthError(
                "invalid_redirect_uri", "Redirect URIs must not contain fragments (#)."
            )
        parts = urlsplit(uri)
        if not parts.scheme or not (parts.netloc or parts.path):
            raise OAuthError("invalid_redirect_uri", f"Unable to parse redirect URL: {uri}")
    # Hydra's validator: each post-logout URI shares scheme, host and port with a redirect URI.
    origins = {_origin(uri) for uri in client["redirect_uris"]}
    for uri in client["post_logout_redirect_uris"]:
        if _origin(uri) not in origins:
            raise _metadata_error(
                f'post_logout_redirect_uri "{uri}" must match the domain, port, scheme of at '
                "least one of the registered redirect URIs but did not'"
            )
    for origin in client["allowed_cors_origins"]:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https"):
            raise _metadata_error(
                f"Origin URL {origin} must use https:// or http:// as HTTP scheme."
            )
    client["client_secret_expires_at"] = 0
    return client


def _contacts_as_sent(body: dict[str, Any], shown: dict[str, Any]) -> None:
    """Hydra answers a write with the decoded body: contacts it was not sent are null (a nil
    slice), though it reads them back from the database as []."""
    if body.get("contacts") is None:
        shown["contacts"] = None


class Clients:
    """CRUD over stored clients; the plain secret leaves only in create/update answers."""

    def __init__(self, store: Store, config: HydraConfig) -> None:
        self.store = store
        self.config = config

    def get(self, client_id: str) -> dict[str, Any] | None:
        return self.store.get(KIND, client_id)

    def create(self, body: Any) -> dict[str, Any]:
        client = normalize(body, self.config)
        client_id = body.get("client_id") or str(uuid.uuid4())
        if not isinstance(client_id, str):
            raise _metadata_error("Field client_id must be a string.")
        if self.get(client_id) is not None:
            raise OAuthError(
                "Unable to insert or update resource because a resource with that value exists "
                "already",
                status=409,
                description="",
            )
        client["client_id"] = client_id
        client["created_at"] = client["updated_at"] = now_iso()
        secret = self._secret_for(body, client)
        self._save(client, secret)
        shown = self.view(client, secret)
        _contacts_as_sent(body, shown)
        # Hydra answers a creation with the (unused here) dynamic-registration handle too.
        shown["registration_access_token"] = "ory_at_" + secrets.token_urlsafe(32)
        shown["registration_client_uri"] = (
            self.config.public_base() + "oauth2/register/" + quote(client_id, safe="")
        )
        return shown

    def replace(self, client_id: str, body: Any) -> dict[str, Any]:
        existing = self.get(client_id)
        if existing is None:
            raise client_not_found()
        client = normalize(body, self.config)
        client["client_id"] = client_id
        client["created_at"] = existing["created_at"]
        client["updated_at"] = now_iso()
        new_secret = body.get("client_secret") if isinstance(body, dict) else None
        client["_secret_hash"] = existing.get("_secret_hash")
        shown_secret: str | None = None
        if new_secret:
            self._check_secret(new_secret)
            shown_secret = str(new_secret)
        elif not client["_secret_hash"]:
            shown_secret = generate_secret()
        if shown_secret:
            self._save(client, shown_secret)
        else:
            self.store.put(KIND, client_id, client)
        shown = self.view(client, shown_secret)
        _contacts_as_sent(body, shown)
        return shown

    def delete(self, client_id: str) -> None:
        if not self.store.delete(KIND, client_id):
            raise client_not_found()

    def after(self, page_token: str | None) -> list[dict[str, Any]]:
        """Every client whose id sorts after `page_token`, in id order, as Hydra shows them."""
        return [self.view(data) for _, data in self.store.page_by_id(KIND, page_token, -1)]

    def _secret_for(self, body: dict[str, Any], client: dict[str, Any]) -> str | None:
        given = body.get("client_secret")
        if given:
            self._check_secret(given)
            return str(given)
        return generate_secret()

    @staticmethod
    def _check_secret(secret: Any) -> None:
        if not isinstance(secret, str) or len(secret) < 6:
            raise _metadata_error(
                "Field client_secret must contain a secret that is at least 6 characters long."
            )

    def _save(self, client: dict[str, Any], secret: str | None) -> None:
        client["_secret_hash"] = hash_secret(secret) if secret else None
        self.store.put(KIND, client["client_id"], client)

    @staticmethod
    def view(client: dict[str, Any], secret: str | None = None) -> dict[str, Any]:
        """The client as Hydra answers it: never the stored hash, the secret only when given."""
        shown = {
            k: copy.deepcopy(v)
            for k, v in client.items()
            if not k.startswith("_") and not (k in OMIT_EMPTY and not v)
        }
        for name in LIFESPAN_FIELDS:  # a NullDuration is a struct: `omitempty` keeps its null
            shown.setdefault(name, None)
        if secret and client["token_endpoint_auth_method"] != "none":  # noqa: S105
            shown["client_secret"] = secret
        return shown

    def authenticate_secret(self, client: dict[str, Any], secret: str) -> bool:
        stored = client.get("_secret_hash")
        return bool(stored) and secret_matches(secret, str(stored))
