"""The login_steps bench section measures what it says: a login Hydra skips, a consent Hydra
remembers and a live Kratos login flow, and the CPU of every worker a gunicorn master had."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from devstack.bench import login_steps
from devstack.bench.__main__ import REDIRECT_URI
from devstack.bench.backends import OryUrls
from devstack.stack import OryStack
from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin
from stackspin_clients.models import CreateIdentity, OAuth2Client


def _query(path: str, name: str) -> str:
    return httpx.URL(path).params[name]


def test_steps_are_a_skipped_login_a_remembered_consent_and_a_login_flow(
    ory_stack: OryStack,
) -> None:
    ory = OryUrls(
        hydra_public_url=ory_stack.hydra_public_url,
        hydra_admin_url=ory_stack.hydra_admin_url,
        kratos_public_url=ory_stack.kratos_public_url,
        kratos_admin_url=ory_stack.kratos_admin_url,
    )
    with KratosAdmin(ClientConfig(ory.kratos_admin_url)) as kratos:
        subject = str(kratos.create_identity(CreateIdentity(traits={"email": "a@example.org"})).id)
    with HydraAdmin(ClientConfig(ory.hydra_admin_url)) as hydra:
        client = hydra.create_oauth2_client(
            OAuth2Client(
                redirect_uris=[REDIRECT_URI],
                grant_types=["authorization_code"],
                response_types=["code"],
                scope="openid email profile",
            )
        )
        assert client.client_id
        login, consent, page = login_steps.steps(ory, client.client_id, subject)

        assert login.path.startswith("/auth/login?login_challenge=")
        assert login.status == 303
        login_request = hydra.get_login_request(_query(login.path, "login_challenge"))
        assert login_request.skip
        assert login_request.subject == subject
        assert consent.path.startswith("/auth/consent?consent_challenge=")
        assert hydra.get_consent_request(_query(consent.path, "consent_challenge")).skip
    assert page.path.startswith("/auth/login?flow=")
    assert page.status == 200
    assert page.headers is not None
    assert page.headers["Cookie"]
    flow = httpx.get(
        f"{ory.kratos_public_url}/self-service/login/flows",
        params={"id": _query(page.path, "flow")},
        headers=page.headers,
    )
    assert flow.status_code == 200
    assert any(node["group"] == "password" for node in flow.json()["ui"]["nodes"])


def _stat(pid: int, comm: str, ticks: tuple[int, int, int, int]) -> str:
    utime, stime, cutime, cstime = ticks
    # pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime ...
    return f"{pid} ({comm}) S 1 1 1 0 -1 0 0 0 0 0 {utime} {stime} {cutime} {cstime} 20 0\n"


def test_worker_cpu_adds_the_live_workers_and_the_ones_the_master_reaped(tmp_path: Path) -> None:
    tick = os.sysconf("SC_CLK_TCK")
    master = tmp_path / "10"
    (master / "task" / "10").mkdir(parents=True)
    (master / "stat").write_text(_stat(10, "gunicorn: master", (7, 3, 2 * tick, tick)))
    # 12 was recycled after the list was read: its time is not lost, only not yet in cutime.
    (master / "task" / "10" / "children").write_text("11 12 13")
    for pid, ticks in ((11, (tick, tick)), (13, (tick // 2, tick // 2))):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "stat").write_text(_stat(pid, "py (x) y", (*ticks, 99, 99)))

    assert login_steps.workers_cpu_seconds(10, tmp_path) == pytest.approx(3 + 2 + 1)
