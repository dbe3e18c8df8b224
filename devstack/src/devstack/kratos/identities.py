"""Identities: trait validation, credentials, addresses; their JSON as Kratos renders it."""

from __future__ import annotations

import uuid
from typing import Any

from devstack.kratos import clock, errors, passwords, schema
from devstack.kratos.config import KratosConfig
from devstack.kratos.store import Doc, DuplicateKeyError, Store

KIND = "identity"
IDENTIFIER_KIND = "identifier"
STATES = ("active", "inactive")


class TraitsInvalidError(Exception):
    """Traits failed the identity schema; carries (node name, UI message) pairs."""

    def __init__(self, problems: list[tuple[str, dict[str, Any]]]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p[1]["text"]) for p in problems))


class DuplicateIdentifierError(Exception):
    """Another identity already has this login identifier."""


def load_schema(config: KratosConfig) -> schema.IdentitySchema:
    return schema.load(config.identity_schema_path)


def get(store: Store, identity_id: str) -> Doc | None:
    return store.get(KIND, identity_id)


def find_by_identifier(store: Store, cred_type: str, identifier: str) -> Doc | None:
    found = store.find_by_key(IDENTIFIER_KIND, f"{cred_type}:{identifier}")
    return None if found is None else get(store, found)


def new_identity(config: KratosConfig, traits: Any, *, state: str = "active") -> Doc:
    moment = clock.fmt(clock.now())
    return {
        "id": str(uuid.uuid4()),
        "schema_id": schema.SCHEMA_ID,
        "traits": traits,
        "state": state,
        "state_changed_at": moment,
        "metadata_public": None,
        "metadata_admin": None,
        "organization_id": None,
        "credentials": {},
        "verifiable_addresses": [],
        "recovery_addresses": [],
        "created_at": moment,
        "updated_at": moment,
    }


def set_password(
    config: KratosConfig, identity: Doc, *, plain: str | None, hashed: str | None
) -> None:
    if hashed is None:
        assert plain is not None
        hashed = passwords.hash_password(config, plain)
    _upsert_credential(identity, "password", {"hashed_password": hashed}, [])


def _upsert_credential(
    identity: Doc, cred_type: str, cfg: dict[str, Any], identifiers: list[str]
) -> None:
    moment = clock.fmt(clock.now())
    existing = identity["credentials"].get(cred_type)
    identity["credentials"][cred_type] = {
        "type": cred_type,
        "identifiers": identifiers,
        "config": cfg,
        "version": 0,
        "created_at": existing["created_at"] if existing else moment,
        "updated_at": moment,
    }


def set_credential(identity: Doc, cred_type: str, cfg: dict[str, Any]) -> None:
    """TOTP / lookup secrets: identifier is the identity id, as in Kratos."""
    _upsert_credential(identity, cred_type, cfg, [identity["id"]])


def remove_credential(identity: Doc, cred_type: str) -> bool:
    return identity["credentials"].pop(cred_type, None) is not None


def derive(config: KratosConfig, identity: Doc) -> None:
    """Validate traits, recompute identifiers and addresses (raises TraitsInvalidError)."""
    ids = load_schema(config)
    problems = ids.validate(identity["traits"])
    if problems:
        raise TraitsInvalidError(problems)
    traits = identity["traits"] if isinstance(identity["traits"], dict) else {}
    moment = clock.fmt(clock.now())

    # Kratos's schema extension keeps a credential (maybe without config) of each type a trait
    # is an identifier for: that is what makes password identifiers unique across identities,
    # and why every identity of a schema with webauthn identifiers shows an empty webauthn one
    for cred_type, fields in (
        ("password", ids.password_identifiers),
        ("webauthn", ids.webauthn_identifiers),
    ):
        identifiers: list[str] = []
        for f in fields:
            value = traits.get(f.name)
            if isinstance(value, str) and value:
                identifiers.append(value.lower())  # Kratos lower-cases every identifier
        existing = identity["credentials"].get(cred_type)
        if existing is None and identifiers:
            _upsert_credential(identity, cred_type, {}, identifiers)
        elif existing is not None:
            existing["identifiers"] = identifiers

    old_verifiable = {a["value"]: a for a in identity.get("verifiable_addresses", [])}
    verifiable: list[Doc] = []
    old_recovery = {a["value"]: a for a in identity.get("recovery_addresses", [])}
    recovery: list[Doc] = []
    for f in ids.fields:
        value = traits.get(f.name)
        if not isinstance(value, str) or not value:
            continue
        value = value.lower()
        if f.verification_via:
            verifiable.append(
                old_verifiable.get(value)
                or {
                    "id": str(uuid.uuid4()),
                    "value": value,
                    "verified": False,
                    "via": f.verification_via,
                    "status": "pending",
                    "created_at": moment,
                    "updated_at": moment,
                }
            )
        if f.recovery_via:
            recovery.append(
                old_recovery.get(value)
                or {
                    "id": str(uuid.uuid4()),
                    "value": value,
                    "via": f.recovery_via,
                    "created_at": moment,
                    "updated_at": moment,
                }
            )
    identity["verifiable_addresses"] = verifiable
    identity["recovery_addresses"] = recovery


def unique_keys(identity: Doc) -> list[str]:
    """The identity's login identifiers as unique keys (`password:<identifier>`)."""
    return [
        f"{cred['type']}:{ident}"
        for cred in identity["credentials"].values()
        if cred["type"] == "password"
        for ident in cred["identifiers"]
    ]


def save(store: Store, config: KratosConfig, identity: Doc) -> None:
    """Validate, derive and store; raises TraitsInvalidError or DuplicateIdentifierError."""
    derive(config, identity)
    identity["updated_at"] = clock.fmt(clock.now())
    keys = unique_keys(identity)
    with store.transaction():
        try:
            store.set_keys(IDENTIFIER_KIND, identity["id"], keys)
        except DuplicateKeyError as exc:
            raise DuplicateIdentifierError(str(exc)) from exc
        store.put(KIND, identity["id"], identity)


def delete(store: Store, identity_id: str) -> bool:
    with store.transaction():
        store.set_keys(IDENTIFIER_KIND, identity_id, [])
        return store.delete(KIND, identity_id)


def mark_verified(identity: Doc, address: str) -> None:
    moment = clock.fmt(clock.now())
    for a in identity["verifiable_addresses"]:
        if a["value"] == address.lower():
            a.update(verified=True, status="completed", verified_at=moment, updated_at=moment)


def available_aal(identity: Doc) -> str:
    creds = identity["credentials"]
    if "totp" in creds or _has_unused_lookup(identity):
        return "aal2"
    # a password credential only counts once it has a hash (Kratos's active first factors)
    password = creds.get("password") or {}
    return "aal1" if password.get("config", {}).get("hashed_password") else "aal0"


def _has_unused_lookup(identity: Doc) -> bool:
    lookup = identity["credentials"].get("lookup_secret")
    if not lookup:
        return False
    return any(not c.get("used_at") for c in lookup["config"].get("recovery_codes", []))


def has_second_factor(identity: Doc) -> bool:
    return available_aal(identity) == "aal2"


def to_json(
    config: KratosConfig,
    identity: Doc,
    *,
    credentials: bool = False,
    declassify: list[str] | None = None,
    admin_metadata: bool = False,
    schema_url: str | None = None,
) -> Doc:
    """The identity as Kratos renders it (credentials without `config` unless declassified);
    `schema_url` saves a list from looking the schema up once per identity."""
    out: Doc = {
        "id": identity["id"],
        "schema_id": identity["schema_id"],
        "schema_url": schema_url or load_schema(config).schema_url(config.public_url),
        "state": identity["state"],
        "state_changed_at": identity["state_changed_at"],
        "traits": identity["traits"],
        "verifiable_addresses": identity["verifiable_addresses"],
        "recovery_addresses": identity["recovery_addresses"],
        "metadata_public": identity["metadata_public"],
        "created_at": identity["created_at"],
        "updated_at": identity["updated_at"],
        "organization_id": identity["organization_id"],
    }
    if identity.get("external_id"):
        out["external_id"] = identity["external_id"]
    if admin_metadata:
        out["metadata_admin"] = identity["metadata_admin"]
    if credentials:
        shown: Doc = {}
        for cred_type, cred in identity["credentials"].items():
            item = {k: v for k, v in cred.items() if k != "config"}
            if declassify and cred_type in declassify:
                item["config"] = cred["config"]
            shown[cred_type] = item
        out["credentials"] = shown
    return out


def from_create_body(config: KratosConfig, body: Any) -> Doc:
    """Build an identity from an admin createIdentity body (raises KratosError 400)."""
    if not isinstance(body, dict):
        raise errors.bad_request("The request body must be a JSON object.")
    allowed = {
        "schema_id",
        "traits",
        "state",
        "credentials",
        "metadata_public",
        "metadata_admin",
        "verifiable_addresses",
        "recovery_addresses",
        "organization_id",
        "external_id",
    }
    unknown = set(body) - allowed
    if unknown:
        raise errors.KratosError(400, message=f'json: unknown field "{sorted(unknown)[0]}"')
    if body.get("schema_id") != schema.SCHEMA_ID:
        raise errors.bad_request(f"unable to find JSON Schema ID: {body.get('schema_id') or ''}")
    state = body.get("state") or "active"
    if state not in STATES:
        raise errors.bad_request(
            f"The supplied state ('{state}') was not valid. "
            "Valid states are ('active', 'inactive')."
        )
    identity = new_identity(config, body.get("traits"), state=state)
    identity["metadata_public"] = body.get("metadata_public")
    identity["metadata_admin"] = body.get("metadata_admin")
    if body.get("external_id"):
        identity["external_id"] = str(body["external_id"])
    import_credentials(config, identity, body.get("credentials"))
    # admin-given verification states survive derive() because it keeps known addresses
    moment = clock.fmt(clock.now())
    for given in body.get("verifiable_addresses") or []:
        if isinstance(given, dict) and isinstance(given.get("value"), str):
            identity["verifiable_addresses"].append(
                {
                    "id": str(uuid.uuid4()),
                    "value": given["value"].lower(),
                    "verified": bool(given.get("verified")),
                    "via": given.get("via", "email"),
                    "status": given.get("status", "pending"),
                    "created_at": moment,
                    "updated_at": moment,
                    **({"verified_at": moment} if given.get("verified") else {}),
                }
            )
    return identity


def import_credentials(config: KratosConfig, identity: Doc, creds: Any) -> None:
    if not creds:
        return
    if not isinstance(creds, dict):
        raise errors.bad_request("credentials must be an object")
    pw = creds.get("password")
    if pw is not None:
        cfg = (pw or {}).get("config") or {}
        plain, hashed = cfg.get("password"), cfg.get("hashed_password")
        if hashed:
            if not passwords.is_supported_hash(str(hashed)):
                raise errors.bad_request(
                    "The stand-in can only import argon2 password hashes "
                    "(real Kratos also accepts bcrypt, pbkdf2, scrypt, ...)."
                )
            set_password(config, identity, plain=None, hashed=str(hashed))
        elif plain:
            set_password(config, identity, plain=str(plain), hashed=None)
    unsupported = set(creds) - {"password"}
    if unsupported:
        raise errors.bad_request(f"The stand-in cannot import {sorted(unsupported)} credentials.")
