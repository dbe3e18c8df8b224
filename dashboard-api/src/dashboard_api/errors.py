"""Domain errors carry their HTTP status; one handler renders them as RFC 9457 problem+json."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from stackspin_clients import request_id_var
from stackspin_clients.errors import OryError, ServiceUnavailable
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class Problem(BaseModel):
    """An RFC 9457 problem details object."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None


class DomainError(Exception):
    """Base of the errors our services raise; the status and type slug are part of the API."""

    status: int = 400
    slug: str = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    @property
    def title(self) -> str:
        return HTTPStatus(self.status).phrase


class InvalidRequest(DomainError):  # noqa: N818
    status, slug = 400, "invalid-request"


class Unauthenticated(DomainError):  # noqa: N818
    status, slug = 401, "unauthenticated"


class PermissionDenied(DomainError):  # noqa: N818
    status, slug = 403, "forbidden"


class NotFound(DomainError):  # noqa: N818
    status, slug = 404, "not-found"


class Conflict(DomainError):  # noqa: N818
    status, slug = 409, "conflict"


class LastAdmin(Conflict):
    slug = "last-admin"


class Unprocessable(DomainError):  # noqa: N818
    status, slug = 422, "unprocessable"


class DependencyUnavailable(DomainError):  # noqa: N818
    status, slug = 503, "dependency-unavailable"


def problem_response(
    status: int,
    detail: str | None,
    *,
    slug: str | None = None,
    title: str | None = None,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = Problem(
        type=f"https://stackspin.net/problems/{slug}" if slug else "about:blank",
        title=title or HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=instance,
        request_id=request_id_var.get(),
        **extra,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def internal_error_response(path: str) -> JSONResponse:
    """A bug of ours: a problem with the request id, never a traceback or an exception text."""
    return problem_response(
        500,
        "Something went wrong on our side; the request id helps to find out what.",
        slug="internal-error",
        instance=path,
    )


def _ory_status(exc: OryError) -> tuple[int, str]:
    if isinstance(exc, ServiceUnavailable):
        return 503, "dependency-unavailable"
    # Any other unexpected answer from Hydra/Kratos is their problem, not the caller's.
    return 502, "bad-gateway"


def install_error_handlers(app: FastAPI) -> None:
    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DomainError)
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(
            exc.status,
            exc.detail,
            slug=exc.slug,
            title=exc.title,
            instance=request.url.path,
            headers=headers,
            **exc.extra,
        )

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": str(e.get("type"))}
            for e in exc.errors()
        ]
        return problem_response(
            422,
            "The request does not match the schema.",
            slug="validation-error",
            instance=request.url.path,
            errors=errors,
        )

    async def http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        return problem_response(
            exc.status_code,
            str(exc.detail),
            instance=request.url.path,
            headers=dict(exc.headers) if exc.headers else None,
        )

    async def ory_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, OryError)
        status, slug = _ory_status(exc)
        log.warning("ory call failed: %s (status %s)", type(exc).__name__, exc.status)
        return problem_response(
            status,
            "An identity service (Hydra or Kratos) is unavailable; try again later.",
            slug=slug,
            instance=request.url.path,
        )

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        # The driver's message only: str(exc) would add the SQL and its parameters, which may
        # hold a PKCE verifier, a nonce or an email address.
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        log.error("database error: %s: %s", type(exc).__name__, str(reason)[:300])
        return problem_response(
            503,
            "The database is unavailable; try again later.",
            slug="database-unavailable",
            instance=request.url.path,
        )

    async def integrity_error(request: Request, exc: Exception) -> JSONResponse:
        # Two requests raced for the same unique value; the loser gets what a check would say.
        return problem_response(
            409,
            "The change conflicts with data written at the same time; try again.",
            slug="conflict",
            instance=request.url.path,
        )

    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(OryError, ory_error)
    app.add_exception_handler(OperationalError, database_error)
    app.add_exception_handler(DBAPIError, database_error)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the problem statuses an operation may answer."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in sorted({*statuses, 503})
    }
