"""Locks on names (a person whose roles change) held for one transaction.

A fixed table of LOCK_SLOTS rows, seeded by the migrations; a name hashes to one slot, and
`hold` takes `SELECT ... FOR UPDATE` on the slots of its names, in ascending order. That is an
advisory lock held until the transaction commits or rolls back, portable between the backends:

- MariaDB: an exact primary-key match on a row that always exists takes one record lock and no
  gap lock, so waiters queue behind the holder and, since every transaction takes its slots in one
  statement in ascending order, two holders can never wait for each other (no deadlock). Locking
  a row that may not exist yet (or inserting one) would take gap locks and deadlock under load.
  READ COMMITTED (`dashboard_api.db.make_engine`) makes the statements after `hold` see what the
  previous holder committed.
- SQLite: FOR UPDATE does not exist; every transaction already holds the database's one write
  lock from its first statement (BEGIN IMMEDIATE), which serialises the same sections.

Two names on one slot only wait for each other; nothing is wrong, just slower.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import Integer, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from dashboard_api.db import Base

LOCK_SLOTS = 256


class LockSlot(Base):
    __tablename__ = "lock_slots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


def slot_of(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % LOCK_SLOTS


def hold(session: Session, names: Iterable[str]) -> None:
    """Wait for, then hold until the transaction ends, the locks on `names`."""
    slots = sorted({slot_of(name) for name in names})
    if not slots:
        return
    found = session.scalars(
        select(LockSlot.id).where(LockSlot.id.in_(slots)).order_by(LockSlot.id).with_for_update()
    ).all()
    if len(found) != len(slots):
        raise RuntimeError("lock_slots is not seeded; run the database migrations")


def subject_name(subject: str) -> str:
    """The lock a change of one person's roles holds."""
    return f"roles-of:{subject}"
