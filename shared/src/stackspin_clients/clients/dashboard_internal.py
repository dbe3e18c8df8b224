"""Clients of dashboard-api's internal API (sync and async), authenticated by a shared token."""

from __future__ import annotations

import httpx

from stackspin_clients.config import ClientConfig
from stackspin_clients.models.dashboard import ConsentDecision, InvitationWelcome
from stackspin_clients.operations import dashboard_internal as ops
from stackspin_clients.transport import AsyncTransport, SyncTransport


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class DashboardInternal(SyncTransport):
    """dashboard-api ``/internal/v1`` (``DashboardInternal(config, token)``), blocking calls."""

    def __init__(
        self,
        config: ClientConfig,
        token: str,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """Talk to dashboard-api at ``config.base_url`` with the shared internal token."""
        super().__init__(config, headers=_auth(token), transport=transport)

    def consent_decision(self, subject: str, client_id: str) -> ConsentDecision:
        """May ``subject`` use the app of ``client_id``, with which role and claims.

        401 → Unauthorized (wrong token); 404 → NotFound (client linked to no app).
        """
        return self._send(ops.consent_decision(subject, client_id))

    def invitation_welcome(self, recovery_flow: str, *, accept: bool = False) -> InvitationWelcome:
        """The invitation whose mailed code belongs to Kratos recovery flow ``recovery_flow``.

        With ``accept``: once the code was redeemed, the invitation is accepted and the address
        verified. 404 → NotFound (no invitation of that flow).
        """
        return self._send(ops.invitation_welcome(recovery_flow, accept=accept))


class AsyncDashboardInternal(AsyncTransport):
    """dashboard-api ``/internal/v1``, async calls (see :class:`DashboardInternal`)."""

    def __init__(
        self,
        config: ClientConfig,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Talk to dashboard-api at ``config.base_url`` with the shared internal token."""
        super().__init__(config, headers=_auth(token), transport=transport)

    async def consent_decision(self, subject: str, client_id: str) -> ConsentDecision:
        """May ``subject`` use the app of ``client_id``, with which role and claims."""
        return await self._send(ops.consent_decision(subject, client_id))

    async def invitation_welcome(
        self, recovery_flow: str, *, accept: bool = False
    ) -> InvitationWelcome:
        """The invitation of ``recovery_flow`` (see :class:`DashboardInternal`)."""
        return await self._send(ops.invitation_welcome(recovery_flow, accept=accept))
