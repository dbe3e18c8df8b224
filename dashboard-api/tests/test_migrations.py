"""The migrations build the schema the ORM models describe, on SQLite and MariaDB."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from dashboard_api.apps.models import App
from dashboard_api.locks import LOCK_SLOTS, LockSlot
from dashboard_api.models import Base
from dashboard_api.roles.models import Role
from sqlalchemy import Engine, select


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_migration_seeds_the_roles_and_the_dashboard_app(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.scalars(select(Role.name).order_by(Role.id)).all() == ["admin", "user"]
        assert conn.scalars(select(App.slug)).all() == ["dashboard"]


def test_migration_seeds_every_lock_slot(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.scalars(select(LockSlot.id).order_by(LockSlot.id)).all() == list(
            range(LOCK_SLOTS)
        )


def test_migrations_go_down_and_up_again(tmp_path) -> None:
    from dashboard_api import migrate

    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    migrate.upgrade(url)
    migrate.downgrade(url, "base")
    assert migrate.current_revision(url) is None
    migrate.upgrade(url)
    # One head (parallel branches re-chain their migrations, never merge) and upgrade reaches it.
    heads = ScriptDirectory.from_config(migrate.alembic_config(url)).get_heads()
    assert len(heads) == 1, heads
    assert migrate.current_revision(url) == heads[0]
