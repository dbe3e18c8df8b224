"""Kratos's courier: every mail is stored (GET /admin/courier/messages) and, with smtp_url, sent."""

from __future__ import annotations

import logging
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any
from urllib.parse import unquote, urlsplit

from devstack.kratos import clock, mail_templates
from devstack.kratos.config import KratosConfig
from devstack.kratos.store import Doc, Store

KIND = "courier_message"
log = logging.getLogger("devstack.kratos.courier")


class Courier:
    def __init__(self, config: KratosConfig, store: Store) -> None:
        self._config = config
        self._store = store

    def send_template(self, *, recipient: str, template: str, data: dict[str, Any]) -> Doc:
        """Render `template` (e.g. "recovery_code/valid") for `recipient` and send it."""
        mail = mail_templates.render(
            self._config.courier_template_dir, template, {"To": recipient, **data}
        )
        return self.send(
            recipient=recipient,
            subject=mail.subject,
            body=mail.text,
            html=mail.html,
            template_type=template.replace("/", "_"),
        )

    def send(
        self,
        *,
        recipient: str,
        subject: str,
        body: str,
        template_type: str,
        html: str | None = None,
    ) -> Doc:
        moment = clock.now()
        # uuid1-like ordering: ids sort by creation so the list can be newest-first by id
        msg_id = f"{int(moment.timestamp() * 1e6):016x}-{uuid.uuid4().hex[:8]}"
        message: Doc = {
            "id": str(uuid.UUID(hex=(msg_id.replace("-", "") + "0" * 32)[:32])),
            "status": "queued",
            "type": "email",
            "channel": "email",
            "recipient": recipient,
            "subject": subject,
            "body": body,
            "template_type": template_type,
            "send_count": 0,
            # no "dispatches": Kratos tags them omitempty and only FetchMessage loads them
            # (Eager); the stand-in records no delivery attempts
            "created_at": clock.fmt(moment),
            "updated_at": clock.fmt(moment),
        }
        smtp_url = self._config.smtp_url
        if smtp_url:
            try:
                self._deliver(smtp_url, recipient, subject, body, html)
                message.update(status="sent", send_count=1)
            except (OSError, smtplib.SMTPException) as exc:
                # real Kratos retries; the stand-in records the failure and moves on
                log.warning("courier: SMTP delivery to %s failed: %s", smtp_url, exc)
                message.update(status="abandoned", send_count=1)
        else:
            message.update(status="sent")
        self._store.put(KIND, message["id"], message)
        return message

    def _deliver(
        self, smtp_url: str, recipient: str, subject: str, body: str, html: str | None
    ) -> None:
        parts = urlsplit(smtp_url)
        mail = EmailMessage()
        mail["From"] = formataddr((self._config.mail_from_name, self._config.mail_from))
        mail["To"] = recipient
        mail["Subject"] = subject
        mail.set_content(body)
        if html:
            mail.add_alternative(html, subtype="html")
        host, port = parts.hostname or "127.0.0.1", parts.port or 25
        smtp_cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
        with smtp_cls(host, port, timeout=10) as smtp:
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            smtp.send_message(mail)

    def list(self, *, recipient: str | None = None, status: str | None = None) -> list[Doc]:
        found = [
            m
            for m in self._store.all(KIND)
            if (recipient is None or m["recipient"] == recipient)
            and (status is None or m["status"] == status)
        ]
        return list(reversed(found))

    def get(self, message_id: str) -> dict[str, Any] | None:
        return self._store.get(KIND, message_id)
