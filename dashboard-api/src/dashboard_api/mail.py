"""Invitation mails: a Kratos recovery code sent by SMTP (DASHBOARD_SMTP_URL), written from
the Jinja2 templates in mail_templates/ (English and Dutch; a text and an autoescaped HTML part)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from stackspin_clients.models import RecoveryCodeResult

from dashboard_api.config import Settings
from dashboard_api.errors import DependencyUnavailable

if TYPE_CHECKING:
    from jinja2 import Environment

SMTP_TIMEOUT = 10.0


LANGUAGES = ("en", "nl")
SUBJECTS = {
    "en": ("{inviter} invited you to {site}", "You are invited to {site}"),
    "nl": ("{inviter} heeft je uitgenodigd voor {site}", "Je bent uitgenodigd voor {site}"),
}


@cache
def _templates() -> Environment:
    """The mail templates, loaded on the first mail: Jinja2 (about 3 MB per worker) is
    imported only by workers that send one."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    # .html templates autoescape every value; .txt ones are the plain-text part.
    return Environment(
        loader=PackageLoader("dashboard_api", "mail_templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def landing_link(code: RecoveryCodeResult, language: str) -> str:
    """Kratos's link to the recovery page with the code's flow, in the invitation's language
    (login-service's `?lang=`, which it remembers for the pages after)."""
    parts = urlsplit(code.recovery_link)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"] + [("lang", language)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def invitation_message(
    settings: Settings,
    *,
    to: str,
    name: str | None,
    code: RecoveryCodeResult,
    invited_by: str | None = None,
    apps: list[str] | None = None,
    language: str = "en",
) -> EmailMessage:
    """The invitation mail in `language`: who invited the person to what, the link and code."""
    if language not in LANGUAGES:
        raise ValueError(f"no invitation mail in {language!r}")
    with_inviter, without = SUBJECTS[language]
    subject = (with_inviter if invited_by else without).format(
        inviter=invited_by, site=settings.site_name
    )
    values = {
        "language": language,
        "subject": subject,
        "name": name,
        "inviter": invited_by,
        "site_name": settings.site_name,
        "logo_url": settings.logo_url,
        "accent_color": settings.accent_color,
        "apps": apps or [],
        "email": to,
        "link": landing_link(code, language),
        "code": code.recovery_code,
        "expires": f"{code.expires_at:%Y-%m-%d %H:%M}" if code.expires_at else None,
    }
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="dashboard-api")
    message.set_content(_templates().get_template(f"invitation.{language}.txt").render(values))
    message.add_alternative(
        _templates().get_template(f"invitation.{language}.html").render(values), subtype="html"
    )
    message["Content-Language"] = language  # after the parts: set_content drops Content-*
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
