"""Type checks of admin request bodies, worded like Go's encoding/json errors Hydra passes on."""

from __future__ import annotations

from typing import Any

from devstack.hydra.errors import OAuthError

# JSON field → (Go type name, accepted Python types); absent or null fields are always fine.
ACCEPT_LOGIN: dict[str, tuple[str, tuple[type, ...]]] = {
    "subject": ("string", (str,)),
    "remember": ("bool", (bool,)),
    "remember_for": ("int", (int,)),
    "extend_session_lifespan": ("bool", (bool,)),
    "acr": ("string", (str,)),
    "amr": ("[]string", (list,)),
    "identity_provider_session_id": ("string", (str,)),
    "force_subject_identifier": ("string", (str,)),
}
ACCEPT_CONSENT: dict[str, tuple[str, tuple[type, ...]]] = {
    "grant_scope": ("[]string", (list,)),
    "grant_access_token_audience": ("[]string", (list,)),
    "remember": ("bool", (bool,)),
    "remember_for": ("int", (int,)),
    "session": ("flow.AcceptOAuth2ConsentRequestSession", (dict,)),
}
REJECT: dict[str, tuple[str, tuple[type, ...]]] = {
    "error": ("string", (str,)),
    "error_description": ("string", (str,)),
    "error_hint": ("string", (str,)),
    "error_debug": ("string", (str,)),
    "status_code": ("int", (int,)),
}

JSON_TYPE_NAMES = {
    bool: "bool",
    int: "number",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}


def check_body(
    body: dict[str, Any], struct: str, fields: dict[str, tuple[str, tuple[type, ...]]]
) -> None:
    """400 invalid_request when a known field has the wrong JSON type (Go would not decode it)."""
    for name, (go_type, accepted) in fields.items():
        value = body.get(name)
        if value is None:
            continue
        wrong = not isinstance(value, accepted) or (
            bool not in accepted and isinstance(value, bool)
        )
        if not wrong and accepted == (list,):
            wrong = not all(isinstance(item, str) for item in value)
        if not wrong and name == "session":
            wrong = any(
                value.get(key) is not None and not isinstance(value.get(key), dict)
                for key in ("id_token", "access_token")
            )
        if wrong:
            got = JSON_TYPE_NAMES.get(type(value), "value")
            raise OAuthError(
                "invalid_request",
                f"Unable to decode body because: json: cannot unmarshal {got} into Go struct "
                f"field {struct}.{name} of type {go_type}",
            )
