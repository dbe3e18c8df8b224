"""Models of dashboard-api's internal API (``/internal/v1``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from stackspin_clients.models.base import WireModel


class DecisionApp(WireModel):
    """The app an OAuth2 client belongs to."""

    slug: str
    name: str
    url: str | None = None
    trusted: bool = False


class ConsentDecision(WireModel):
    """``GET /internal/v1/consent-decision``: may this subject use this client's app, and how.

    ``claims`` already holds the app's role claim and extra claims, ready for the ID token;
    ``identity_claims`` the person's own (:func:`stackspin_clients.claims.identity_claims`),
    which a dashboard-api before this field leaves out (``None``: ask Kratos).
    """

    allowed: bool
    app: DecisionApp | None = None
    role: str | None = None
    claims: dict[str, Any] = Field(default_factory=dict)
    identity_claims: dict[str, Any] | None = None
    reason: Literal["no_role", "user_inactive"] | str | None = None


class InvitationWelcome(WireModel):
    """``POST /internal/v1/invitation-welcome``: the invitation a recovery flow belongs to.

    ``accepted`` says the flow's code was redeemed (and the address marked verified);
    ``language`` is the invitation's ("en", "nl").
    """

    state: str
    language: str
    accepted: bool = False
