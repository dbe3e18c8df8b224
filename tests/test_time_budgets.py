"""The services' time budgets fit inside the proxy's: nginx's proxy_read_timeout is read from
the template, the budgets from the services' default settings (docs/dashboard-api.md, "Time
budgets", does the same sum)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def nginx_seconds(directive: str) -> float:
    template = (REPO / "proxy" / "templates" / "default.conf.template").read_text()
    found = re.findall(rf"^\s*{directive}\s+(\d+)s;", template, re.MULTILINE)
    assert len(found) == 1, found
    return float(found[0])


def test_dashboard_api_answers_before_nginx_gives_up() -> None:
    from dashboard_api.config import Settings

    settings = Settings()
    statement = settings.database_statement_timeout
    # A checkout begun at the deadline: pre-ping on a dead pooled connection, a new connection
    # and its handshake; then the statement that fails. Ory calls end by the deadline itself.
    checkout = statement + settings.database_connect_timeout + statement
    worst = settings.request_timeout + max(checkout, settings.database_pool_timeout) + statement
    assert worst < nginx_seconds("proxy_read_timeout"), worst


def test_login_service_answers_before_nginx_and_gunicorn_give_up() -> None:
    from login_service.config import Settings

    settings = Settings()
    gunicorn = (REPO / "login-service" / "gunicorn.conf.py").read_text()
    worker_timeout = float(re.findall(r'"GUNICORN_TIMEOUT", "(\d+)"', gunicorn)[0])
    # The page is rendered in milliseconds once the calls have ended.
    assert settings.request_timeout + 1 < nginx_seconds("proxy_read_timeout")
    assert settings.request_timeout + 1 < worker_timeout
