"""Queries on the search projection (`user_search`, `user_search_terms`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import and_, delete, exists, insert, or_, select
from sqlalchemy.orm import Session, aliased

from dashboard_api.search.models import SearchEntry, SearchTerm
from dashboard_api.search.terms import Entry

# Above every character: `needle + TOP` ends the range of terms that start with `needle`.
TOP = "\U0010ffff"


def replace(session: Session, entries: Sequence[Entry]) -> None:
    """Write these entries and their terms, replacing what was there (three statements)."""
    if not entries:
        return
    remove(session, [e.subject for e in entries])
    session.execute(
        insert(SearchEntry),
        [
            {
                "subject": e.subject,
                "email": e.email,
                "username": e.username,
                "name": e.name,
                "state": e.state,
            }
            for e in entries
        ],
    )
    terms = [{"term": term, "subject": e.subject} for e in entries for term in e.terms()]
    if terms:
        session.execute(insert(SearchTerm), terms)


def remove(session: Session, subjects: Iterable[str]) -> None:
    """Drop these identities' entries; their terms go with them (ON DELETE CASCADE)."""
    wanted = list(dict.fromkeys(subjects))
    if wanted:
        session.execute(delete(SearchEntry).where(SearchEntry.subject.in_(wanted)))


def page(
    session: Session, needle: str, *, limit: int, after: tuple[str, str] | None = None
) -> list[tuple[str, str]]:
    """(term, subject) of the identities with a term starting with `needle`, each once, at
    its smallest such term, in term order after `after`: a walk along the primary key that
    stops after `limit` rows, with one index probe per row to skip a subject's later terms."""
    end = needle + TOP
    earlier = aliased(SearchTerm)
    query = (
        select(SearchTerm.term, SearchTerm.subject)
        .where(
            SearchTerm.term >= needle,
            SearchTerm.term < end,
            ~exists().where(
                earlier.subject == SearchTerm.subject,
                earlier.term >= needle,
                earlier.term < SearchTerm.term,
            ),
        )
        .order_by(SearchTerm.term, SearchTerm.subject)
        .limit(limit)
    )
    if after is not None:
        at, subject = after
        query = query.where(
            SearchTerm.term >= at,
            or_(SearchTerm.term > at, and_(SearchTerm.term == at, SearchTerm.subject > subject)),
        )
    return [(term, subject) for term, subject in session.execute(query)]


def holders(session: Session, identifiers: Iterable[str]) -> dict[str, str]:
    """identifier -> subject for the casefolded emails and usernames some entry holds."""
    wanted = list(dict.fromkeys(identifiers))
    if not wanted:
        return {}
    rows = session.execute(
        select(SearchEntry.subject, SearchEntry.email, SearchEntry.username).where(
            or_(SearchEntry.email.in_(wanted), SearchEntry.username.in_(wanted))
        )
    )
    asked = set(wanted)
    found: dict[str, str] = {}
    for subject, email, username in rows:
        for value in (email, username):
            if value in asked:
                found[value] = subject
    return found


def entries_page(session: Session, *, limit: int, after: str | None = None) -> list[Entry]:
    """Every entry, by subject, a page at a time (reconcile compares them with Kratos)."""
    query = (
        select(
            SearchEntry.subject,
            SearchEntry.email,
            SearchEntry.username,
            SearchEntry.name,
            SearchEntry.state,
        )
        .order_by(SearchEntry.subject)
        .limit(limit)
    )
    if after is not None:
        query = query.where(SearchEntry.subject > after)
    return [Entry(*row) for row in session.execute(query)]
