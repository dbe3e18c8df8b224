"""/api/v1/invitations and /api/v1/users/{id}/invitations (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from dashboard_api.deps import AdminContext, EndsUnitOfWork
from dashboard_api.errors import problem_responses
from dashboard_api.invitations import lifecycle
from dashboard_api.invitations.schemas import InvitationOut, InvitationRequest, InvitationState
from dashboard_api.pagination import Page

router = APIRouter(prefix="/invitations", tags=["invitations"], route_class=EndsUnitOfWork)
user_router = APIRouter(prefix="/users", tags=["invitations"], route_class=EndsUnitOfWork)

InvitationId = Annotated[int, Path(ge=1, le=2**62)]
UserId = Annotated[str, Path(min_length=1, max_length=64, description="Kratos identity id")]
Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[str | None, Query(max_length=2048)]
ERRORS = (401, 403, 422)
ONE_ERRORS = (*ERRORS, 404, 409, 503)


@router.get("", response_model=Page[InvitationOut], responses=problem_responses(*ERRORS))
def list_invitations(
    ctx: AdminContext,
    limit: Limit = 100,
    cursor: Cursor = None,
    state: Annotated[InvitationState | None, Query()] = None,
) -> Page[InvitationOut]:
    """Invitations, newest first, a page at a time (keyset); filter by state."""
    return lifecycle.list_invitations(ctx, limit=limit, cursor=cursor, state=state)


@user_router.get(
    "/{user_id}/invitations",
    response_model=Page[InvitationOut],
    responses=problem_responses(*ERRORS),
)
def list_user_invitations(
    ctx: AdminContext,
    user_id: UserId,
    limit: Limit = 100,
    cursor: Cursor = None,
    state: Annotated[InvitationState | None, Query()] = None,
) -> Page[InvitationOut]:
    """One user's invitations, newest first."""
    return lifecycle.list_invitations(ctx, limit=limit, cursor=cursor, state=state, subject=user_id)


@router.post("/{invitation_id}/resend", responses=problem_responses(*ONE_ERRORS))
def resend_invitation(
    ctx: AdminContext, invitation_id: InvitationId, body: InvitationRequest | None = None
) -> InvitationOut:
    """Mail a pending or expired invitation again with a new code (the old one stops working);
    optional body: the mail's language (else the invitation's)."""
    return lifecycle.resend(
        ctx, invitation_id=invitation_id, language=body.language if body else None
    )


@router.post("/{invitation_id}/withdraw", responses=problem_responses(*ONE_ERRORS))
def withdraw_invitation(ctx: AdminContext, invitation_id: InvitationId) -> InvitationOut:
    """Withdraw an invitation: the code already mailed stops working at once."""
    return lifecycle.withdraw(ctx, invitation_id=invitation_id)
