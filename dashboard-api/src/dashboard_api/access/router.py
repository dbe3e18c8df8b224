"""/api/v1/users/{id}/offboard."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path

from dashboard_api.access import offboarding
from dashboard_api.access.schemas import OffboardReport, OffboardRequest
from dashboard_api.deps import AdminContext, EndsUnitOfWork
from dashboard_api.errors import problem_responses

router = APIRouter(prefix="/users", tags=["users"], route_class=EndsUnitOfWork)

UserId = Annotated[str, Path(min_length=1, max_length=64, description="Kratos identity id")]


@router.post("/{user_id}/offboard", responses=problem_responses(401, 403, 404, 409, 422))
def offboard_user(
    ctx: AdminContext,
    user_id: UserId,
    body: Annotated[OffboardRequest, Body()] = OffboardRequest(),  # noqa: B008
) -> OffboardReport:
    """Deactivate, end every session and consent, remove the roles unless `keep_roles`; a
    report per app. Reactivating later gives back nothing but roles kept."""
    return offboarding.offboard(ctx, subject=user_id, keep_roles=body.keep_roles)
