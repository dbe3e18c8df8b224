"""Ending one of a person's sessions through nginx, on both Ory backends: that session stops
working at Kratos, the other goes on; another person's session id is not found."""

from __future__ import annotations

import httpx
import pytest
from stack_harness.admin import admin_api
from stack_harness.sso_stack import SsoStack

pytestmark = [pytest.mark.requires("nginx", "mariadb"), pytest.mark.timeout(120)]


def _whoami(sso: SsoStack, token: str) -> int:
    response = httpx.get(
        f"{sso.url}/kratos/sessions/whoami", headers={"X-Session-Token": token}, timeout=15
    )
    return response.status_code


def test_an_admin_ends_one_session_and_only_that_one_stops(sso: SsoStack) -> None:
    subject, email = sso.create_user(name="Sam Sessions")
    other, _ = sso.create_user(name="Otto Other")
    first, second = sso.api_session(email), sso.api_session(email)
    with admin_api(sso) as api:
        listed = api.get(f"/users/{subject}/sessions").json()
        assert len(listed) == 2
        mine = httpx.get(
            f"{sso.url}/kratos/sessions/whoami", headers={"X-Session-Token": first}, timeout=15
        ).json()["id"]
        assert mine in {s["id"] for s in listed}

        refused = api.delete(f"/users/{other}/sessions/{mine}")
        assert refused.status_code == 404, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert _whoami(sso, first) == 200

        ended = api.delete(f"/users/{subject}/sessions/{mine}")
        assert ended.status_code == 204, ended.text
        assert _whoami(sso, first) == 401
        assert _whoami(sso, second) == 200
        after = {s["id"]: s["active"] for s in api.get(f"/users/{subject}/sessions").json()}
        assert after[mine] is False
        assert [active for sid, active in after.items() if sid != mine] == [True]
        audit = api.get(
            "/audit", params={"action": "user.end_session", "target_id": subject}
        ).json()["items"]
        assert [entry["summary"] for entry in audit] == [{"session_id": mine}]
