"""`python -m devstack.bench.ory_process LOGIN_BASE_URL [KRATOS_DATABASE]`: run an OryStack
until stdin closes.

Prints one JSON line with the four URLs once the stand-ins answer. Kratos keeps its state in
KRATOS_DATABASE (a SQLite file the bench seeds at scale) when given. Each stand-in counts the
requests it serves; `GET /__bench/requests` on any of them answers every count (the bench's
calls per request).
"""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from typing import Any

from starlette.types import Receive, Scope, Send

from devstack.stack import OryStack

COUNTS_PATH = "/__bench/requests"


class RequestCounter:
    """Counts the HTTP requests of each wrapped app (one event loop: no lock needed)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def wrap(self, name: str, app: Any) -> Any:
        async def counted(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] == COUNTS_PATH:
                body = json.dumps(self.counts).encode()
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [(b"content-type", b"application/json")],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
            if scope["type"] == "http":
                self.counts[name] += 1
            await app(scope, receive, send)

        return counted


def main() -> None:
    logging.disable(logging.WARNING)  # the stand-ins' "development only" banner, once per run
    counter = RequestCounter()
    stack = OryStack(wrap=counter.wrap)
    if len(sys.argv) > 2:
        stack.kratos_config.database = sys.argv[2]
    with stack:
        stack.point_ui_at(sys.argv[1])
        urls = {
            "hydra_public_url": stack.hydra_public_url,
            "hydra_admin_url": stack.hydra_admin_url,
            "kratos_public_url": stack.kratos_public_url,
            "kratos_admin_url": stack.kratos_admin_url,
        }
        print(json.dumps(urls), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
