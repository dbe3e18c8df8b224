"""The two thin transports: send an Operation with pooled connections, timeouts and retries.

Both share :func:`retry_delay` (when and how long to wait) and ``Operation.handle`` (what
the answer means); only the sending and the sleeping differ between sync and async.
"""

from __future__ import annotations

import functools
import logging
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Any, Self, TypeVar

import anyio
import httpx

from stackspin_clients.config import ClientConfig
from stackspin_clients.deadline import seconds_left
from stackspin_clients.errors import error_from_transport
from stackspin_clients.operation import Operation, Page, RequestBase
from stackspin_clients.request_id import REQUEST_ID_HEADER, request_id_var

T = TypeVar("T")
log = logging.getLogger("stackspin_clients")
HTTP_LOGGERS = ("httpx", "httpcore")


def quiet_http_logs() -> None:
    """Keep httpx's and httpcore's own lines out of a service's log, warnings aside: httpx logs
    every call's URL at INFO (Hydra's challenges are in the query) and httpcore the answers'
    headers at DEBUG (Kratos's Set-Cookie); and the lines cost CPU on every call. The services
    log their own requests; these clients log failures as `stackspin_clients`."""
    for name in HTTP_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


#: Answers of a proxy or an overloaded service that a repeated attempt may fix.
RETRYABLE_STATUSES: frozenset[int] = frozenset({502, 503, 504})
#: A retry is only made when, after its backoff, this long (at most read_timeout) is left
#: before the request's deadline for its own answer.
MIN_ATTEMPT_SECONDS = 1.0


def retry_delay(
    config: ClientConfig,
    operation: Operation[Any],
    attempt: int,
    response: httpx.Response | None,
) -> float | None:
    """Seconds to wait before repeating a failed attempt, or None to stop.

    ``attempt`` is 0 for the first try; ``response`` is None after a transport error.
    Only idempotent operations are repeated, at most ``config.max_retries`` times, and only
    when the retry still fits before the request's deadline (:mod:`stackspin_clients.deadline`).
    """
    if not operation.idempotent or attempt >= config.max_retries:
        return None
    if response is not None and response.status_code not in RETRYABLE_STATUSES:
        return None
    delay = float(config.backoff * (2**attempt))
    left = seconds_left()
    # A retry must have time for its own answer before the request's deadline.
    if left is not None and delay + min(config.read_timeout, MIN_ATTEMPT_SECONDS) >= left:
        return None
    return delay


def _log_retry(request: httpx.Request, attempt: int, delay: float, cause: str) -> None:
    # Path only: queries can carry challenges, and those stay out of logs.
    log.warning(
        "retrying %s %s after %s (attempt %d) in %.2fs",
        request.method,
        request.url.path,
        cause,
        attempt + 2,
        delay,
    )


def _timeout(config: ClientConfig) -> httpx.Timeout:
    return httpx.Timeout(
        connect=config.connect_timeout,
        read=config.read_timeout,
        write=config.read_timeout,
        pool=config.connect_timeout,
    )


class DeadlinePassed(httpx.TimeoutException):
    """The incoming request's deadline passed before this call could be sent."""


def _fit_to_deadline(config: ClientConfig, request: httpx.Request) -> None:
    """Cut this attempt's timeouts to the time left before the request's deadline."""
    left = seconds_left()
    if left is None:
        return
    if left <= 0:
        raise DeadlinePassed("the request's deadline passed", request=request)
    # The dict httpx.Timeout(...).as_dict() would give, without building the Timeout.
    request.extensions["timeout"] = {
        "connect": min(config.connect_timeout, left),
        "read": min(config.read_timeout, left),
        "write": min(config.read_timeout, left),
        "pool": min(config.connect_timeout, left),
    }


def _limits(config: ClientConfig) -> httpx.Limits:
    """httpx's default pool sizes, with the config's keep-alive expiry."""
    return httpx.Limits(
        max_connections=100, max_keepalive_connections=20, keepalive_expiry=config.keepalive_expiry
    )


def _request_headers() -> dict[str, str]:
    request_id = request_id_var.get()
    return {REQUEST_ID_HEADER: request_id} if request_id else {}


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS context, built once: loading the CA bundle per client is slow."""
    return httpx.create_ssl_context()


def _no_cookie_jar() -> CookieJar:
    """A jar that stores nothing.

    One client serves many browsers: a Set-Cookie from Kratos for one person must never be
    sent on the next person's call. Callers pass the browser's Cookie header explicitly.
    """
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


def _base_url(config: ClientConfig) -> str:
    # A trailing slash makes relative paths append to a base with a path prefix.
    return config.base_url.rstrip("/") + "/"


class SyncTransport:
    """Base of the sync clients: one pooled ``httpx.Client`` per client object."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """Open a connection pool to ``config.base_url``.

        ``transport`` replaces the network (e.g. ``httpx.WSGITransport`` for an in-process app).
        """
        self.config = config
        self._http = httpx.Client(
            base_url=_base_url(config),
            timeout=_timeout(config),
            limits=_limits(config),
            headers=headers,
            transport=transport,
            cookies=_no_cookie_jar(),
            verify=_tls_context(),
            follow_redirects=False,
        )
        self._base = RequestBase.of(self._http)

    def _send(self, operation: Operation[T]) -> T:
        """Send ``operation``, retrying where allowed, and return its parsed answer."""
        attempt = 0
        while True:
            request = operation.build_request(self._base, _request_headers())
            try:
                _fit_to_deadline(self.config, request)
                response = self._http.send(request)
            except httpx.RequestError as exc:
                delay = retry_delay(self.config, operation, attempt, None)
                if delay is None:
                    raise error_from_transport(request, exc) from exc
                _log_retry(request, attempt, delay, type(exc).__name__)
            else:
                delay = retry_delay(self.config, operation, attempt, response)
                if delay is None:
                    return operation.handle(response)
                _log_retry(request, attempt, delay, str(response.status_code))
                response.close()
            time.sleep(delay)
            attempt += 1

    def _iterate(self, page: Callable[[str | None], Operation[Page[T]]]) -> Iterator[T]:
        """Every item of a paginated list, fetching pages as needed.

        Stops at the last page (no ``rel="next"``), at an empty page (Kratos's offset-paged
        lists keep a ``next`` link, with a new token each time, even when empty) and at a
        token seen before, so it never loops.
        """
        token: str | None = None
        seen: set[str] = set()
        while True:
            result = self._send(page(token))
            yield from result.items
            token = result.next_page_token
            if not result.items or not token or token in seen:
                return
            seen.add(token)

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncTransport:
    """Base of the async clients: one pooled ``httpx.AsyncClient`` per client object."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Open a connection pool to ``config.base_url``.

        ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` for an in-process app).
        """
        self.config = config
        self._http = httpx.AsyncClient(
            base_url=_base_url(config),
            timeout=_timeout(config),
            limits=_limits(config),
            headers=headers,
            transport=transport,
            cookies=_no_cookie_jar(),
            verify=_tls_context(),
            follow_redirects=False,
        )
        self._base = RequestBase.of(self._http)

    async def _send(self, operation: Operation[T]) -> T:
        """Send ``operation``, retrying where allowed, and return its parsed answer."""
        attempt = 0
        while True:
            request = operation.build_request(self._base, _request_headers())
            try:
                _fit_to_deadline(self.config, request)
                response = await self._http.send(request)
            except httpx.RequestError as exc:
                delay = retry_delay(self.config, operation, attempt, None)
                if delay is None:
                    raise error_from_transport(request, exc) from exc
                _log_retry(request, attempt, delay, type(exc).__name__)
            else:
                delay = retry_delay(self.config, operation, attempt, response)
                if delay is None:
                    return operation.handle(response)
                _log_retry(request, attempt, delay, str(response.status_code))
                await response.aclose()
            await anyio.sleep(delay)
            attempt += 1

    async def _iterate(self, page: Callable[[str | None], Operation[Page[T]]]) -> AsyncIterator[T]:
        """Every item of a paginated list, fetching pages as needed (see the sync one)."""
        token: str | None = None
        seen: set[str] = set()
        while True:
            result = await self._send(page(token))
            for item in result.items:
                yield item
            token = result.next_page_token
            if not result.items or not token or token in seen:
                return
            seen.add(token)

    async def close(self) -> None:
        """Close the pooled connections."""
        await self._http.aclose()

    async def aclose(self) -> None:
        """Alias of :meth:`close`."""
        await self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
