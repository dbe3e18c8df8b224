"""Models of the Ory Kratos public and admin APIs (v25.4.0) for the fields this project uses."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from stackspin_clients.models.base import WireModel

#: The self-service browser flows; also the path segment (``/self-service/<kind>/browser``).
FlowKind = Literal["login", "registration", "recovery", "verification", "settings"]
FLOW_KINDS: tuple[FlowKind, ...] = ("login", "registration", "recovery", "verification", "settings")


class VerifiableAddress(WireModel):
    """An address (email) Kratos can verify."""

    value: str
    verified: bool
    via: str
    status: str
    id: str | None = None
    verified_at: datetime | None = None


class RecoveryAddress(WireModel):
    """An address (email) Kratos can send recovery messages to."""

    value: str
    via: str
    id: str | None = None


class IdentityCredentials(WireModel):
    """One credential of an identity (password, totp, lookup_secret, webauthn, ...)."""

    type: str | None = None
    identifiers: list[str] | None = None
    config: dict[str, Any] | None = None
    version: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Identity(WireModel):
    """A person (``GET /admin/identities/{id}``); its ``id`` is the OIDC subject."""

    id: str
    schema_id: str
    schema_url: str
    traits: dict[str, Any] = Field(default_factory=dict)
    state: str | None = None
    state_changed_at: datetime | None = None
    metadata_public: Any = None
    metadata_admin: Any = None
    credentials: dict[str, IdentityCredentials] | None = None
    verifiable_addresses: list[VerifiableAddress] | None = None
    recovery_addresses: list[RecoveryAddress] | None = None
    external_id: str | None = None
    organization_id: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class AddressSummary(BaseModel):
    """The part of a :class:`VerifiableAddress` a list of people shows."""

    model_config = ConfigDict(extra="ignore")

    value: str
    verified: bool


class IdentitySummary(BaseModel):
    """The part of an :class:`Identity` a list of people shows, typed as there; every other
    field of Kratos's answer is skipped, not kept (reading a page of these costs about half)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    traits: dict[str, Any] = Field(default_factory=dict)
    state: str | None = None
    verifiable_addresses: list[AddressSummary] | None = None
    created_at: datetime | None = None


class IdentitySummaryPage(BaseModel):
    """One page of ``GET /admin/identities`` read as summaries; see :class:`IdentityPage`."""

    identities: list[IdentitySummary]
    next_page_token: str | None = None


class IdentityPage(WireModel):
    """One page of ``GET /admin/identities``; ``next_page_token`` is None on the last page."""

    identities: list[Identity]
    next_page_token: str | None = None


class CreateIdentity(WireModel):
    """Body of ``POST /admin/identities`` (and of one item of the batch create).

    ``credentials`` e.g. ``{"password": {"config": {"password": "..."}}}``.
    """

    schema_id: str = "default"
    traits: dict[str, Any]
    state: Literal["active", "inactive"] | None = None
    metadata_public: Any = None
    metadata_admin: Any = None
    credentials: dict[str, Any] | None = None
    verifiable_addresses: list[VerifiableAddress] | None = None
    recovery_addresses: list[RecoveryAddress] | None = None
    external_id: str | None = None


class UpdateIdentity(WireModel):
    """Body of ``PUT /admin/identities/{id}``: replaces traits, state and metadata.

    ``state`` is required (as by Kratos) so an update never re-activates someone by accident.
    """

    schema_id: str = "default"
    traits: dict[str, Any]
    state: Literal["active", "inactive"]
    metadata_public: Any = None
    metadata_admin: Any = None
    credentials: dict[str, Any] | None = None
    external_id: str | None = None


class JsonPatch(WireModel):
    """One RFC 6902 operation (Kratos and Hydra PATCH bodies are lists of these)."""

    op: Literal["add", "remove", "replace", "move", "copy", "test"]
    path: str
    value: Any = None
    from_: str | None = Field(default=None, alias="from")

    def to_wire(self) -> dict[str, Any]:
        """The operation as JSON; ``value`` is kept even when null, except for remove/move/copy."""
        body: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.op in ("add", "replace", "test"):
            body["value"] = self.value
        if self.from_ is not None:
            body["from"] = self.from_
        return body


class BatchIdentityResult(WireModel):
    """One item of the ``PATCH /admin/identities`` answer, in the order of the request.

    ``identity`` is the new identity's id when ``action`` is "create"; on failure
    ``action`` is "error" and ``error`` holds Kratos's error object.
    """

    action: str
    identity: str | None = None
    patch_id: str | None = None
    error: Any = None


class AuthenticationMethod(WireModel):
    """How (and at which level) a session was authenticated."""

    method: str | None = None
    aal: str | None = None
    completed_at: datetime | None = None


class Session(WireModel):
    """A Kratos session (``GET /sessions/whoami``)."""

    id: str
    active: bool | None = None
    identity: Identity | None = None
    authenticator_assurance_level: str | None = None
    authentication_methods: list[AuthenticationMethod] | None = None
    authenticated_at: datetime | None = None
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    devices: list[dict[str, Any]] | None = None


class UiText(WireModel):
    """A message Kratos shows (``id`` is Kratos's stable message number)."""

    id: int
    text: str
    type: str
    context: dict[str, Any] | None = None


class UiNode(WireModel):
    """One element of a flow's form: an input, text, image, script or anchor."""

    type: str
    group: str
    attributes: dict[str, Any]
    messages: list[UiText] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)

    @property
    def label(self) -> UiText | None:
        """The node's label (``meta.label``), when Kratos gives one."""
        raw = self.meta.get("label")
        return UiText.model_validate(raw) if isinstance(raw, dict) else None


class UiContainer(WireModel):
    """The form of a flow: where to post it, its nodes and form-level messages."""

    action: str
    method: str
    nodes: list[UiNode]
    messages: list[UiText] = Field(default_factory=list)


class Flow(WireModel):
    """Any self-service flow (login, registration, recovery, verification, settings)."""

    id: str
    type: str
    ui: UiContainer
    state: Any = None
    expires_at: datetime | None = None
    issued_at: datetime | None = None
    request_url: str | None = None
    return_to: str | None = None
    refresh: bool | None = None
    requested_aal: str | None = None
    active: str | None = None
    identity: Identity | None = None
    continue_with: list[dict[str, Any]] | None = None
    oauth2_login_challenge: str | None = None


class FlowResult(WireModel):
    """A flow plus the ``Set-Cookie`` headers Kratos sent, to pass back to the browser."""

    flow: Flow
    set_cookies: list[str] = Field(default_factory=list)


class FlowSubmitResult(WireModel):
    """The 200 answer of a JSON flow submit, plus Kratos's ``Set-Cookie`` headers.

    Login and registration answer with ``session`` (and ``identity``); settings, recovery and
    verification answer with the updated ``flow``. ``body`` is the raw JSON answer.
    """

    body: dict[str, Any]
    set_cookies: list[str] = Field(default_factory=list)
    flow: Flow | None = None
    session: Session | None = None
    identity: Identity | None = None
    continue_with: list[dict[str, Any]] | None = None


class LogoutFlow(WireModel):
    """``GET /self-service/logout/browser``: the URL that ends the browser's session."""

    logout_url: str
    logout_token: str


class FlowError(WireModel):
    """``GET /self-service/errors?id=``: the error a browser flow ended in."""

    id: str
    error: dict[str, Any] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class RecoveryLinkResult(WireModel):
    """``POST /admin/recovery/link``: a one-time link that logs the person in to settings."""

    recovery_link: str
    expires_at: datetime | None = None


class RecoveryCodeResult(WireModel):
    """``POST /admin/recovery/code``: a code to type on the page ``recovery_link`` opens."""

    recovery_link: str
    recovery_code: str
    expires_at: datetime | None = None
