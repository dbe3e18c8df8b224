"""The users' search projection: email, username and name per identity, and their word tails.

Filled by `dashboard-api reconcile --repair` (run it once after this upgrade), kept in step by
every write dashboard-api makes.

Revision ID: 0009_user_search
Revises: 0008_invitation_language
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0009_user_search"
down_revision = "0008_invitation_language"
branch_labels = None
depends_on = None


def _folded(length: int) -> sa.String:
    return sa.String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
    )


def upgrade() -> None:
    op.create_table(
        "user_search",
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("email", _folded(254), nullable=True),
        sa.Column("username", _folded(64), nullable=True),
        sa.Column("name", _folded(100), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("subject", name="pk_user_search"),
    )
    op.create_index("ix_user_search_email", "user_search", ["email"])
    op.create_index("ix_user_search_username", "user_search", ["username"])
    op.create_table(
        "user_search_terms",
        sa.Column("term", _folded(254), nullable=False),
        sa.Column(
            "subject",
            sa.String(64),
            sa.ForeignKey(
                "user_search.subject",
                ondelete="CASCADE",
                name="fk_user_search_terms_subject_user_search",
            ),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("term", "subject", name="pk_user_search_terms"),
    )
    op.create_index("ix_user_search_terms_subject", "user_search_terms", ["subject", "term"])


def downgrade() -> None:
    op.drop_table("user_search_terms")
    op.drop_table("user_search")
