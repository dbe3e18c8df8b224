"""Verification flow (being written)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from devstack.kratos import errors
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc


def create_flow(rt: Runtime, request: Request, **_: Any) -> Doc | Response:
    raise errors.KratosError(501, reason="not implemented yet")


async def submit(rt: Runtime, request: Request) -> Response:
    raise errors.KratosError(501, reason="not implemented yet")


async def follow_link(rt: Runtime, request: Request) -> Response:
    raise errors.KratosError(501, reason="not implemented yet")
