"""Lock slots: the rows `dashboard_api.locks` takes SELECT ... FOR UPDATE on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The same number as dashboard_api.locks.LOCK_SLOTS when this revision was written; a later
# change of that number needs a revision of its own.
LOCK_SLOTS = 256


def upgrade() -> None:
    slots = op.create_table(
        "lock_slots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
    )
    op.bulk_insert(slots, [{"id": slot} for slot in range(LOCK_SLOTS)])


def downgrade() -> None:
    op.drop_table("lock_slots")
