"""Ory Kratos admin API clients (sync and async)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from stackspin_clients.models.kratos import (
    BatchIdentityResult,
    CreateIdentity,
    Identity,
    IdentityPage,
    IdentitySummaryPage,
    JsonPatch,
    RecoveryCodeResult,
    RecoveryLinkResult,
    Session,
    UpdateIdentity,
)
from stackspin_clients.operations import kratos_admin as ops
from stackspin_clients.transport import AsyncTransport, SyncTransport


class KratosAdmin(SyncTransport):
    """Kratos's admin API (``KratosAdmin(ClientConfig(base_url=...))``), blocking calls."""

    def list_identities(
        self,
        page_size: int = 250,
        page_token: str | None = None,
        credentials_identifier: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> IdentityPage:
        """One page of identities; pass ``next_page_token`` back for the next."""
        page = self._send(ops.list_identities(page_size, page_token, credentials_identifier, ids))
        return IdentityPage(identities=page.items, next_page_token=page.next_page_token)

    def list_identity_summaries(
        self,
        page_size: int = 250,
        page_token: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> IdentitySummaryPage:
        """One page of identities, only what a list of people shows (see ``IdentitySummary``)."""
        page = self._send(ops.list_identity_summaries(page_size, page_token, ids))
        return IdentitySummaryPage(identities=page.items, next_page_token=page.next_page_token)

    def iter_identities(
        self,
        page_size: int = 250,
        credentials_identifier: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> Iterator[Identity]:
        """Every identity (matching the filters), following the Link header."""
        return self._iterate(
            lambda token: ops.list_identities(page_size, token, credentials_identifier, ids)
        )

    def get_identity(
        self, identity_id: str, include_credential: Sequence[str] | None = None
    ) -> Identity:
        """One identity (NotFound when unknown)."""
        return self._send(ops.get_identity(identity_id, include_credential))

    def create_identity(self, body: CreateIdentity) -> Identity:
        """Create an identity (Conflict when the email/username is taken)."""
        return self._send(ops.create_identity(body))

    def update_identity(self, identity_id: str, body: UpdateIdentity) -> Identity:
        """Replace an identity's traits, state and metadata (PUT)."""
        return self._send(ops.update_identity(identity_id, body))

    def patch_identity(self, identity_id: str, patch: Sequence[JsonPatch]) -> Identity:
        """Change an identity with a JSON patch."""
        return self._send(ops.patch_identity(identity_id, patch))

    def delete_identity(self, identity_id: str) -> None:
        """Delete an identity."""
        return self._send(ops.delete_identity(identity_id))

    def batch_create_identities(
        self, identities: Sequence[CreateIdentity]
    ) -> list[BatchIdentityResult]:
        """Create many identities in one call; one result per item, in order."""
        return self._send(ops.batch_create_identities(identities))

    def delete_identity_credentials(self, identity_id: str, credential_type: str) -> None:
        """Remove one credential type (e.g. "totp", "lookup_secret") from an identity."""
        return self._send(ops.delete_identity_credentials(identity_id, credential_type))

    def list_identity_sessions(self, identity_id: str, page_size: int = 1000) -> list[Session]:
        """Every session of an identity (all pages, each session once)."""
        return ops.unique_sessions(
            self._iterate(lambda token: ops.list_identity_sessions(identity_id, token, page_size))
        )

    def delete_identity_sessions(self, identity_id: str) -> None:
        """End every session of an identity."""
        return self._send(ops.delete_identity_sessions(identity_id))

    def disable_session(self, session_id: str) -> None:
        """End one session."""
        return self._send(ops.disable_session(session_id))

    def create_recovery_link(
        self, identity_id: str, expires_in: str | None = None
    ) -> RecoveryLinkResult:
        """A one-time recovery link for the identity (``expires_in`` like "1h")."""
        return self._send(ops.create_recovery_link(identity_id, expires_in))

    def create_recovery_code(
        self, identity_id: str, expires_in: str | None = None
    ) -> RecoveryCodeResult:
        """A recovery code plus the link of the page to enter it on."""
        return self._send(ops.create_recovery_code(identity_id, expires_in))

    def list_courier_messages(self, recipient: str | None = None) -> list[dict[str, Any]]:
        """Every mail Kratos queued or sent (all pages), optionally for one recipient."""
        return list(self._iterate(lambda token: ops.list_courier_messages(recipient, token)))


class AsyncKratosAdmin(AsyncTransport):
    """Kratos's admin API, async calls (see :class:`KratosAdmin`)."""

    async def list_identities(
        self,
        page_size: int = 250,
        page_token: str | None = None,
        credentials_identifier: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> IdentityPage:
        """One page of identities; pass ``next_page_token`` back for the next."""
        page = await self._send(
            ops.list_identities(page_size, page_token, credentials_identifier, ids)
        )
        return IdentityPage(identities=page.items, next_page_token=page.next_page_token)

    async def list_identity_summaries(
        self,
        page_size: int = 250,
        page_token: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> IdentitySummaryPage:
        """One page of identities, only what a list of people shows (see ``IdentitySummary``)."""
        page = await self._send(ops.list_identity_summaries(page_size, page_token, ids))
        return IdentitySummaryPage(identities=page.items, next_page_token=page.next_page_token)

    def iter_identities(
        self,
        page_size: int = 250,
        credentials_identifier: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> AsyncIterator[Identity]:
        """Every identity (matching the filters), following the Link header (``async for``)."""
        return self._iterate(
            lambda token: ops.list_identities(page_size, token, credentials_identifier, ids)
        )

    async def get_identity(
        self, identity_id: str, include_credential: Sequence[str] | None = None
    ) -> Identity:
        """One identity (NotFound when unknown)."""
        return await self._send(ops.get_identity(identity_id, include_credential))

    async def create_identity(self, body: CreateIdentity) -> Identity:
        """Create an identity (Conflict when the email/username is taken)."""
        return await self._send(ops.create_identity(body))

    async def update_identity(self, identity_id: str, body: UpdateIdentity) -> Identity:
        """Replace an identity's traits, state and metadata (PUT)."""
        return await self._send(ops.update_identity(identity_id, body))

    async def patch_identity(self, identity_id: str, patch: Sequence[JsonPatch]) -> Identity:
        """Change an identity with a JSON patch."""
        return await self._send(ops.patch_identity(identity_id, patch))

    async def delete_identity(self, identity_id: str) -> None:
        """Delete an identity."""
        return await self._send(ops.delete_identity(identity_id))

    async def batch_create_identities(
        self, identities: Sequence[CreateIdentity]
    ) -> list[BatchIdentityResult]:
        """Create many identities in one call; one result per item, in order."""
        return await self._send(ops.batch_create_identities(identities))

    async def delete_identity_credentials(self, identity_id: str, credential_type: str) -> None:
        """Remove one credential type (e.g. "totp", "lookup_secret") from an identity."""
        return await self._send(ops.delete_identity_credentials(identity_id, credential_type))

    async def list_identity_sessions(
        self, identity_id: str, page_size: int = 1000
    ) -> list[Session]:
        """Every session of an identity (all pages, each session once)."""
        return ops.unique_sessions(
            [
                s
                async for s in self._iterate(
                    lambda token: ops.list_identity_sessions(identity_id, token, page_size)
                )
            ]
        )

    async def delete_identity_sessions(self, identity_id: str) -> None:
        """End every session of an identity."""
        return await self._send(ops.delete_identity_sessions(identity_id))

    async def disable_session(self, session_id: str) -> None:
        """End one session."""
        return await self._send(ops.disable_session(session_id))

    async def create_recovery_link(
        self, identity_id: str, expires_in: str | None = None
    ) -> RecoveryLinkResult:
        """A one-time recovery link for the identity (``expires_in`` like "1h")."""
        return await self._send(ops.create_recovery_link(identity_id, expires_in))

    async def create_recovery_code(
        self, identity_id: str, expires_in: str | None = None
    ) -> RecoveryCodeResult:
        """A recovery code plus the link of the page to enter it on."""
        return await self._send(ops.create_recovery_code(identity_id, expires_in))

    async def list_courier_messages(self, recipient: str | None = None) -> list[dict[str, Any]]:
        """Every mail Kratos queued or sent (all pages), optionally for one recipient."""
        return [
            m
            async for m in self._iterate(lambda token: ops.list_courier_messages(recipient, token))
        ]
