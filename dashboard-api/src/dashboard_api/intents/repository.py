"""Queries on write intents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from dashboard_api.intents.models import ABANDONED, WriteIntent


def add_all(session: Session, intents: Iterable[WriteIntent]) -> None:
    session.add_all(list(intents))


def by_tokens(session: Session, tokens: Iterable[str]) -> dict[str, WriteIntent]:
    wanted = list(dict.fromkeys(tokens))
    found: dict[str, WriteIntent] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            (i.token, i)
            for i in session.scalars(select(WriteIntent).where(WriteIntent.token.in_(chunk)))
        )
    return found


def by_keys(session: Session, kind: str, keys: Iterable[str]) -> list[WriteIntent]:
    wanted = list(dict.fromkeys(keys))
    found: list[WriteIntent] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.extend(
            session.scalars(
                select(WriteIntent).where(WriteIntent.kind == kind, WriteIntent.key.in_(chunk))
            )
        )
    return found


def all_intents(session: Session) -> Sequence[WriteIntent]:
    return session.scalars(select(WriteIntent).order_by(WriteIntent.created_at)).all()


def delete_tokens(session: Session, tokens: Sequence[str]) -> None:
    for start in range(0, len(tokens), 500):
        session.execute(
            delete(WriteIntent).where(WriteIntent.token.in_(tokens[start : start + 500]))
        )


def mark_abandoned(session: Session, tokens: Sequence[str]) -> None:
    for start in range(0, len(tokens), 500):
        session.execute(
            update(WriteIntent)
            .where(WriteIntent.token.in_(tokens[start : start + 500]))
            .values(state=ABANDONED)
        )
