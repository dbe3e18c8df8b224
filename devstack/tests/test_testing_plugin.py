from pathlib import Path

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


def test_missing_service_reason_is_one_line() -> None:
    for service in ("mariadb", "nginx", "chromium"):
        reason = services.missing_reason(service)
        assert reason is None or "\n" not in reason


def test_ory_spec_fixture_points_at_the_published_specs(ory_spec: Path) -> None:
    assert (ory_spec / "kratos-v25.4.0.json").is_file()
