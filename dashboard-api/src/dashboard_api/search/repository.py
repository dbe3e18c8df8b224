"""Queries on the search projection (`user_search`, `user_search_terms`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import and_, bindparam, delete, insert, or_, select
from sqlalchemy.orm import Session

from dashboard_api.db import core_execute
from dashboard_api.roles.repository import with_assignments
from dashboard_api.search.models import SearchEntry, SearchTerm
from dashboard_api.search.terms import Entry, shared_prefixes

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
    terms = [
        {"term": term, "subject": e.subject, "shared_prefix": shared}
        for e in entries
        for term, shared in shared_prefixes(e.terms())
    ]
    if terms:
        session.execute(insert(SearchTerm), terms)


def remove(session: Session, subjects: Iterable[str]) -> None:
    """Drop these identities' entries; their terms go with them (ON DELETE CASCADE)."""
    wanted = list(dict.fromkeys(subjects))
    if wanted:
        session.execute(delete(SearchEntry).where(SearchEntry.subject.in_(wanted)))


_SCAN = (
    select(SearchTerm.term, SearchTerm.subject)
    .where(
        SearchTerm.term >= bindparam("needle"),
        SearchTerm.term < bindparam("end"),
        SearchTerm.shared_prefix < bindparam("length"),
    )
    .order_by(SearchTerm.term, SearchTerm.subject)
    .limit(bindparam("rows"))
)
_SCAN_AFTER = _SCAN.where(
    SearchTerm.term >= bindparam("at"),
    or_(
        SearchTerm.term > bindparam("at"),
        and_(SearchTerm.term == bindparam("at"), SearchTerm.subject > bindparam("subject")),
    ),
)


def _scan_params(needle: str, limit: int, after: tuple[str, str] | None) -> dict[str, object]:
    params: dict[str, object] = {
        "needle": needle,
        "end": needle + TOP,
        "length": len(needle),
        "rows": limit + 1,
    }
    if after is not None:
        params["at"], params["subject"] = after
    return params


def page(
    session: Session, needle: str, *, limit: int, after: tuple[str, str] | None = None
) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
    """(term, subject) of up to `limit` identities with a term starting with `needle`, each
    once, at its smallest such term, in term order after `after`; and where the next page
    starts (None at the end).

    One statement at any size: a walk along the primary key from `needle` that stops after
    `limit` + 1 rows listed. A row whose `shared_prefix` is not shorter than `needle` is not
    where its subject is listed (a smaller term of theirs matches too): the database skips it,
    and there are at most as many of those per person listed as their traits have words."""
    params = _scan_params(needle, limit, after)
    # Built once, Core on the session's connection (as `roles.repository.assignments_for`).
    rows = core_execute(session, _SCAN if after is None else _SCAN_AFTER, params).all()
    kept = [(term, subject) for term, subject in rows[:limit]]
    return kept, kept[-1] if len(rows) > limit else None


# A page with its people's roles, one statement: the scan (a derived table, LIMIT inside)
# drives, each listed person's assignments joined to it (`roles.repository.with_assignments`).
_PAGE_WITH_ROLES = with_assignments(_SCAN.subquery("listed"))
_PAGE_WITH_ROLES_AFTER = with_assignments(_SCAN_AFTER.subquery("listed"))


def page_with_roles(
    session: Session, needle: str, *, limit: int, after: tuple[str, str] | None = None
) -> tuple[list[tuple[str, str]], tuple[str, str] | None, dict[str, list[tuple[str, str]]]]:
    """`page`, and the (app slug, role name) pairs of each person on it (as
    `roles.repository.assignments_for`), in one statement instead of two."""
    params = _scan_params(needle, limit, after)
    statement = _PAGE_WITH_ROLES if after is None else _PAGE_WITH_ROLES_AFTER
    listed: list[tuple[str, str]] = []
    roles: dict[str, list[tuple[str, str]]] = {}
    for term, subject, slug, role in core_execute(session, statement, params):
        if not listed or listed[-1] != (term, subject):
            listed.append((term, subject))
            roles.setdefault(subject, [])
        if slug is not None and role is not None:
            roles[subject].append((slug, role))
    kept = listed[:limit]
    for _, subject in listed[limit:]:
        roles.pop(subject, None)
    return kept, kept[-1] if len(listed) > limit else None, roles


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
