"""/api/v1/roles."""

from __future__ import annotations

from fastapi import APIRouter

from dashboard_api.deps import EndsUnitOfWork, UserContext
from dashboard_api.errors import problem_responses
from dashboard_api.roles import service
from dashboard_api.roles.schemas import RoleOut

router = APIRouter(prefix="/roles", tags=["roles"], route_class=EndsUnitOfWork)


@router.get("", responses=problem_responses(401))
def list_roles(ctx: UserContext) -> list[RoleOut]:
    return [RoleOut.model_validate(role) for role in service.list_roles(ctx)]
