"""Ory Hydra admin API clients (sync and async)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence

from stackspin_clients.models.hydra import (
    AcceptConsent,
    AcceptLogin,
    ConsentRequest,
    IntrospectedToken,
    LoginRequest,
    LogoutRequest,
    OAuth2Client,
    OAuth2ClientPage,
    PreviousConsentSession,
    RedirectTo,
    RejectRequest,
)
from stackspin_clients.models.kratos import JsonPatch
from stackspin_clients.operations import hydra_admin as ops
from stackspin_clients.transport import AsyncTransport, SyncTransport


class HydraAdmin(SyncTransport):
    """Hydra's admin API (``HydraAdmin(ClientConfig(base_url=...))``), blocking calls."""

    def get_login_request(self, challenge: str) -> LoginRequest:
        """The login request behind ``login_challenge`` (410 → Gone with redirect_to)."""
        return self._send(ops.get_login_request(challenge))

    def accept_login_request(self, challenge: str, body: AcceptLogin) -> RedirectTo:
        """Accept the login: the person is ``body.subject``."""
        return self._send(ops.accept_login_request(challenge, body))

    def reject_login_request(self, challenge: str, body: RejectRequest) -> RedirectTo:
        """Reject the login with an OAuth 2.0 error for the client."""
        return self._send(ops.reject_login_request(challenge, body))

    def get_consent_request(self, challenge: str) -> ConsentRequest:
        """The consent request behind ``consent_challenge``."""
        return self._send(ops.get_consent_request(challenge))

    def accept_consent_request(self, challenge: str, body: AcceptConsent) -> RedirectTo:
        """Grant scopes (and put claims into the tokens)."""
        return self._send(ops.accept_consent_request(challenge, body))

    def reject_consent_request(self, challenge: str, body: RejectRequest) -> RedirectTo:
        """Refuse the consent with an OAuth 2.0 error for the client."""
        return self._send(ops.reject_consent_request(challenge, body))

    def get_logout_request(self, challenge: str) -> LogoutRequest:
        """The logout request behind ``logout_challenge``."""
        return self._send(ops.get_logout_request(challenge))

    def accept_logout_request(self, challenge: str) -> RedirectTo:
        """Accept the logout; Hydra ends its login session for the subject."""
        return self._send(ops.accept_logout_request(challenge))

    def reject_logout_request(self, challenge: str) -> None:
        """Refuse the logout."""
        return self._send(ops.reject_logout_request(challenge))

    def list_oauth2_clients(
        self,
        page_size: int = 100,
        page_token: str | None = None,
        client_name: str | None = None,
        owner: str | None = None,
    ) -> OAuth2ClientPage:
        """One page of OAuth2 clients; pass ``next_page_token`` back for the next."""
        page = self._send(ops.list_oauth2_clients(page_size, page_token, client_name, owner))
        return OAuth2ClientPage(clients=page.items, next_page_token=page.next_page_token)

    def iter_oauth2_clients(
        self, page_size: int = 100, client_name: str | None = None, owner: str | None = None
    ) -> Iterator[OAuth2Client]:
        """Every OAuth2 client, following the Link header page by page."""
        return self._iterate(
            lambda token: ops.list_oauth2_clients(page_size, token, client_name, owner)
        )

    def get_oauth2_client(self, client_id: str) -> OAuth2Client:
        """One OAuth2 client (NotFound when unknown)."""
        return self._send(ops.get_oauth2_client(client_id))

    def create_oauth2_client(self, client: OAuth2Client) -> OAuth2Client:
        """Register a client; the answer holds ``client_secret`` this one time."""
        return self._send(ops.create_oauth2_client(client))

    def set_oauth2_client(self, client_id: str, client: OAuth2Client) -> OAuth2Client:
        """Replace a client (PUT)."""
        return self._send(ops.set_oauth2_client(client_id, client))

    def patch_oauth2_client(self, client_id: str, patch: Sequence[JsonPatch]) -> OAuth2Client:
        """Change a client with a JSON patch."""
        return self._send(ops.patch_oauth2_client(client_id, patch))

    def delete_oauth2_client(self, client_id: str) -> None:
        """Delete a client."""
        return self._send(ops.delete_oauth2_client(client_id))

    def list_consent_sessions(
        self, subject: str, page_size: int = 500
    ) -> list[PreviousConsentSession]:
        """Every remembered consent of ``subject`` (all pages)."""
        return list(
            self._iterate(lambda token: ops.list_consent_sessions(subject, token, page_size))
        )

    def revoke_consent_sessions(
        self, subject: str, client: str | None = None, all: bool = True
    ) -> None:
        """Forget the consents of ``subject`` for ``client``, or for every client."""
        return self._send(ops.revoke_consent_sessions(subject, client, all))

    def revoke_login_sessions(self, subject: str | None = None, sid: str | None = None) -> None:
        """End Hydra's login sessions of ``subject``, or the one with id ``sid``."""
        return self._send(ops.revoke_login_sessions(subject, sid))

    def introspect_token(self, token: str, scope: str | None = None) -> IntrospectedToken:
        """Whether ``token`` is an active access token (with ``scope``), and its claims."""
        return self._send(ops.introspect_token(token, scope))


class AsyncHydraAdmin(AsyncTransport):
    """Hydra's admin API (``AsyncHydraAdmin(ClientConfig(base_url=...))``), async calls."""

    async def get_login_request(self, challenge: str) -> LoginRequest:
        """The login request behind ``login_challenge`` (410 → Gone with redirect_to)."""
        return await self._send(ops.get_login_request(challenge))

    async def accept_login_request(self, challenge: str, body: AcceptLogin) -> RedirectTo:
        """Accept the login: the person is ``body.subject``."""
        return await self._send(ops.accept_login_request(challenge, body))

    async def reject_login_request(self, challenge: str, body: RejectRequest) -> RedirectTo:
        """Reject the login with an OAuth 2.0 error for the client."""
        return await self._send(ops.reject_login_request(challenge, body))

    async def get_consent_request(self, challenge: str) -> ConsentRequest:
        """The consent request behind ``consent_challenge``."""
        return await self._send(ops.get_consent_request(challenge))

    async def accept_consent_request(self, challenge: str, body: AcceptConsent) -> RedirectTo:
        """Grant scopes (and put claims into the tokens)."""
        return await self._send(ops.accept_consent_request(challenge, body))

    async def reject_consent_request(self, challenge: str, body: RejectRequest) -> RedirectTo:
        """Refuse the consent with an OAuth 2.0 error for the client."""
        return await self._send(ops.reject_consent_request(challenge, body))

    async def get_logout_request(self, challenge: str) -> LogoutRequest:
        """The logout request behind ``logout_challenge``."""
        return await self._send(ops.get_logout_request(challenge))

    async def accept_logout_request(self, challenge: str) -> RedirectTo:
        """Accept the logout; Hydra ends its login session for the subject."""
        return await self._send(ops.accept_logout_request(challenge))

    async def reject_logout_request(self, challenge: str) -> None:
        """Refuse the logout."""
        return await self._send(ops.reject_logout_request(challenge))

    async def list_oauth2_clients(
        self,
        page_size: int = 100,
        page_token: str | None = None,
        client_name: str | None = None,
        owner: str | None = None,
    ) -> OAuth2ClientPage:
        """One page of OAuth2 clients; pass ``next_page_token`` back for the next."""
        page = await self._send(ops.list_oauth2_clients(page_size, page_token, client_name, owner))
        return OAuth2ClientPage(clients=page.items, next_page_token=page.next_page_token)

    def iter_oauth2_clients(
        self, page_size: int = 100, client_name: str | None = None, owner: str | None = None
    ) -> AsyncIterator[OAuth2Client]:
        """Every OAuth2 client, following the Link header page by page (``async for``)."""
        return self._iterate(
            lambda token: ops.list_oauth2_clients(page_size, token, client_name, owner)
        )

    async def get_oauth2_client(self, client_id: str) -> OAuth2Client:
        """One OAuth2 client (NotFound when unknown)."""
        return await self._send(ops.get_oauth2_client(client_id))

    async def create_oauth2_client(self, client: OAuth2Client) -> OAuth2Client:
        """Register a client; the answer holds ``client_secret`` this one time."""
        return await self._send(ops.create_oauth2_client(client))

    async def set_oauth2_client(self, client_id: str, client: OAuth2Client) -> OAuth2Client:
        """Replace a client (PUT)."""
        return await self._send(ops.set_oauth2_client(client_id, client))

    async def patch_oauth2_client(self, client_id: str, patch: Sequence[JsonPatch]) -> OAuth2Client:
        """Change a client with a JSON patch."""
        return await self._send(ops.patch_oauth2_client(client_id, patch))

    async def delete_oauth2_client(self, client_id: str) -> None:
        """Delete a client."""
        return await self._send(ops.delete_oauth2_client(client_id))

    async def list_consent_sessions(
        self, subject: str, page_size: int = 500
    ) -> list[PreviousConsentSession]:
        """Every remembered consent of ``subject`` (all pages)."""
        return [s async for s in self._iterate(lambda t: ops.list_consent_sessions(subject, t))]

    async def revoke_consent_sessions(
        self, subject: str, client: str | None = None, all: bool = True
    ) -> None:
        """Forget the consents of ``subject`` for ``client``, or for every client."""
        return await self._send(ops.revoke_consent_sessions(subject, client, all))

    async def revoke_login_sessions(
        self, subject: str | None = None, sid: str | None = None
    ) -> None:
        """End Hydra's login sessions of ``subject``, or the one with id ``sid``."""
        return await self._send(ops.revoke_login_sessions(subject, sid))

    async def introspect_token(self, token: str, scope: str | None = None) -> IntrospectedToken:
        """Whether ``token`` is an active access token (with ``scope``), and its claims."""
        return await self._send(ops.introspect_token(token, scope))
