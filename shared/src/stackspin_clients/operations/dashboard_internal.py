"""Operations of dashboard-api's internal API (``/internal/v1``, login-service only)."""

from __future__ import annotations

from stackspin_clients.models.dashboard import ConsentDecision, InvitationWelcome
from stackspin_clients.operation import Operation, parse_model


def consent_decision(subject: str, client_id: str) -> Operation[ConsentDecision]:
    """``GET /internal/v1/consent-decision``: may ``subject`` use the app of ``client_id``."""
    return Operation(
        "GET",
        "/internal/v1/consent-decision",
        parse_model(ConsentDecision),
        {"subject": subject, "client_id": client_id},
    )


def invitation_welcome(recovery_flow: str, *, accept: bool) -> Operation[InvitationWelcome]:
    """``POST /internal/v1/invitation-welcome``: is ``recovery_flow`` an invitation's; with
    ``accept``, record it accepted when its code was redeemed."""
    return Operation(
        "POST",
        "/internal/v1/invitation-welcome",
        parse_model(InvitationWelcome),
        json={"recovery_flow": recovery_flow, "accept": accept},
    )
