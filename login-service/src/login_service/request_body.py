"""Refused requests leave no body behind on a keep-alive connection.

When a request is refused before its body was read (413 for a body over MAX_CONTENT_LENGTH,
405 on a GET-only page, ...), gunicorn would have to drain the rest before the next request on
the connection; it gives up after 64 KiB and closes the connection it has just announced as
keep-alive, and nginx's next request on it (maybe another person's consent) fails with 502.
So the body is read and thrown away here, before the refusal is sent.
"""

from __future__ import annotations

from typing import IO, Any

from flask import Flask, request
from werkzeug.wrappers import Response
from werkzeug.wsgi import LimitedStream

# As much as a proxy in front passes: nginx 64k on /auth/, the Kubernetes ingress 1m.
DRAIN_LIMIT = 1024 * 1024
CHUNK = 16 * 1024


def _unread_body() -> LimitedStream | IO[bytes] | None:
    """The rest of the body, never reading past its end; None when it cannot be bounded."""
    # Once the form was parsed, request.stream knows how much of the body it has read.
    cached: Any = request.__dict__.get("stream")
    if isinstance(cached, LimitedStream):
        return cached
    environ = request.environ
    length = request.content_length
    if length is not None:
        return LimitedStream(environ["wsgi.input"], length) if 0 < length <= DRAIN_LIMIT else None
    # Without a length only a server that ends the input itself (chunked) can be read to the end.
    return environ["wsgi.input"] if environ.get("wsgi.input_terminated") else None


def discard_unread_body(response: Response) -> Response:
    """Read what is left of a refused request's body (up to DRAIN_LIMIT) and drop it."""
    if response.status_code < 400:
        return response
    body = _unread_body()
    left = DRAIN_LIMIT
    while body is not None and left > 0:
        # Reading an exhausted max-length stream raises 413 instead of returning b"".
        if isinstance(body, LimitedStream) and body.is_exhausted:
            break
        chunk = body.read(min(CHUNK, left))
        if not chunk:
            break
        left -= len(chunk)
    return response


def init_body_draining(app: Flask) -> None:
    app.after_request(discard_unread_body)
