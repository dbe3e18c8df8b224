"""The devstack front door: one port, the public path map of proxy/ (nginx), as an ASGI app.

Mirrors proxy/templates/default.conf.template: the same locations and "never public" 404s, the
same request headers towards upstreams (Host, X-Request-ID, X-Real-IP, X-Forwarded-*), response
headers copied unchanged (every Set-Cookie, Location), redirects never followed. Development only:
no rate limiting, no gzip, no TLS.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
from stackspin_clients import ClientConfig

from devstack import static_site

log = logging.getLogger("devstack.router")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
# An upstream is a base URL ("http://127.0.0.1:5000") or an ASGI app served in this process.
Upstream = str | ASGIApp

# The same regex locations as nginx: they win over every prefix location.
NEVER_PUBLIC = (
    re.compile(r"^/kratos/+admin(/|$)"),
    re.compile(r"^/admin(/|$)"),
    re.compile(r"^/(api/+)?internal(/|$)"),
    re.compile(r"^/(kratos/+)?(metrics|healthz|readyz)(/|$)"),
)
HSTS = b"max-age=31536000; includeSubDomains"
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HOP_BY_HOP = frozenset(
    {
        b"connection",
        b"keep-alive",
        b"proxy-connection",
        b"proxy-authenticate",
        b"proxy-authorization",
        b"te",
        b"trailer",
        b"transfer-encoding",
        b"upgrade",
    }
)
SET_BY_PROXY = frozenset(
    {
        b"x-request-id",
        b"x-real-ip",
        b"x-forwarded-for",
        b"x-forwarded-proto",
        b"x-forwarded-host",
    }
)
MAX_BODY = 1024 * 1024
MAX_API_BODY = 10 * 1024 * 1024


@dataclass(frozen=True)
class Location:
    """One nginx `location`: a prefix ending in "/" (or an exact path) and where it goes."""

    path: str
    upstream: str  # attribute name on Upstreams
    strip: str = ""  # prefix removed before forwarding (nginx `proxy_pass http://up/;`)
    exact: bool = False
    max_body: int = MAX_BODY


LOCATIONS = (
    Location("/auth/", "login_service"),
    Location("/api/", "dashboard_api", max_body=MAX_API_BODY),
    Location("/kratos/", "kratos_public", strip="/kratos"),
    Location("/oauth2/", "hydra_public"),
    Location("/userinfo", "hydra_public", exact=True),
    Location("/.well-known/", "hydra_public"),
    Location("/demo/", "demo"),
    Location("/mail/", "mail"),
)
SERVICE_NAMES = {
    "login_service": "login-service",
    "dashboard_api": "dashboard-api",
    "kratos_public": "Kratos (public API)",
    "hydra_public": "Hydra (public API)",
    "demo": "the demo app",
    "mail": "the mail catcher",
}


@dataclass
class Upstreams:
    """Where each public location goes; None means "not running here" (503). Mutable."""

    login_service: Upstream | None = None
    dashboard_api: Upstream | None = None
    kratos_public: Upstream | None = None
    hydra_public: Upstream | None = None
    demo: Upstream | None = None
    mail: Upstream | None = None


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """A proxy must not keep cookies between requests: they belong to the browsers."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False

    def return_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> bool:
        return False


def _page(title: str, body: str) -> bytes:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head>\n"
        '<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto; '
        'padding: 0 1rem">\n'
        f"{body}\n</body></html>\n"
    ).encode()


HOME_LINKS = (
    ("/demo/", "Demo app", "log in with OpenID Connect and see your ID token", "demo"),
    (
        "/auth/settings",
        "Your account",
        "profile, password, two-factor authentication",
        "login_service",
    ),
    ("/api/docs", "Dashboard API docs", "", "dashboard_api"),
    ("/mail/", "Mail catcher", "every mail the stack sends", "mail"),
)


def home_page(upstreams: Upstreams) -> bytes:
    items = []
    for href, title, what, upstream in HOME_LINKS:
        missing = getattr(upstreams, upstream) is None
        note = f": {what}" if what else ""
        down = " <strong>(not running)</strong>" if missing else ""
        items.append(f'<li><a href="{href}">{title}</a>{note}{down}</li>')
    return _page(
        "Stackspin SSO (devstack)",
        "<h1>Stackspin single sign-on: development stack</h1>\n"
        "<p>Everything below runs in one process on this machine (devstack stand-ins for Ory "
        "Hydra and Kratos). Not for production.</p>\n<ul>\n" + "\n".join(items) + "\n</ul>",
    )


FAVICON = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    b'<circle cx="8" cy="8" r="7" fill="#3c5bd6"/></svg>'
)
NOT_FOUND = _page(
    "Not found",
    '<h1>Not found</h1><p>There is nothing at this address.</p><p><a href="/">Home</a></p>',
)


@dataclass
class Router:
    """ASGI app; `upstreams` may be changed while it runs (tests re-point it).

    `dashboard`: the built dashboard frontend (dashboard/dist) served at `/`; while it is not
    built, `/` is a page of links instead."""

    upstreams: Upstreams = field(default_factory=Upstreams)
    dashboard: Path | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    _clients: dict[int, httpx.AsyncClient] = field(default_factory=dict, repr=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            # No websockets behind this front door.
            return
        request_id = _request_id(scope)
        began = time.perf_counter()
        status = 0

        https = _says_https(scope)

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if https:
                    headers = [*message.get("headers", []), (b"strict-transport-security", HSTS)]
                    message = dict(message, headers=headers)
            await send(message)

        try:
            await self._handle(scope, receive, send_noting_status, request_id)
        finally:
            # An access log line for `devstack up -v` (without the query: it may hold codes).
            log.info(
                "%s %s %d %.1f ms request_id=%s",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - began) * 1000,
                request_id,
            )

    async def _handle(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        path = re.sub("/{2,}", "/", scope["path"])
        segments = path.split("/")
        if "." in segments or ".." in segments:
            await _respond(send, 400, _page("Bad request", "<h1>Bad request</h1>"), request_id)
            return
        if any(rule.match(path) for rule in NEVER_PUBLIC):
            await _respond(send, 404, NOT_FOUND, request_id)
            return
        for location in LOCATIONS:
            if location.exact and path == location.path:
                break
            if not location.exact and path.startswith(location.path):
                break
            if not location.exact and path == location.path.rstrip("/"):
                # nginx answers a prefix location's path without its slash with a 301.
                query = scope.get("query_string", b"").decode("latin-1")
                target = location.path + (f"?{query}" if query else "")
                await _respond(send, 301, b"", request_id, [(b"location", target.encode())])
                return
        else:
            if path == "/favicon.ico" and scope["method"] in ("GET", "HEAD"):
                # Browsers ask for it on every site; a 404 shows up as a console error.
                headers = [
                    (b"content-type", b"image/svg+xml"),
                    (b"cache-control", b"max-age=86400"),
                ]
                await _respond(send, 200, FAVICON, request_id, headers, scope)
                return
            if (
                self.dashboard is not None
                and static_site.is_built(self.dashboard)
                and scope["method"] in ("GET", "HEAD")
            ):
                found = static_site.find(self.dashboard, path)
                if found is None:
                    await _respond(send, 404, NOT_FOUND, request_id)
                else:
                    await _respond(send, 200, found.body, request_id, found.headers, scope)
                return
            if path == "/" and scope["method"] in ("GET", "HEAD"):
                csp = b"default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
                await _respond(
                    send,
                    200,
                    home_page(self.upstreams),
                    request_id,
                    [(b"content-security-policy", csp)],
                    scope,
                )
                return
            await _respond(send, 404, NOT_FOUND, request_id)
            return
        upstream = getattr(self.upstreams, location.upstream)
        service = SERVICE_NAMES[location.upstream]
        if upstream is None:
            body = _page(
                "Service not running",
                f"<h1>{escape(service)} is not running</h1>"
                f"<p>The development stack runs without {escape(service)} "
                "(not installed or not started). See the output of <code>devstack up</code>.</p>",
            )
            await _respond(send, 503, body, request_id)
            return
        forwarded = _forward_headers(scope, request_id)
        if callable(upstream):
            await self._call_app(upstream, location, scope, receive, send, forwarded, request_id)
            return
        await self._proxy(upstream, location, service, scope, receive, send, forwarded, request_id)

    async def _proxy(
        self,
        base_url: str,
        location: Location,
        service: str,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: list[tuple[bytes, bytes]],
        request_id: str,
    ) -> None:
        body = await _read_body(receive, location.max_body)
        if body is None:
            await _respond(send, 413, _page("Too large", "<h1>Request too large</h1>"), request_id)
            return
        raw_path = _raw_path(scope, location)
        query = scope.get("query_string", b"")
        url = base_url.rstrip("/") + raw_path.decode("latin-1")
        client = self._client()
        # httpx.Request, not client.build_request: no default headers (User-Agent, Accept) or
        # cookies added; the upstream sees what the browser sent plus nginx's headers.
        request = httpx.Request(
            scope["method"],
            httpx.URL(url, query=query) if query else httpx.URL(url),
            headers=headers,
            content=body,
        )
        try:
            response = await client.send(request, stream=True)
        except httpx.TimeoutException:
            log.warning("router: %s timed out (%s %s)", service, scope["method"], scope["path"])
            await _respond(send, 504, _down_page(service, "did not answer in time"), request_id)
            return
        except httpx.TransportError as exc:
            log.warning("router: %s unreachable at %s: %s", service, base_url, exc)
            await _respond(send, 502, _down_page(service, "is not answering"), request_id)
            return
        try:
            out = [
                (name, value)
                for name, value in response.headers.raw
                if name.lower() not in HOP_BY_HOP and name.lower() != b"x-request-id"
            ]
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": _with_proxy_headers(out, request_id),
                }
            )
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await response.aclose()

    async def _call_app(
        self,
        app: ASGIApp,
        location: Location,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: list[tuple[bytes, bytes]],
        request_id: str,
    ) -> None:
        inner = dict(scope)
        inner["headers"] = headers
        if location.strip:
            inner["raw_path"] = _raw_path(scope, location)
            inner["path"] = unquote(inner["raw_path"].decode("latin-1"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"
                ]
                message = dict(message, headers=_with_proxy_headers(kept, request_id))
            await send(message)

        await app(inner, receive, send_with_headers)

    def _client(self) -> httpx.AsyncClient:
        key = id(asyncio.get_running_loop())
        client = self._clients.get(key)
        if client is None:
            client = httpx.AsyncClient(
                follow_redirects=False,
                trust_env=False,
                cookies=http.cookiejar.CookieJar(policy=_NoCookies()),
                timeout=httpx.Timeout(self.read_timeout, connect=self.connect_timeout),
                # The clients' expiry, below the servers' keep-alive (ClientConfig says why).
                limits=httpx.Limits(
                    max_keepalive_connections=16, keepalive_expiry=ClientConfig.keepalive_expiry
                ),
            )
            self._clients[key] = client
        return client

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._client()  # its SSL context takes ~20 ms: not on the first request
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for client in self._clients.values():
                    await client.aclose()
                self._clients.clear()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name.lower() == b"x-request-id":
            given = str(value.decode("latin-1"))
            if REQUEST_ID.match(given):
                return given
    return uuid.uuid4().hex


def _raw_path(scope: Scope, location: Location) -> bytes:
    raw: bytes = scope.get("raw_path") or scope["path"].encode()
    raw = raw.split(b"?", 1)[0]
    if location.strip:
        raw = raw[len(location.strip) :] or b"/"
    return raw


def _forward_headers(scope: Scope, request_id: str) -> list[tuple[bytes, bytes]]:
    """The request headers nginx sends upstream (proxy_set_header lines of proxy/)."""
    incoming: list[tuple[bytes, bytes]] = scope["headers"]
    kept = [
        (name, value)
        for name, value in incoming
        if name.lower() not in HOP_BY_HOP and name.lower() not in SET_BY_PROXY
    ]
    client_ip = (scope.get("client") or ("127.0.0.1", 0))[0]
    previous_xff = [v.decode("latin-1") for n, v in incoming if n.lower() == b"x-forwarded-for"]
    host = next((v.decode("latin-1") for n, v in incoming if n.lower() == b"host"), "")
    kept += [
        (b"x-request-id", request_id.encode()),
        (b"x-real-ip", client_ip.encode()),
        (b"x-forwarded-for", ", ".join([*previous_xff, client_ip]).encode()),
        # nginx's $scheme: a browser's own X-Forwarded-Proto is never believed.
        (b"x-forwarded-proto", scope["scheme"].encode()),
    ]
    if host:
        # nginx's `$http_host`: as the browser sent it, port included (no X-Forwarded-Port).
        kept.append((b"x-forwarded-host", host.encode("latin-1")))
    return kept


def _says_https(scope: Scope) -> bool:
    """nginx's `$stackspin_forwarded_proto` with no trusted balancer listed: its own scheme."""
    return bool(scope["scheme"] == "https")


def _with_proxy_headers(
    headers: list[tuple[bytes, bytes]], request_id: str
) -> list[tuple[bytes, bytes]]:
    """nginx's `add_header ... always` lines: request id, nosniff, referrer policy."""
    present = {name.lower() for name, _ in headers}
    out = [*headers, (b"x-request-id", request_id.encode())]
    if b"x-content-type-options" not in present:
        out.append((b"x-content-type-options", b"nosniff"))
    if b"referrer-policy" not in present:
        out.append((b"referrer-policy", b"strict-origin-when-cross-origin"))
    return out


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _down_page(service: str, what: str) -> bytes:
    return _page(
        "Bad gateway",
        f"<h1>{escape(service)} {escape(what)}</h1>"
        "<p>The development stack could not reach this service. Is it still starting, or did it "
        "stop? See the output of <code>devstack up</code>.</p>",
    )


async def _respond(
    send: Send,
    status: int,
    body: bytes,
    request_id: str,
    extra: list[tuple[bytes, bytes]] | None = None,
    scope: Scope | None = None,
) -> None:
    headers = [(b"content-length", str(len(body)).encode()), *(extra or [])]
    if body and not any(name == b"content-type" for name, _ in headers):
        headers.append((b"content-type", b"text/html; charset=utf-8"))
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": _with_proxy_headers(headers, request_id),
        }
    )
    head = scope is not None and scope["method"] == "HEAD"
    await send({"type": "http.response.body", "body": b"" if head else body})
