"""deploy/docker/bootstrap.py (first start under docker compose and the Kubernetes Job) against
the Hydra and Kratos stand-ins: it creates what a fresh install needs, and only once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from stack_harness.processes import run_click_commands
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin

REPO = Path(__file__).resolve().parents[1]
BOOTSTRAP = REPO / "deploy" / "docker" / "bootstrap.py"


def bootstrap_env(ory_stack: Any, tmp_path: Path, public: str) -> dict[str, str]:
    return {
        "DASHBOARD_ENVIRONMENT": "development",
        "DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'dashboard.sqlite3'}",
        "DASHBOARD_PUBLIC_URL": public,
        "DASHBOARD_HYDRA_ADMIN_URL": ory_stack.hydra_admin_url,
        "DASHBOARD_HYDRA_PUBLIC_URL": ory_stack.hydra_public_url,
        "DASHBOARD_KRATOS_ADMIN_URL": ory_stack.kratos_admin_url,
        "DASHBOARD_KRATOS_PUBLIC_URL": ory_stack.kratos_public_url,
        "DASHBOARD_OAUTH_CLIENT_ID": "dashboard",
        "DASHBOARD_OAUTH_CLIENT_SECRET": "a-long-random-client-secret-for-tests",
        "DASHBOARD_SMTP_URL": f"smtp://127.0.0.1:{ory_stack.smtp_port}",
        "SEED_ADMIN_EMAIL": "first.admin@example.org",
    }


def run_bootstrap(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(BOOTSTRAP)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def test_bootstrap_creates_client_seed_and_invited_admin_once(
    ory_stack: Any, tmp_path: Path
) -> None:
    env = bootstrap_env(ory_stack, tmp_path, "http://sso.example.org")
    run_click_commands("dashboard_api.cli:main", [["migrate"]], env=env)

    run_bootstrap(env)

    with HydraAdmin(ClientConfig(ory_stack.hydra_admin_url)) as hydra:
        client = hydra.get_oauth2_client("dashboard")
    assert client.redirect_uris == ["http://sso.example.org/api/v1/auth/callback"]
    with KratosAdmin(ClientConfig(ory_stack.kratos_admin_url)) as kratos:
        (admin,) = kratos.list_identities(
            credentials_identifier="first.admin@example.org"
        ).identities
    shown = run_click_commands("dashboard_api.cli:main", [["user", "show", admin.id]], env=env)
    user = json.loads(shown.split("\n", 1)[1])
    assert {"app": "dashboard", "role": "admin"} in user["roles"]
    mails = ory_stack.mails(to="first.admin@example.org")
    assert len(mails) == 1
    assert "invited" in mails[0]["subject"].lower()

    # Every later start: nothing new, and a changed public URL reaches the client.
    moved = bootstrap_env(ory_stack, tmp_path, "https://login.example.org")
    second = run_bootstrap(moved)
    assert "exists already" in second.stderr
    assert len(ory_stack.mails(to="first.admin@example.org")) == 1
    with HydraAdmin(ClientConfig(ory_stack.hydra_admin_url)) as hydra:
        client = hydra.get_oauth2_client("dashboard")
    assert client.redirect_uris == ["https://login.example.org/api/v1/auth/callback"]
