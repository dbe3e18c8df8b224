"""`Cache-Control: no-store` on every answer but the public branding (the same for everyone).

Client secrets, recovery codes, session redirects and everyone's personal data all come from
this API; no answer is the same for everybody, so no browser or proxy may keep any of them.
One rule for all answers, so a new endpoint that returns a secret cannot forget it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard_api.branding import router as branding

CACHE_CONTROL = b"cache-control"
# Paths whose answer is the same for everybody, and how long it may be kept; nothing else.
SHARED_ANSWERS = {branding.PATH: branding.CACHE_CONTROL}


class NoStoreMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        shared = scope["method"] in ("GET", "HEAD") and scope["path"] in SHARED_ANSWERS

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != CACHE_CONTROL]
                keep = shared and message["status"] == 200
                value = SHARED_ANSWERS[scope["path"]] if keep else b"no-store"
                headers.append((CACHE_CONTROL, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_no_store)
