"""dashboard-api under gunicorn (production settings) against the Ory stand-ins, migrated and
seeded, with an admin's Bearer token: what the `memory`, `batch` and `mariadb` sections measure."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from devstack.bench import backends, scripted
from devstack.ports import HOST, free_port


@dataclass
class DashboardServed:
    ory: backends.OryUrls
    dashboard: backends.Served
    env: dict[str, str]
    admin_id: str
    client_id: str
    bearer: dict[str, str]
    internal: dict[str, str]
    kratos_database: Path


def start(
    stack: ExitStack,
    tmp: Path,
    database_url: str,
    *,
    name: str = "dashboard-api",
    python: Path | None = None,
) -> DashboardServed:
    """Stand-ins, a migrated and seeded dashboard-api on `database_url` (its workers run by
    `python`, this interpreter unless given), and a token; stopped when `stack` closes."""
    from devstack.bench.__main__ import REDIRECT_URI, dashboard_cli, seed

    kratos_database = tmp / f"{name}-kratos.sqlite3"
    ory = backends.ory_stand_ins(stack, f"http://{HOST}:{free_port()}", kratos_database)
    admin_id, client = seed(ory)
    assert client.client_id
    assert client.client_secret
    internal_token = secrets.token_urlsafe(24)
    env = backends.dashboard_env(
        ory,
        database_url=database_url,
        internal_token=internal_token,
        client_id=client.client_id,
        client_secret=client.client_secret,
    )
    dashboard_cli(env, "migrate")
    dashboard_cli(
        env, "seed", "--admin-subject", admin_id, "--dashboard-client-id", client.client_id
    )
    dashboard = backends.gunicorn(
        stack, name, "dashboard_api.main:app", asgi=True, env=env, log_dir=tmp, python=python
    )
    _, access_token = scripted.remembered_login(
        ory,
        client_id=client.client_id,
        client_secret=client.client_secret,
        redirect_uri=REDIRECT_URI,
        subject=admin_id,
    )
    return DashboardServed(
        ory=ory,
        dashboard=dashboard,
        env=env,
        admin_id=admin_id,
        client_id=client.client_id,
        bearer={"Authorization": f"Bearer {access_token}"},
        internal={"Authorization": f"Bearer {internal_token}"},
        kratos_database=kratos_database,
    )


@contextmanager
def mariadb_database(server_url: str) -> Iterator[str]:
    """A new empty database on the MariaDB server at `server_url` (`mysql://user:pw@host:port`,
    e.g. BENCH_MARIADB_URL), as a SQLAlchemy URL; dropped afterwards."""
    import pymysql

    url = urlsplit(server_url)
    user, password = url.username or "root", url.password or ""
    host, port = url.hostname or "127.0.0.1", url.port or 3306
    name = f"test_bench_{secrets.token_hex(6)}"  # the test account may make test_* only
    conn = pymysql.connect(host=host, port=port, user=user, password=password, autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
        yield f"mysql+pymysql://{auth}@{host}:{port}/{name}?charset=utf8mb4"
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        conn.close()
