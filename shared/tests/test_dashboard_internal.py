"""DashboardInternal / AsyncDashboardInternal: the consent decision of dashboard-api."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from stackspin_clients.errors import NotFound, Unauthorized

pytestmark = pytest.mark.anyio

PATH = "/internal/v1/consent-decision"
QUERY = {"subject": "9f8e7d6c", "client_id": "nextcloud"}


async def test_consent_decision_sends_bearer_token_and_parses_claims(
    dashboard: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(
        PATH, method="GET", query_string=QUERY, headers={"Authorization": "Bearer internal-token"}
    ).respond_with_json(
        {
            "allowed": True,
            "app": {"slug": "nextcloud", "name": "Nextcloud", "url": None, "trusted": False},
            "role": "admin",
            "claims": {"role": "admin", "quota": "10 GB"},
            "reason": None,
        }
    )

    decision = await dashboard("consent_decision", "9f8e7d6c", "nextcloud")

    assert decision.allowed is True
    assert decision.app is not None
    assert decision.app.slug == "nextcloud"
    assert decision.app.url is None
    assert decision.role == "admin"
    assert decision.claims == {"role": "admin", "quota": "10 GB"}


async def test_consent_decision_refused_for_user_without_role(
    dashboard: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(PATH, query_string=QUERY).respond_with_json(
        {
            "allowed": False,
            "app": {
                "slug": "nextcloud",
                "name": "Nextcloud",
                "url": "https://files",
                "trusted": True,
            },
            "role": None,
            "claims": {},
            "reason": "no_role",
        }
    )

    decision = await dashboard("consent_decision", "9f8e7d6c", "nextcloud")

    assert decision.allowed is False
    assert decision.reason == "no_role"


async def test_wrong_token_is_unauthorized_with_problem_detail(
    dashboard: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": "bad internal token",
        },
        status=401,
        content_type="application/problem+json",
    )

    with pytest.raises(Unauthorized) as caught:
        await dashboard("consent_decision", "9f8e7d6c", "nextcloud")

    assert caught.value.status == 401
    assert "bad internal token" in caught.value.message


async def test_client_linked_to_no_app_is_not_found(dashboard: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request(PATH).respond_with_json(
        {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no app for client"},
        status=404,
        content_type="application/problem+json",
    )

    with pytest.raises(NotFound) as caught:
        await dashboard("consent_decision", "9f8e7d6c", "unknown")

    assert caught.value.body["detail"] == "no app for client"
