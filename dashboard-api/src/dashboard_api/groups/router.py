"""/api/v1/groups: groups, their members and the roles they grant on apps (admins only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from dashboard_api import people
from dashboard_api.context import Context
from dashboard_api.deps import AdminContext, EndsUnitOfWork
from dashboard_api.errors import problem_responses
from dashboard_api.groups import claims, service
from dashboard_api.groups.schemas import (
    GrantSet,
    GroupCreate,
    GroupGrant,
    GroupOut,
    GroupsClaim,
    GroupUpdate,
    MemberAdd,
)

router = APIRouter(prefix="/groups", tags=["groups"], route_class=EndsUnitOfWork)

GroupId = Annotated[int, Path(ge=1, le=2**62, description="group id")]
Subject = Annotated[str, Path(min_length=1, max_length=64, description="Kratos identity id")]
AppSlug = Annotated[str, Path(min_length=1, max_length=64)]
ERRORS = (401, 403, 422)
ONE = (*ERRORS, 404)


def _out(view: service.GroupView, found: dict[str, people.PersonRef]) -> GroupOut:
    return GroupOut(
        id=view.group.id,
        name=view.group.name,
        description=view.group.description,
        members=view.members,
        grants=[GroupGrant(app=app, role=role) for app, role in view.grants],
        people=[found[s] for s in view.members if s in found],
    )


def _outs(ctx: Context, views: list[service.GroupView]) -> list[GroupOut]:
    """Every group's members named at once: one Kratos call per people.BATCH members."""
    found = people.resolve(ctx, {s for view in views for s in view.members})
    return [_out(view, found) for view in views]


def _one(ctx: Context, view: service.GroupView) -> GroupOut:
    return _outs(ctx, [view])[0]


@router.get("/claims/{app}", responses=problem_responses(*ONE))
def get_groups_claim(ctx: AdminContext, app: AppSlug) -> GroupsClaim:
    claim, groups = claims.get_groups_claim(ctx, app_slug=app)
    return GroupsClaim(claim=claim, groups=groups)


@router.put("/claims/{app}", responses=problem_responses(*ONE))
def set_groups_claim(ctx: AdminContext, app: AppSlug, body: GroupsClaim) -> GroupsClaim:
    """Set the app's groups claim: which of a person's groups its ID tokens name."""
    claim, groups = claims.set_groups_claim(ctx, app_slug=app, claim=body.claim, groups=body.groups)
    return GroupsClaim(claim=claim, groups=groups)


@router.get("", responses=problem_responses(*ERRORS))
def list_groups(ctx: AdminContext) -> list[GroupOut]:
    return _outs(ctx, list(service.list_groups(ctx)))


@router.post("", status_code=status.HTTP_201_CREATED, responses=problem_responses(*ERRORS, 409))
def create_group(ctx: AdminContext, body: GroupCreate) -> GroupOut:
    return _one(ctx, service.create_group(ctx, name=body.name, description=body.description))


@router.get("/{group_id}", responses=problem_responses(*ONE))
def get_group(ctx: AdminContext, group_id: GroupId) -> GroupOut:
    return _one(ctx, service.get_group(ctx, group_id=group_id))


@router.patch("/{group_id}", responses=problem_responses(*ONE, 409))
def update_group(ctx: AdminContext, group_id: GroupId, body: GroupUpdate) -> GroupOut:
    return _one(
        ctx,
        service.update_group(ctx, group_id=group_id, name=body.name, description=body.description),
    )


@router.delete(
    "/{group_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*ONE, 503),
)
def delete_group(ctx: AdminContext, group_id: GroupId) -> None:
    """Delete the group; its members lose what only it granted (their consents are revoked)."""
    service.delete_group(ctx, group_id=group_id)


@router.post("/{group_id}/members", responses=problem_responses(*ONE))
def add_member(ctx: AdminContext, group_id: GroupId, body: MemberAdd) -> GroupOut:
    return _one(ctx, service.add_member(ctx, group_id=group_id, subject=body.subject))


@router.delete("/{group_id}/members/{subject}", responses=problem_responses(*ONE, 503))
def remove_member(ctx: AdminContext, group_id: GroupId, subject: Subject) -> GroupOut:
    return _one(ctx, service.remove_member(ctx, group_id=group_id, subject=subject))


@router.put("/{group_id}/grants/{app}", responses=problem_responses(*ONE, 503))
def set_grant(ctx: AdminContext, group_id: GroupId, app: AppSlug, body: GrantSet) -> GroupOut:
    return _one(ctx, service.set_grant(ctx, group_id=group_id, app_slug=app, role=body.role))


@router.delete("/{group_id}/grants/{app}", responses=problem_responses(*ONE, 503))
def remove_grant(ctx: AdminContext, group_id: GroupId, app: AppSlug) -> GroupOut:
    return _one(ctx, service.set_grant(ctx, group_id=group_id, app_slug=app, role=None))
