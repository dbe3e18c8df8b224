"""Settings of the Kratos stand-in; a mutable dataclass read on every request."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# deploy/ory/ at the repository root (devstack/src/devstack/kratos → 4 up)
_DEPLOY_ORY = Path(__file__).resolve().parents[4] / "deploy" / "ory"
DEFAULT_IDENTITY_SCHEMA = _DEPLOY_ORY / "identity.schema.json"
# courier.template_override_path; a missing folder means Kratos's built-in texts
DEFAULT_COURIER_TEMPLATES = _DEPLOY_ORY / "courier-templates"


@dataclass
class KratosConfig:
    """What real Kratos reads from its config file (`serve.public.base_url`, `selfservice.*`, ...).

    Everything except `database` may be changed while the servers run; URLs are browser-facing.
    """

    # serve.public.base_url: browser-facing, ends with "/" (e.g. http://localhost:8080/kratos/).
    public_url: str = "http://127.0.0.1:4433/"
    # serve.admin.base_url: used for the Location header of created identities.
    admin_url: str = "http://127.0.0.1:4434/"
    # selfservice.flows.<kind>.ui_url and selfservice.flows.error.ui_url
    login_ui_url: str = "http://127.0.0.1:4455/login"
    registration_ui_url: str = "http://127.0.0.1:4455/registration"
    recovery_ui_url: str = "http://127.0.0.1:4455/recovery"
    verification_ui_url: str = "http://127.0.0.1:4455/verification"
    settings_ui_url: str = "http://127.0.0.1:4455/settings"
    error_ui_url: str = "http://127.0.0.1:4455/error"
    # selfservice.default_browser_return_url and selfservice.allowed_return_urls
    default_return_url: str = "http://127.0.0.1:4455/"
    allowed_return_urls: list[str] = field(default_factory=list)
    # selfservice.flows.recovery.after.default_browser_return_url: the return_to of the
    # settings flow a recovery opens (None: the settings page itself, Kratos's default)
    recovery_return_url: str | None = None
    # selfservice.flows.logout.after.default_browser_return_url (None → default_return_url)
    logout_return_url: str | None = None
    identity_schema_path: Path = DEFAULT_IDENTITY_SCHEMA
    # selfservice.methods.link.enabled (off in deploy/ory/kratos.yml: POST /admin/recovery/link
    # then answers 404 "This endpoint was disabled by system administrator...")
    recovery_link_enabled: bool = False
    # selfservice.flows.registration.enabled (real default true; off for this project)
    registration_enabled: bool = False
    # session.whoami.required_aal and selfservice.flows.settings.required_aal
    whoami_required_aal: str = "highest_available"
    settings_required_aal: str = "highest_available"
    # selfservice.flows.*.lifespan (seconds); session.lifespan; settings.privileged_session_max_age
    flow_lifespan: int = 3600
    session_lifespan: int = 86400
    privileged_session_max_age: int = 900
    # selfservice.methods.code.config.lifespan (recovery and verification codes)
    code_lifespan: int = 900
    # courier: None → mails are only stored (GET /admin/courier/messages)
    smtp_url: str | None = None
    mail_from: str = "no-reply@stackspin.local"
    mail_from_name: str = "Stackspin"
    courier_template_dir: Path | None = DEFAULT_COURIER_TEMPLATES
    # TOTP issuer shown in authenticator apps (selfservice.methods.totp.config.issuer)
    totp_issuer: str = "Stackspin"
    # SQLite file path or ":memory:"; read once by create_apps
    database: str = ":memory:"
    # argon2id parameters (hashers.argon2); tests lower them for speed
    argon2_memory_kib: int = 65536
    argon2_iterations: int = 2
    argon2_parallelism: int = 1
    # send Kratos's WebAuthn settings nodes (the ceremony itself is not emulated)
    webauthn_nodes: bool = False
    # selfservice.flows.settings.after.profile.hooks: the web_hook deploy/ory/kratos.yml
    # configures (dashboard-api's /internal/v1/kratos/identity-changed and its Bearer token);
    # None: no hook
    profile_hook_url: str | None = None
    profile_hook_token: str | None = None
    # minimum password length (selfservice.methods.password.config.min_password_length)
    min_password_length: int = 10
