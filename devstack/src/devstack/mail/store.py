"""Where caught mails live: SQLite, in memory for tests or a file under .devstack/ for make dev."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS mail (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT,
    html_body TEXT,
    received_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Mail:
    """One caught mail, as the JSON API shows it (`from` is a keyword, hence `sender`)."""

    id: str
    sender: str
    to: list[str]
    subject: str
    text: str | None
    html: str | None
    received_at: str

    def to_json(self) -> dict[str, Any]:
        body = asdict(self)
        body["from"] = body.pop("sender")
        return body


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return None
    content = part.get_content()
    return content if isinstance(content, str) else None


def parse(raw: bytes, envelope_from: str, envelope_to: list[str]) -> Mail:
    """Turn the bytes of an SMTP DATA command into a Mail (headers win over the envelope)."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return Mail(
        id=str(uuid.uuid4()),
        sender=str(message.get("From") or envelope_from),
        to=list(envelope_to),
        subject=str(message.get("Subject") or ""),
        text=_body(message, "plain"),
        html=_body(message, "html"),
        received_at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    )


class MailStore:
    """Thread-safe: the SMTP thread writes while HTTP handlers read."""

    def __init__(self, database: str | Path = ":memory:") -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(database), check_same_thread=False, isolation_level=None)
        with self._lock:
            self._db.execute(SCHEMA)

    def add(self, mail: Mail) -> Mail:
        with self._lock:
            self._db.execute(
                "INSERT INTO mail (id, sender, recipients, subject, text_body, html_body,"
                " received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    mail.id,
                    mail.sender,
                    "\n".join(mail.to),
                    mail.subject,
                    mail.text,
                    mail.html,
                    mail.received_at,
                ),
            )
        return mail

    def list(self, recipient: str | None = None) -> list[Mail]:
        """Newest first; `recipient` keeps the mails sent to that address (case-insensitive)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, sender, recipients, subject, text_body, html_body, received_at"
                " FROM mail ORDER BY seq DESC"
            ).fetchall()
        mails = [self._mail(row) for row in rows]
        if recipient is None:
            return mails
        wanted = recipient.lower()
        return [m for m in mails if any(addr.lower() == wanted for addr in m.to)]

    def get(self, mail_id: str) -> Mail | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, sender, recipients, subject, text_body, html_body, received_at"
                " FROM mail WHERE id = ?",
                (mail_id,),
            ).fetchone()
        return None if row is None else self._mail(row)

    def delete(self, mail_id: str) -> bool:
        with self._lock:
            return self._db.execute("DELETE FROM mail WHERE id = ?", (mail_id,)).rowcount > 0

    def clear(self) -> None:
        with self._lock:
            self._db.execute("DELETE FROM mail")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @staticmethod
    def _mail(row: tuple[Any, ...]) -> Mail:
        mail_id, sender, recipients, subject, text, html, received_at = row
        return Mail(
            id=mail_id,
            sender=sender,
            to=recipients.split("\n") if recipients else [],
            subject=subject,
            text=text,
            html=html,
            received_at=received_at,
        )
