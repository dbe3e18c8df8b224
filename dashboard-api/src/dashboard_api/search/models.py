"""The search projection's tables: one row per identity, one per term a search may match."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, SmallInteger, String
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from dashboard_api.db import Base


def folded(length: int) -> String:
    """Casefolded text compared by code point on both backends: MariaDB's default collation
    would make "é" equal "e" (two terms one key) and order differently from the range we ask."""
    return String(length).with_variant(
        mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb"
    )


class SearchEntry(Base):
    """An identity's email, username and name, casefolded, as Kratos last told us."""

    __tablename__ = "user_search"
    __table_args__ = (
        Index("ix_user_search_email", "email"),
        Index("ix_user_search_username", "username"),
    )

    subject: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str | None] = mapped_column(folded(254))
    username: Mapped[str | None] = mapped_column(folded(64))
    name: Mapped[str | None] = mapped_column(folded(100))
    state: Mapped[str] = mapped_column(String(16))


class SearchTerm(Base):
    """A tail of the email, username or name that starts at a word; a search is a prefix range
    over `term`, walked in order (the primary key), so a page costs the same at any size.
    `shared_prefix` (see `terms.shared_prefixes`) says without another query whether the person
    is listed at this term: only for a query longer than that, else at a smaller term."""

    __tablename__ = "user_search_terms"
    __table_args__ = (Index("ix_user_search_terms_subject", "subject", "term"),)

    term: Mapped[str] = mapped_column(folded(254), primary_key=True)
    subject: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("user_search.subject", ondelete="CASCADE"),
        primary_key=True,
    )
    shared_prefix: Mapped[int] = mapped_column(SmallInteger)
