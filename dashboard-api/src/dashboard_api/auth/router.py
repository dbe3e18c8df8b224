"""/api/v1/auth: the dashboard frontend's login through Hydra, its callback and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import RedirectResponse, Response
from fastapi.security import APIKeyCookie

from dashboard_api.auth import service
from dashboard_api.config import Settings
from dashboard_api.deps import EndsUnitOfWork, SystemContext, cookie_scheme, refuse_cross_site
from dashboard_api.errors import InvalidRequest, problem_responses

router = APIRouter(prefix="/auth", tags=["auth"], route_class=EndsUnitOfWork)

REDIRECT = {"description": "Redirect (Location header)"}
CALLBACK_PATH = "/api/v1/auth/callback"
login_cookie = APIKeyCookie(
    name=service.LOGIN_COOKIE, auto_error=False, description="Set by /api/v1/auth/login"
)


@router.get(
    "/login",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    responses={302: REDIRECT, **problem_responses(400, 422)},
)
def login(
    ctx: SystemContext,
    return_to: Annotated[
        str | None, Query(max_length=512, description="a path, e.g. /users")
    ] = None,
) -> RedirectResponse:
    """Start the login: off to Hydra with PKCE."""
    started = service.start_login(ctx, return_to)
    response = RedirectResponse(started.url, status.HTTP_302_FOUND)
    _set_cookie(
        response,
        ctx.settings,
        service.LOGIN_COOKIE,
        started.state,
        path=CALLBACK_PATH,
        max_age=ctx.settings.login_state_lifetime,
    )
    return response


@router.get(
    "/callback",
    status_code=status.HTTP_302_FOUND,
    response_class=RedirectResponse,
    responses={302: REDIRECT, **problem_responses(400, 422)},
)
def callback(
    ctx: SystemContext,
    browser_state: Annotated[str | None, Depends(login_cookie)],
    session_token: Annotated[str | None, Depends(cookie_scheme)],
    state: Annotated[str | None, Query(max_length=512)] = None,
    code: Annotated[str | None, Query(max_length=2048)] = None,
    error: Annotated[str | None, Query(max_length=256)] = None,
    error_description: Annotated[str | None, Query(max_length=2048)] = None,
) -> RedirectResponse:
    """Hydra sends the browser back here; a session cookie is set and the browser goes on."""
    if error:
        raise InvalidRequest(f"The login did not complete: {error_description or error}")
    if not state or not code:
        raise InvalidRequest("The callback needs state and code.")
    new = service.finish_login(
        ctx,
        state=state,
        code=code,
        browser_state=browser_state,
        previous_session=session_token,
    )
    response = RedirectResponse(new.return_to, status.HTTP_302_FOUND)
    _set_cookie(response, ctx.settings, service.LOGIN_COOKIE, None, path=CALLBACK_PATH)
    _set_cookie(
        response,
        ctx.settings,
        service.SESSION_COOKIE,
        new.token,
        path="/",
        max_age=ctx.settings.session_lifetime,
    )
    return response


@router.post(
    "/logout",
    status_code=status.HTTP_303_SEE_OTHER,
    response_class=RedirectResponse,
    responses={303: REDIRECT, **problem_responses(403)},
)
def logout(
    request: Request,
    ctx: SystemContext,
    session_token: Annotated[str | None, Depends(cookie_scheme)],
) -> RedirectResponse:
    """End the dashboard session and log out at Hydra (RP-initiated logout)."""
    if session_token:
        # Another site must not be able to sign the person out either.
        refuse_cross_site(request, ctx.settings)
    response = RedirectResponse(service.logout(ctx, session_token), status.HTTP_303_SEE_OTHER)
    _set_cookie(response, ctx.settings, service.SESSION_COOKIE, None, path="/")
    return response


def _set_cookie(
    response: Response,
    settings: Settings,
    name: str,
    value: str | None,
    *,
    path: str,
    max_age: int = 0,
) -> None:
    """Our cookies, all HttpOnly and SameSite=Lax (Secure on https); value None deletes one."""
    if value is None:
        response.delete_cookie(
            name, path=path, httponly=True, secure=settings.cookie_secure, samesite="lax"
        )
        return
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
    )
