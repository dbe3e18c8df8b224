"""Mail catcher: an SMTP server that keeps every mail, and pages to read them (`/mail/`).

Development only: it accepts mail for any address from anyone on 127.0.0.1 and delivers nothing.
"""

from devstack.mail.catcher import MailCatcher
from devstack.mail.store import Mail, MailStore
from devstack.mail.web import create_app

__all__ = ["Mail", "MailCatcher", "MailStore", "create_app"]
