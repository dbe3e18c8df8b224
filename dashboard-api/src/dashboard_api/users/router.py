"""/api/v1/users (admins) and /api/v1/me (everyone, about themselves)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from dashboard_api.apps import service as apps_service
from dashboard_api.apps.schemas import MyApp
from dashboard_api.deps import AdminContext, CurrentPrincipal, EndsUnitOfWork, UserContext
from dashboard_api.errors import problem_responses
from dashboard_api.invitations.schemas import InvitationRequest
from dashboard_api.pagination import Page
from dashboard_api.users import batch, creation, credentials, listing, reading, sessions, updates
from dashboard_api.users.schemas import (
    BatchCreate,
    BatchResult,
    Me,
    MeUpdate,
    RecoveryCode,
    RoleName,
    User,
    UserCreate,
    UserSession,
    UserUpdate,
)

router = APIRouter(prefix="/users", tags=["users"], route_class=EndsUnitOfWork)
me_router = APIRouter(prefix="/me", tags=["me"], route_class=EndsUnitOfWork)

UserId = Annotated[str, Path(min_length=1, max_length=64, description="Kratos identity id")]
SessionId = Annotated[str, Path(min_length=1, max_length=64, description="Kratos session id")]
ADMIN_ERRORS = (401, 403, 422)
ONE_USER_ERRORS = (*ADMIN_ERRORS, 404)


@router.get("", response_model=Page[User], responses=problem_responses(*ADMIN_ERRORS))
def list_users(
    ctx: AdminContext,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    q: Annotated[str | None, Query(max_length=254, description="email or name")] = None,
    app: Annotated[str | None, Query(max_length=64, description="app slug")] = None,
    role: Annotated[RoleName | None, Query()] = None,
) -> Response:
    """Users, a page at a time (keyset); search by email or name, filter by app and role."""
    # Serialised here, in the endpoint's thread; `response_model` documents it.
    page = listing.list_users(ctx, limit=limit, cursor=cursor, q=q, app=app, role=role)
    return Response(listing.as_json(page), media_type="application/json")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(*ADMIN_ERRORS, 409),
)
def create_user(ctx: AdminContext, body: UserCreate) -> User:
    """Create a user in Kratos with roles here; optionally mail an invitation."""
    return creation.create_user(ctx, data=body)


@router.post("/batch", responses=problem_responses(*ADMIN_ERRORS))
def batch_create_users(
    ctx: AdminContext,
    body: BatchCreate,
    dry_run: Annotated[
        bool, Query(description="say what each item would do (would_create, exists, failed)")
    ] = False,
) -> BatchResult:
    """Create up to 1000 users with one Kratos batch call; a result per item. With `dry_run`
    nothing is written."""
    if dry_run:
        return batch.preview(ctx, items=body.users)
    return batch.batch_create(ctx, items=body.users)


@router.get("/{user_id}", responses=problem_responses(*ONE_USER_ERRORS))
def get_user(ctx: AdminContext, user_id: UserId) -> User:
    return reading.get_user(ctx, subject=user_id)


@router.patch("/{user_id}", responses=problem_responses(*ONE_USER_ERRORS, 409))
def update_user(ctx: AdminContext, user_id: UserId, body: UserUpdate) -> User:
    """Change traits, roles (replaced as a whole) or state; deactivating ends their sessions."""
    return updates.update_user(ctx, subject=user_id, data=body)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*ONE_USER_ERRORS, 409),
)
def delete_user(ctx: AdminContext, user_id: UserId) -> None:
    """Delete the identity, its roles and all its sessions."""
    updates.delete_user(ctx, subject=user_id)


@router.post("/{user_id}/recovery-code", responses=problem_responses(*ONE_USER_ERRORS))
def create_recovery_code(ctx: AdminContext, user_id: UserId) -> RecoveryCode:
    """A one-time recovery code for the admin to hand over, with the page to enter it on
    (the person then sets a new password). It does not verify their address."""
    return credentials.recovery_code(ctx, subject=user_id)


@router.post(
    "/{user_id}/invitation",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*ONE_USER_ERRORS),
)
def send_invitation(
    ctx: AdminContext, user_id: UserId, body: InvitationRequest | None = None
) -> None:
    """Mail the person a (new) invitation: a Kratos recovery code (optional body: its language)."""
    creation.invite(ctx, subject=user_id, language=body.language if body else None)


@router.post(
    "/{user_id}/reset-second-factor",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*ONE_USER_ERRORS),
)
def reset_second_factor(ctx: AdminContext, user_id: UserId) -> None:
    """Remove TOTP, recovery codes and security keys."""
    credentials.reset_second_factor(ctx, subject=user_id)


@router.get("/{user_id}/sessions", responses=problem_responses(*ONE_USER_ERRORS))
def list_user_sessions(ctx: AdminContext, user_id: UserId) -> list[UserSession]:
    return sessions.list_sessions(ctx, subject=user_id)


@router.delete(
    "/{user_id}/sessions",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*ONE_USER_ERRORS),
)
def revoke_user_sessions(ctx: AdminContext, user_id: UserId) -> None:
    """End every Kratos session and Hydra login/consent session of the user."""
    sessions.revoke_sessions(ctx, subject=user_id)


@router.delete(
    "/{user_id}/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=problem_responses(*ONE_USER_ERRORS),
)
def end_user_session(ctx: AdminContext, user_id: UserId, session_id: SessionId) -> None:
    """End one Kratos session of the user (404 when it is not theirs); that browser signs in
    again. Apps it already signed in to keep their tokens: end all sessions for that."""
    sessions.end_session(ctx, subject=user_id, session_id=session_id)


@me_router.get("", responses=problem_responses(401))
def get_me(ctx: UserContext, principal: CurrentPrincipal) -> Me:
    return reading.get_me(ctx, principal=principal)


@me_router.patch("", responses=problem_responses(401, 403, 409, 422))
def update_me(ctx: UserContext, principal: CurrentPrincipal, body: MeUpdate) -> Me:
    """Change your own name or username."""
    return updates.update_me(ctx, principal=principal, data=body)


@me_router.get("/apps", responses=problem_responses(401))
def list_my_apps(ctx: UserContext, principal: CurrentPrincipal) -> list[MyApp]:
    """The apps you may use, with your role on each."""
    return apps_service.my_apps(ctx, subject=principal.subject)
