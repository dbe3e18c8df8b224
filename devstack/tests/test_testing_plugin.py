import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from devstack.testing import services


def test_database_url_gives_an_empty_working_database(database_url: str) -> None:
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE probe (id INTEGER PRIMARY KEY, name VARCHAR(20))"))
        conn.execute(sa.text("INSERT INTO probe (id, name) VALUES (1, 'x')"))
        assert conn.execute(sa.text("SELECT name FROM probe")).scalar_one() == "x"
        # The database is shared by the whole session: leave it as empty as we found it.
        conn.execute(sa.text("DROP TABLE probe"))
    engine.dispose()


def test_missing_service_reason_is_one_line_naming_where_it_looked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:  # a loopback port nothing listens on once this closes
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    monkeypatch.setattr(services, "MARIADB_HOST", "127.0.0.1")
    monkeypatch.setattr(services, "MARIADB_PORT", closed_port)

    reason = services.missing_reason("mariadb")

    assert reason is not None
    assert reason.startswith(f"127.0.0.1:{closed_port} ")
    assert "\n" not in reason


def test_a_missing_service_skips_and_fails_only_under_require_services(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="nginx unavailable: gone"):
        services.skip_or_fail("nginx", "gone")
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(
        pytest.fail.Exception, match=r"nginx unavailable: gone \(REQUIRE_SERVICES=1\)"
    ):
        services.skip_or_fail("nginx", "gone")


def test_an_unknown_service_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown service 'postgres'"):
        services.missing_reason("postgres")


def test_ory_spec_fixture_points_at_the_published_specs(ory_spec: Path) -> None:
    assert (ory_spec / "kratos-v25.4.0.json").is_file()
