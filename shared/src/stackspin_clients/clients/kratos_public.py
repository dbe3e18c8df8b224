"""Ory Kratos public API clients (sync and async) for a server-side UI."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stackspin_clients.models.kratos import (
    FlowError,
    FlowKind,
    FlowResult,
    FlowSubmitResult,
    LogoutFlow,
    Session,
)
from stackspin_clients.operations import kratos_public as ops
from stackspin_clients.transport import AsyncTransport, SyncTransport


class KratosPublic(SyncTransport):
    """Kratos's public API, blocking calls.

    Pass the browser's ``Cookie`` header in ``cookie`` and hand ``FlowResult.set_cookies``
    back to the browser: that is how Kratos's CSRF and session cookies reach it.
    """

    def create_browser_flow(
        self,
        kind: FlowKind,
        *,
        cookie: str | None = None,
        return_to: str | None = None,
        refresh: bool = False,
        aal: str | None = None,
    ) -> FlowResult:
        """Start a login/registration/recovery/verification/settings browser flow."""
        return self._send(
            ops.create_browser_flow(
                kind, cookie=cookie, return_to=return_to, refresh=refresh, aal=aal
            )
        )

    def get_flow(self, kind: FlowKind, flow_id: str, *, cookie: str | None = None) -> FlowResult:
        """Fetch a flow (410 → Gone when expired, 403 → Forbidden on a CSRF mismatch)."""
        return self._send(ops.get_flow(kind, flow_id, cookie=cookie))

    def submit_flow(
        self,
        kind: FlowKind,
        flow_id: str,
        body: Mapping[str, Any],
        *,
        cookie: str | None = None,
        session_token: str | None = None,
    ) -> FlowSubmitResult:
        """Submit a flow as JSON (servers and tests; browsers post to Kratos directly)."""
        return self._send(
            ops.submit_flow(kind, flow_id, body, cookie=cookie, session_token=session_token)
        )

    def whoami(self, *, cookie: str | None = None, session_token: str | None = None) -> Session:
        """The session of the browser (401 → Unauthorized; 403 → Forbidden when AAL2 is due)."""
        return self._send(ops.whoami(cookie=cookie, session_token=session_token))

    def create_browser_logout_flow(
        self, *, cookie: str | None, return_to: str | None = None
    ) -> LogoutFlow:
        """The URL that logs the browser out (401 → Unauthorized without a session)."""
        return self._send(ops.create_browser_logout_flow(cookie=cookie, return_to=return_to))

    def get_flow_error(self, error_id: str) -> FlowError:
        """The error a browser flow ended in (``/auth/error?id=``)."""
        return self._send(ops.get_flow_error(error_id))


class AsyncKratosPublic(AsyncTransport):
    """Kratos's public API, async calls (see :class:`KratosPublic`)."""

    async def create_browser_flow(
        self,
        kind: FlowKind,
        *,
        cookie: str | None = None,
        return_to: str | None = None,
        refresh: bool = False,
        aal: str | None = None,
    ) -> FlowResult:
        """Start a login/registration/recovery/verification/settings browser flow."""
        return await self._send(
            ops.create_browser_flow(
                kind, cookie=cookie, return_to=return_to, refresh=refresh, aal=aal
            )
        )

    async def get_flow(
        self, kind: FlowKind, flow_id: str, *, cookie: str | None = None
    ) -> FlowResult:
        """Fetch a flow (410 → Gone when expired, 403 → Forbidden on a CSRF mismatch)."""
        return await self._send(ops.get_flow(kind, flow_id, cookie=cookie))

    async def submit_flow(
        self,
        kind: FlowKind,
        flow_id: str,
        body: Mapping[str, Any],
        *,
        cookie: str | None = None,
        session_token: str | None = None,
    ) -> FlowSubmitResult:
        """Submit a flow as JSON (servers and tests; browsers post to Kratos directly)."""
        return await self._send(
            ops.submit_flow(kind, flow_id, body, cookie=cookie, session_token=session_token)
        )

    async def whoami(
        self, *, cookie: str | None = None, session_token: str | None = None
    ) -> Session:
        """The session of the browser (401 → Unauthorized; 403 → Forbidden when AAL2 is due)."""
        return await self._send(ops.whoami(cookie=cookie, session_token=session_token))

    async def create_browser_logout_flow(
        self, *, cookie: str | None, return_to: str | None = None
    ) -> LogoutFlow:
        """The URL that logs the browser out (401 → Unauthorized without a session)."""
        return await self._send(ops.create_browser_logout_flow(cookie=cookie, return_to=return_to))

    async def get_flow_error(self, error_id: str) -> FlowError:
        """The error a browser flow ended in (``/auth/error?id=``)."""
        return await self._send(ops.get_flow_error(error_id))
