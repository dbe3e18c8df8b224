"""Search terms say where each person is listed: `user_search_terms.shared_prefix`.

The length of the start a term shares with the same person's next smaller term (0 for their
smallest), so a search page is one statement instead of a second lookup of the page's
subjects' terms. Filled here from the terms already stored.

Revision ID: 0010_search_shared_prefix
Revises: 0009_user_search
Create Date: 2026-12-03
"""

from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa
from alembic import op

revision = "0010_search_shared_prefix"
down_revision = "0009_user_search"
branch_labels = None
depends_on = None

SUBJECTS = 1000  # people rewritten per round

terms = sa.table(
    "user_search_terms",
    sa.column("term", sa.String),
    sa.column("subject", sa.String),
    sa.column("shared_prefix", sa.SmallInteger),
)
entries = sa.table("user_search", sa.column("subject", sa.String))


def _common_start(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _fill() -> None:
    """Rewrite every person's terms with their shared prefix, SUBJECTS people at a time (as
    `dashboard_api.search.terms.shared_prefixes` does, frozen here as of this revision)."""
    bind = op.get_bind()
    after = ""
    while True:
        subjects = list(
            bind.scalars(
                sa.select(entries.c.subject)
                .where(entries.c.subject > after)
                .order_by(entries.c.subject)
                .limit(SUBJECTS)
            )
        )
        if not subjects:
            return
        after = subjects[-1]
        found = bind.execute(
            sa.select(terms.c.subject, terms.c.term)
            .where(terms.c.subject.in_(subjects))
            .order_by(terms.c.subject)
        ).all()
        rows = []
        for subject, group in groupby(found, key=lambda row: row[0]):
            ordered = sorted(term for _, term in group)
            rows += [
                {
                    "term": term,
                    "subject": subject,
                    "shared_prefix": _common_start(ordered[i - 1], term) if i else 0,
                }
                for i, term in enumerate(ordered)
            ]
        bind.execute(sa.delete(terms).where(terms.c.subject.in_(subjects)))
        if rows:
            bind.execute(sa.insert(terms), rows)


def upgrade() -> None:
    # The default only lets the column be added NOT NULL to a filled table; it goes after.
    with op.batch_alter_table("user_search_terms") as batch:
        batch.add_column(
            sa.Column("shared_prefix", sa.SmallInteger(), nullable=False, server_default="0")
        )
    _fill()
    with op.batch_alter_table("user_search_terms") as batch:
        batch.alter_column("shared_prefix", server_default=None, existing_type=sa.SmallInteger())


def downgrade() -> None:
    with op.batch_alter_table("user_search_terms") as batch:
        batch.drop_column("shared_prefix")
