"""Groups, their members, the roles they grant on apps, and each app's groups claim.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("name", name="uq_groups_name"),
    )
    op.create_table(
        "group_members",
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("groups.id", ondelete="CASCADE", name="fk_group_members_group_id_groups"),
            primary_key=True,
        ),
        sa.Column("subject", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_group_members_subject", "group_members", ["subject"])
    op.create_table(
        "group_app_roles",
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey(
                "groups.id", ondelete="CASCADE", name="fk_group_app_roles_group_id_groups"
            ),
            primary_key=True,
        ),
        sa.Column(
            "app_id",
            sa.Integer(),
            sa.ForeignKey("apps.id", ondelete="CASCADE", name="fk_group_app_roles_app_id_apps"),
            primary_key=True,
        ),
        sa.Column(
            "role_id",
            sa.Integer(),
            sa.ForeignKey("roles.id", ondelete="RESTRICT", name="fk_group_app_roles_role_id_roles"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_group_app_roles_app_id", "group_app_roles", ["app_id"])
    op.create_table(
        "app_visible_groups",
        sa.Column(
            "app_id",
            sa.Integer(),
            sa.ForeignKey("apps.id", ondelete="CASCADE", name="fk_app_visible_groups_app_id_apps"),
            primary_key=True,
        ),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey(
                "groups.id", ondelete="CASCADE", name="fk_app_visible_groups_group_id_groups"
            ),
            primary_key=True,
        ),
    )
    op.create_index("ix_app_visible_groups_group_id", "app_visible_groups", ["group_id"])
    with op.batch_alter_table("apps") as batch:
        batch.add_column(sa.Column("groups_claim", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("apps") as batch:
        batch.drop_column("groups_claim")
    op.drop_table("app_visible_groups")
    op.drop_table("group_app_roles")
    op.drop_table("group_members")
    op.drop_table("groups")
