"""Invitation mails: a Kratos recovery code sent by SMTP (DASHBOARD_SMTP_URL)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from stackspin_clients.models import RecoveryCodeResult

from dashboard_api.config import Settings
from dashboard_api.errors import DependencyUnavailable

SMTP_TIMEOUT = 10.0


def invitation_message(
    settings: Settings,
    *,
    to: str,
    name: str | None,
    code: RecoveryCodeResult,
    invited_by: str | None = None,
    apps: list[str] | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = f"You are invited to {settings.site_name}"
    message["Message-ID"] = make_msgid(domain="dashboard-api")
    greeting = f"Hello {name}," if name else "Hello,"
    expires = f" It works until {code.expires_at:%Y-%m-%d %H:%M} UTC." if code.expires_at else ""
    who = f"{invited_by} invited you" if invited_by else "You are invited"
    what = f" (apps: {', '.join(apps)})" if apps else ""
    message.set_content(
        f"{greeting}\n\n"
        f"{who} to {settings.site_name}{what}; an account was created for you.\n"
        f"Open {code.recovery_link} and enter this code to choose your password:\n\n"
        f"    {code.recovery_code}\n\n"
        f"The code can be used once.{expires}\n"
    )
    return message


def send(settings: Settings, message: EmailMessage) -> None:
    """Deliver one message through DASHBOARD_SMTP_URL (smtp://, smtp://...?starttls=1, smtps://)."""
    if not settings.smtp_url:
        raise DependencyUnavailable("Invitations need DASHBOARD_SMTP_URL; no mail server is set.")
    url = urlsplit(settings.smtp_url)
    host = url.hostname or "localhost"
    options = parse_qs(url.query)
    try:
        smtp: smtplib.SMTP
        if url.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(
                host, url.port or 465, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, url.port or 25, timeout=SMTP_TIMEOUT)
        with smtp:
            if url.scheme != "smtps" and options.get("starttls", ["0"])[0] in ("1", "true"):
                smtp.starttls(context=ssl.create_default_context())
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DependencyUnavailable(
            f"The mail server did not take the invitation ({type(exc).__name__})."
        ) from exc
