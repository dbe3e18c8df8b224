"""The SMTP side: aiosmtpd on 127.0.0.1 in its own thread and event loop, storing every mail."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from devstack.mail.store import MailStore, parse
from devstack.mail.web import create_app
from devstack.serve import bind_loopback

log = logging.getLogger("devstack.mail")


class _StoreHandler:
    """aiosmtpd handler: every DATA command becomes one stored Mail."""

    def __init__(self, store: MailStore) -> None:
        self._store = store

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode()
        mail = parse(raw, str(envelope.mail_from or ""), [str(r) for r in envelope.rcpt_tos])
        self._store.add(mail)
        log.info("mail caught: %r to %s", mail.subject, ", ".join(mail.to))
        return "250 Message accepted for delivery"


class MailCatcher:
    """SMTP server + store + ASGI app (`/mail/...`); `start()` binds, `stop()` closes.

    `smtp_port=0` picks a free port (read `smtp_port` after `start()`); `database` is ":memory:"
    or a SQLite file path.
    """

    def __init__(self, *, smtp_port: int = 0, database: str | Path = ":memory:") -> None:
        self.store = MailStore(database)
        self.app = create_app(self.store)
        self._wanted_port = smtp_port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.smtp_port = 0

    @property
    def smtp_url(self) -> str:
        """The URL Kratos's courier takes (`courier.smtp.connection_uri`)."""
        return f"smtp://127.0.0.1:{self.smtp_port}/?disable_starttls=true"

    def start(self) -> MailCatcher:
        sock = bind_loopback(self._wanted_port)
        self.smtp_port = sock.getsockname()[1]
        loop = asyncio.new_event_loop()
        handler = _StoreHandler(self.store)
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                server = loop.run_until_complete(
                    loop.create_server(
                        lambda: SMTP(
                            handler, hostname="devstack-mail", enable_SMTPUTF8=True, loop=loop
                        ),
                        sock=sock,
                    )
                )
            except Exception as exc:  # reported to start() below
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            server.close()
            loop.run_until_complete(server.wait_closed())
            loop.close()

        self._loop = loop
        self._thread = threading.Thread(target=run, name=f"smtp-{self.smtp_port}", daemon=True)
        self._thread.start()
        ready.wait(10)
        if failure:
            raise RuntimeError(f"mail catcher could not listen on {self.smtp_port}") from failure[0]
        return self

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        self._loop = self._thread = None
        self.store.close()

    def __enter__(self) -> MailCatcher:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
