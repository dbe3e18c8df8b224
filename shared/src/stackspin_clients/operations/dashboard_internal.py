"""Operations of dashboard-api's internal API (``/internal/v1``, login-service only)."""

from __future__ import annotations

from stackspin_clients.models.dashboard import ConsentDecision
from stackspin_clients.operation import Operation, parse_model


def consent_decision(subject: str, client_id: str) -> Operation[ConsentDecision]:
    """``GET /internal/v1/consent-decision``: may ``subject`` use the app of ``client_id``."""
    return Operation(
        "GET",
        "/internal/v1/consent-decision",
        parse_model(ConsentDecision),
        {"subject": subject, "client_id": client_id},
    )
