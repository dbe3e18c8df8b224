"""The identity schema: trait validation (jsonschema) and its `ory.sh/kratos` extension."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema import Draft7Validator

from devstack.kratos import text

EXTENSION = "ory.sh/kratos"
SCHEMA_ID = "default"


@dataclass
class TraitField:
    name: str  # e.g. "email" (node name is "traits.email")
    title: str
    spec: dict[str, Any]
    required: bool
    password_identifier: bool = False
    webauthn_identifier: bool = False
    totp_account_name: bool = False
    recovery_via: str | None = None
    verification_via: str | None = None


@dataclass
class IdentitySchema:
    raw: dict[str, Any]
    fields: list[TraitField] = field(default_factory=list)

    @property
    def password_identifiers(self) -> list[TraitField]:
        return [f for f in self.fields if f.password_identifier]

    @property
    def webauthn_identifiers(self) -> list[TraitField]:
        return [f for f in self.fields if f.webauthn_identifier]

    @property
    def identifier_label(self) -> text.UiText:
        """Login's identifier label: the title when exactly one trait is an identifier."""
        labelled = [f for f in self.fields if f.password_identifier or f.totp_account_name]
        unique = {f.name: f for f in labelled}
        if len(unique) == 1:
            only = next(iter(unique.values()))
            if only.title:
                return text.label_generated(only.title, f"traits.{only.name}")
        return text.label_id()

    def validate(self, traits: Any) -> list[tuple[str, text.UiText]]:
        """Validate traits; returns (node name, message) pairs, empty when valid."""
        validator = Draft7Validator(self.raw, format_checker=Draft7Validator.FORMAT_CHECKER)
        found: list[tuple[str, text.UiText]] = []
        for err in validator.iter_errors({"traits": traits}):
            path = [str(p) for p in err.absolute_path]
            name = ".".join(path) if path else "traits"
            found.append(_message_for(err, name))
        return found

    def schema_url(self, public_url: str) -> str:
        encoded = base64.urlsafe_b64encode(SCHEMA_ID.encode()).decode().rstrip("=")
        return f"{public_url}schemas/{encoded}"


def _message_for(err: jsonschema.ValidationError, name: str) -> tuple[str, text.UiText]:
    validator = err.validator
    value = err.validator_value
    if validator == "required":
        missing = err.message.split("'")[1] if "'" in err.message else str(value)
        prefix = name if name != "" else "traits"
        return f"{prefix}.{missing}", text.required(missing)
    if validator == "minLength" and isinstance(err.instance, str):
        return name, text.min_length(int(str(value)), len(err.instance))
    if validator == "maxLength" and isinstance(err.instance, str):
        return name, text.max_length(int(str(value)), len(err.instance))
    if validator == "pattern":
        return name, text.invalid_format(str(value))
    if validator == "format":
        return name, text.validation_generic(f'"{err.instance}" is not valid "{value}"')
    if validator == "type":
        allowed = value if isinstance(value, list) else [value]
        return name, text.wrong_type([str(a) for a in allowed], _json_type(err.instance))
    return name, text.validation_generic(err.message)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


_cache: dict[tuple[str, float], IdentitySchema] = {}


def load(path: Path) -> IdentitySchema:
    """Parse the schema file (cached by path and modification time)."""
    key = (str(path), path.stat().st_mtime)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    raw = json.loads(path.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(raw)
    traits = raw.get("properties", {}).get("traits", {})
    required = set(traits.get("required", []))
    fields: list[TraitField] = []
    for name, spec in traits.get("properties", {}).items():
        ext = spec.get(EXTENSION, {})
        creds = ext.get("credentials", {})
        fields.append(
            TraitField(
                name=name,
                title=str(spec.get("title", "")),
                spec=spec,
                required=name in required,
                password_identifier=bool(creds.get("password", {}).get("identifier")),
                webauthn_identifier=bool(creds.get("webauthn", {}).get("identifier")),
                totp_account_name=bool(creds.get("totp", {}).get("account_name")),
                recovery_via=ext.get("recovery", {}).get("via"),
                verification_via=ext.get("verification", {}).get("via"),
            )
        )
    schema = IdentitySchema(raw=raw, fields=fields)
    _cache[key] = schema
    return schema
