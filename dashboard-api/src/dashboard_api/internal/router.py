"""/internal/v1: for login-service and Kratos's web_hook (a token each; nginx never routes it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from dashboard_api.deps import (
    EndsUnitOfWork,
    InternalToken,
    KratosHookToken,
    SystemContext,
    writes_on_read,
)
from dashboard_api.errors import problem_responses
from dashboard_api.internal import service
from dashboard_api.internal.schemas import ConsentDecision, IdentityChanged
from dashboard_api.invitations import welcome
from dashboard_api.invitations.schemas import InvitationWelcome, InvitationWelcomeRequest
from dashboard_api.search import service as search

# Not in /api/openapi.json: the public schema documents only what nginx routes.
router = APIRouter(
    prefix="/internal/v1", tags=["internal"], include_in_schema=False, route_class=EndsUnitOfWork
)


@router.get("/consent-decision", responses=problem_responses(401, 404, 422))
@writes_on_read  # a redeemed invitation marks the address verified (audited)
def consent_decision(
    _: InternalToken,
    ctx: SystemContext,
    subject: Annotated[str, Query(min_length=1, max_length=64)],
    client_id: Annotated[str, Query(min_length=1, max_length=255)],
) -> ConsentDecision:
    """May `subject` use the app behind `client_id`, with which role and claims?"""
    return service.consent_decision(ctx, subject, client_id)


@router.post("/invitation-welcome", responses=problem_responses(401, 404, 422))
def invitation_welcome(
    _: InternalToken, ctx: SystemContext, body: InvitationWelcomeRequest
) -> InvitationWelcome:
    """The invitation a Kratos recovery flow belongs to; with `accept`, accept it once its
    code was redeemed (the address counts as verified from then on)."""
    return welcome.welcome(ctx, recovery_flow=body.recovery_flow, accept=body.accept)


@router.post(
    "/kratos/identity-changed",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 422, 503),
)
def identity_changed(_: KratosHookToken, ctx: SystemContext, body: IdentityChanged) -> None:
    """Kratos's settings web_hook: someone saved their profile. Their search entry is read
    again from Kratos (the body says whom, never what)."""
    search.refresh(ctx, subjects=[str(body.identity_id)])
