"""What real Hydra and Kratos run with: `deploy/ory/<server>.yml` itself, plus one overrides file.

Both servers merge several `--config` files, later ones winning key by key. The overrides always
set the URLs, ports, DSN, secrets and SMTP of this run. A stand-in setting (`HydraConfig`,
`KratosConfig`) that tests changed from its default (cheap argon2, a short flow lifespan,
registration on) is rendered too, so one config object describes a run on either backend; an
unchanged field leaves deploy's value in force.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from devstack.hydra import HydraConfig
from devstack.hydra.config import HydraTTLs
from devstack.kratos import KratosConfig

DEPLOY_ORY = Path(__file__).resolve().parents[4] / "deploy" / "ory"
KRATOS_FLOWS = ("login", "registration", "settings", "recovery", "verification")


@dataclass(frozen=True)
class Listen:
    """Where one server's two APIs listen (always 127.0.0.1)."""

    public_port: int
    admin_port: int


@dataclass(frozen=True)
class RunSecrets:
    system: str  # Hydra secrets.system, Kratos secrets.default
    cookie: str
    cipher: str  # Kratos secrets.cipher: exactly 32 characters


def _changed(config: Any) -> dict[str, Any]:
    """The fields of a dataclass whose value differs from the field's default."""
    defaults = type(config)()
    return {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if getattr(config, f.name) != getattr(defaults, f.name)
    }


def _seconds(value: int) -> str:
    return f"{value}s"


def kratos_overrides(
    config: KratosConfig, *, listen: Listen, dsn: str, secrets: RunSecrets
) -> dict[str, Any]:
    changed = _changed(config)
    flows: dict[str, Any] = {
        kind: {"ui_url": getattr(config, f"{kind}_ui_url")} for kind in KRATOS_FLOWS
    }
    flows["error"] = {"ui_url": config.error_ui_url}
    if config.recovery_return_url is not None:
        flows["recovery"]["after"] = {"default_browser_return_url": config.recovery_return_url}
    if config.logout_return_url is not None:
        flows["logout"] = {"after": {"default_browser_return_url": config.logout_return_url}}
    if "flow_lifespan" in changed:
        for kind in KRATOS_FLOWS:
            flows[kind]["lifespan"] = _seconds(config.flow_lifespan)
    if "registration_enabled" in changed:
        flows["registration"]["enabled"] = config.registration_enabled
    if "privileged_session_max_age" in changed:
        flows["settings"]["privileged_session_max_age"] = _seconds(
            config.privileged_session_max_age
        )
    if "settings_required_aal" in changed:
        flows["settings"]["required_aal"] = config.settings_required_aal
    # deploy's hook names compose's dashboard-api: always replaced (a list replaces a list).
    flows["settings"]["after"] = {"profile": {"hooks": _profile_hooks(config)}}

    methods: dict[str, Any] = {}
    if "min_password_length" in changed:
        methods["password"] = {"config": {"min_password_length": config.min_password_length}}
    if "code_lifespan" in changed:
        methods["code"] = {"config": {"lifespan": _seconds(config.code_lifespan)}}
    if "recovery_link_enabled" in changed:
        methods["link"] = {"enabled": config.recovery_link_enabled}
    if "totp_issuer" in changed:
        methods["totp"] = {"config": {"issuer": config.totp_issuer}}
    # WebAuthn needs its relying party to be the page's host: the browser-facing one of this run.
    public = urlsplit(config.public_url)
    methods["webauthn"] = {
        "enabled": True,
        "config": {
            "rp": {"id": public.hostname, "origins": [f"{public.scheme}://{public.netloc}"]}
        },
    }

    session: dict[str, Any] = {}
    if "session_lifespan" in changed:
        session["lifespan"] = _seconds(config.session_lifespan)
    if "whoami_required_aal" in changed:
        session["whoami"] = {"required_aal": config.whoami_required_aal}

    courier: dict[str, Any] = {
        "smtp": {
            "connection_uri": config.smtp_url or "smtp://127.0.0.1:1/?disable_starttls=true",
            "from_address": config.mail_from,
            "from_name": config.mail_from_name,
        }
    }
    if config.courier_template_dir is not None:
        courier["template_override_path"] = str(config.courier_template_dir)

    overrides: dict[str, Any] = {
        "dsn": dsn,
        "serve": {
            "public": {
                "base_url": config.public_url,
                "host": "127.0.0.1",
                "port": listen.public_port,
            },
            "admin": {
                "base_url": config.admin_url,
                "host": "127.0.0.1",
                "port": listen.admin_port,
            },
        },
        "selfservice": {
            "default_browser_return_url": config.default_return_url,
            "allowed_return_urls": config.allowed_return_urls or [config.default_return_url],
            "flows": flows,
            "methods": methods,
        },
        "identity": {
            "default_schema_id": "default",
            "schemas": [{"id": "default", "url": config.identity_schema_path.resolve().as_uri()}],
        },
        "courier": courier,
        "secrets": {
            "default": [secrets.system],
            "cookie": [secrets.cookie],
            "cipher": [secrets.cipher],
        },
    }
    if session:
        overrides["session"] = session
    if {"argon2_memory_kib", "argon2_iterations", "argon2_parallelism"} & changed.keys():
        overrides["hashers"] = {
            "argon2": {
                "memory": f"{config.argon2_memory_kib}KB",
                "iterations": config.argon2_iterations,
                "parallelism": config.argon2_parallelism,
            }
        }
    return overrides


def _profile_hooks(config: KratosConfig) -> list[dict[str, Any]]:
    if config.profile_hook_url is None:
        return []
    token = {"name": "Authorization", "value": f"Bearer {config.profile_hook_token or ''}"}
    return [
        {
            "hook": "web_hook",
            "config": {
                "url": config.profile_hook_url,
                "method": "POST",
                "body": (DEPLOY_ORY / "identity-changed.jsonnet").as_uri(),
                "response": {"ignore": True},
                "auth": {"type": "api_key", "config": {**token, "in": "header"}},
            },
        }
    ]


def hydra_overrides(
    config: HydraConfig, *, listen: Listen, admin_url: str, dsn: str, secrets: RunSecrets
) -> dict[str, Any]:
    changed = _changed(config)
    overrides: dict[str, Any] = {
        "dsn": dsn,
        "serve": {
            "public": {"host": "127.0.0.1", "port": listen.public_port},
            "admin": {"host": "127.0.0.1", "port": listen.admin_port},
        },
        "urls": {
            "self": {"issuer": config.issuer, "public": config.public_base(), "admin": admin_url},
            "login": config.login_url,
            "consent": config.consent_url,
            "logout": config.logout_url,
            "error": config.error_url,
            "post_logout_redirect": config.post_logout_redirect_url,
        },
        "secrets": {"system": [secrets.system], "cookie": [secrets.cookie]},
    }
    ttls = {
        name: _seconds(value)
        for name, value in dataclasses.asdict(config.ttls).items()
        # v2.3.0 has no ttl.authentication_session (v25 added it)
        if value != getattr(HydraTTLs(), name) and name != "authentication_session"
    }
    if ttls:
        overrides["ttl"] = ttls
    pkce: dict[str, bool] = {}
    if "pkce_enforced_for_public_clients" in changed:
        pkce["enforced_for_public_clients"] = config.pkce_enforced_for_public_clients
    if "pkce_enforced" in changed:
        pkce["enforced"] = config.pkce_enforced
    if pkce:
        overrides["oauth2"] = {"pkce": pkce}
    discovery: dict[str, list[str]] = {}
    if "discovery_claims" in changed:
        discovery["supported_claims"] = list(config.discovery_claims)
    if "discovery_scopes" in changed:
        discovery["supported_scope"] = list(config.discovery_scopes)
    if discovery:
        overrides["webfinger"] = {"oidc_discovery": discovery}
    return overrides


def write(path: Path, overrides: dict[str, Any]) -> Path:
    """Write an overrides file (JSON is YAML; owner-only: it holds secrets)."""
    path.write_text(json.dumps(overrides, indent=2))
    path.chmod(0o600)
    return path
