"""The name an OAuth2 client's app goes by on our pages: dashboard-api's app name, as consent shows.

Hydra's `client_name` is only the fallback (a client linked to no app, or dashboard-api not
answering): a page that only names the app must not stop someone from signing out.
"""

from __future__ import annotations

import structlog
from stackspin_clients.errors import NotFound, Unauthorized
from stackspin_clients.models import OAuth2Client

from login_service.clients import calling, clients
from login_service.errors import DependencyDownError

log = structlog.get_logger(__name__)


def shown_app_name(*, client: OAuth2Client | None, subject: str | None) -> str | None:
    """The app's name for this client, or the client's own name (or id); None without a client."""
    if client is None:
        return None
    fallback = client.client_name or client.client_id or None
    if not client.client_id or not subject:
        return fallback
    try:
        with calling("dashboard-api"):
            decision = clients().dashboard.consent_decision(subject, client.client_id)
    except NotFound:
        return fallback
    except (DependencyDownError, Unauthorized) as exc:
        log.warning("app_name_unavailable", reason=type(exc).__name__)
        return fallback
    return (decision.app.name if decision.app else None) or fallback
