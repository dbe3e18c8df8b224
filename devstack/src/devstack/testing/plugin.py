"""Pytest plugin shared by every package's tests.

- `@pytest.mark.requires("mariadb" | "nginx" | "chromium" | "ory")`: skip with a one-line reason
  when the service is missing, or fail when REQUIRE_SERVICES=1 (CI). "ory" is real Hydra and
  Kratos, built from Go modules on first use (`devstack.realory.build`).
- `database_url` (session scope, parametrized): a fresh empty database on SQLite and on MariaDB.
- `ory_spec`: the folder ../shared/ory-spec, or a clean skip where it is absent.
- `ory_stack` (function scope, parametrized by `ory_backend`): a fresh stack of Hydra, Kratos and
  the mail catcher on random loopback ports — the stand-ins (`devstack.stack.OryStack`, `[standin]`)
  or the real servers (`devstack.realory.stack.RealOryStack`, `[real]`); ORY=standin|real picks
  one (real pairs start one test ahead: `devstack.testing.warm_ory`).
  `ory_stack.point_ui_at(url)` sends their browser redirects to a login-service at `url`;
  a conftest that knows that URL before the stack starts overrides the `ory_ui_url` fixture
  instead (real Ory then starts once, not twice). `ory_stack.let_time_pass(s)` expires things
  (the stand-ins' clock moves; real Ory sleeps). After changing `ory_stack.kratos_config` /
  `hydra_config`, call `ory_stack.apply()`.
- At the end of a run, the wall time per package and Ory backend (`devstack.testing.timing`).
- `@pytest.mark.standin_only("why")`: the test checks something only the stand-ins have; its
  `[real]` case skips with that reason (listed in devstack/README.md as accepted).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from devstack.testing import databases, services, timing
from devstack.testing.warm_ory import WarmRealOry

if TYPE_CHECKING:
    from devstack.stack import OryStackBase


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers(name="requires"):
        for service in marker.args:
            services.require(service)


@pytest.fixture(scope="session", params=databases.BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A new, empty database for this test session: once on SQLite, once on MariaDB."""
    with databases.empty_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def ory_spec() -> Path:
    found = services.ory_spec_dir()
    if found is None:
        pytest.skip("../shared/ory-spec not found (published Ory specs are optional)")
    return found


def pytest_configure(config: pytest.Config) -> None:
    if not config.option.collectonly:
        config.pluginmanager.register(timing.TimeByPackage(), "devstack-time-by-package")
    config.addinivalue_line(
        "markers", "standin_only(reason): the [real] Ory backend case of this test skips"
    )


@pytest.fixture(params=services.ory_backends())
def ory_backend(request: pytest.FixtureRequest) -> str:
    """ "standin" or "real"; the real case needs Go (skip, or fail under REQUIRE_SERVICES=1)."""
    backend: str = request.param
    if backend == "real":
        marker = request.node.get_closest_marker("standin_only")
        if marker is not None:
            pytest.skip(f"stand-in only: {marker.args[0] if marker.args else ''}")
        services.require("ory")
    return backend


@pytest.fixture
def ory_ui_url() -> str | None:
    """Where `ory_stack` sends browser redirects from the start (None: nowhere yet); override
    it in a conftest or test module whose login-service URL is known before the stack starts."""
    return None


@pytest.fixture(scope="session")
def warm_real_ory() -> Iterator[WarmRealOry]:
    """Real Ory pairs started one test ahead (`devstack.testing.warm_ory`); a conftest whose UI
    URL is a socket's takes it from `warm_real_ory.ui_socket()` on the real backend."""
    warm = WarmRealOry()
    yield warm
    warm.close()


@pytest.fixture
def ory_stack(
    ory_backend: str, ory_ui_url: str | None, warm_real_ory: WarmRealOry
) -> Iterator[OryStackBase]:
    """Hydra, Kratos and the mail catcher, fresh for each test, on the chosen backend."""
    stack: OryStackBase
    if ory_backend == "real":
        stack = warm_real_ory.take(ory_ui_url)
    else:
        # Imported here so loading the plugin stays cheap for packages that never use it.
        from devstack.stack import OryStack

        stack = OryStack()
        stack.ui_url = ory_ui_url
        stack.start()
    try:
        yield stack
    finally:
        stack.stop()
