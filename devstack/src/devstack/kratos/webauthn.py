"""WebAuthn nodes as Kratos sends them (settings), without a working ceremony.

Real Kratos with `selfservice.methods.webauthn.enabled` renders these nodes; the stand-in sends
them when `config.webauthn_nodes` is on so UIs can be built against them. Submitting them answers
a flow message instead of registering a key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from urllib.parse import urlsplit

from devstack.kratos import nodes, text
from devstack.kratos.config import KratosConfig
from devstack.kratos.nodes import Node
from devstack.kratos.store import Doc

SCRIPT_PATH = ".well-known/ory/webauthn.js"
# window.oryWebAuthnRegistration / oryWebAuthnLogin exist, but only say they are not emulated
SCRIPT = (
    b"(function () {\n"
    b"  function notEmulated() {\n"
    b"    alert('WebAuthn is not emulated by the devstack Kratos stand-in.')\n"
    b"  }\n"
    b"  window.oryWebAuthnRegistration = notEmulated\n"
    b"  window.oryWebAuthnLogin = notEmulated\n"
    b"  window.oryPasskeyRegistration = notEmulated\n"
    b"  window.oryPasskeyLogin = notEmulated\n"
    b"})()\n"
)


def integrity() -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(SCRIPT).digest()).decode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def settings_nodes(config: KratosConfig, identity: Doc) -> list[Node]:
    host = urlsplit(config.public_url).hostname or "localhost"
    name = str((identity["traits"] or {}).get("email") or identity["id"])
    options = json.dumps(
        {
            "publicKey": {
                "challenge": _b64(secrets.token_bytes(32)),
                "rp": {"name": config.totp_issuer, "id": host},
                "user": {"name": name, "displayName": name, "id": _b64(identity["id"].encode())},
                "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
                "authenticatorSelection": {"userVerification": "discouraged"},
            }
        },
        separators=(",", ":"),
    )
    script = nodes.script_node(
        "webauthn_script",
        config.public_url + SCRIPT_PATH,
        "webauthn",
        nonce=secrets.token_urlsafe(16),
    )
    script["attributes"]["integrity"] = integrity()
    trigger = nodes.input_node(
        "webauthn_register_trigger",
        "webauthn",
        "button",
        value=options,
        label=text.settings_register_webauthn(),
    )
    trigger["attributes"]["onclick"] = f"window.oryWebAuthnRegistration({options})"
    trigger["attributes"]["onclickTrigger"] = "oryWebAuthnRegistration"
    return [
        script,
        nodes.input_node(
            "webauthn_register_displayname",
            "webauthn",
            "text",
            value="",
            label=text.settings_webauthn_display_name(),
        ),
        trigger,
        nodes.input_node("webauthn_register", "webauthn", "hidden", value=""),
    ]


def not_available() -> text.UiText:
    return text.validation_generic("WebAuthn is not available in the development stand-in.")
