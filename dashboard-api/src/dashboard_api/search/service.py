"""Keeping the search projection in step with Kratos, and searching it.

Every write of dashboard-api that changes an identity writes its entry in the same unit of work,
from what Kratos answered (so a rollback takes both back). Changes made in Kratos directly (the
settings page, another admin tool) are found by `dashboard-api reconcile` (`drift`, `refresh`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from stackspin_clients.models import Identity

from dashboard_api import locks
from dashboard_api.context import Context
from dashboard_api.search import repository
from dashboard_api.search.terms import Entry, entry_from, entry_of

CHUNK = 500


def index(ctx: Context, *, identities: Sequence[Identity]) -> None:
    """Write the entries of these identities, as Kratos answered them."""
    repository.replace(ctx.session, [entry_of(i) for i in identities])


def index_created(ctx: Context, *, created: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
    """Entries for identities just created (id, traits) as active, without reading them back."""
    repository.replace(ctx.session, [entry_from(s, traits, "active") for s, traits in created])


def forget(ctx: Context, *, subjects: Iterable[str]) -> None:
    repository.remove(ctx.session, subjects)


def page_with_roles(
    ctx: Context, *, needle: str, limit: int, after: tuple[str, str] | None = None
) -> tuple[list[tuple[str, str]], tuple[str, str] | None, dict[str, list[tuple[str, str]]]]:
    """(matched term, subject) of one page of matches, where the next page starts, and each
    listed person's (app slug, role name) pairs, in one query; see `repository.page_with_roles`."""
    return repository.page_with_roles(ctx.session, needle, limit=limit, after=after)


def holders(ctx: Context, *, identifiers: Iterable[str]) -> dict[str, str]:
    """Which subject holds each identifier (email or username, any case), as far as the
    projection knows (in one query)."""
    return repository.holders(ctx.session, (i.casefold() for i in identifiers))


def drift(ctx: Context, *, listed: Mapping[str, Entry]) -> list[str]:
    """Subjects whose entry is missing, differs from `listed` (what Kratos holds), or whose
    identity is gone: one query per CHUNK entries."""
    drifted: list[str] = []
    seen: set[str] = set()
    after: str | None = None
    while True:
        stored = repository.entries_page(ctx.session, limit=CHUNK, after=after)
        if not stored:
            break
        for entry in stored:
            seen.add(entry.subject)
            if listed.get(entry.subject) != entry:
                drifted.append(entry.subject)
        after = stored[-1].subject
    drifted.extend(subject for subject in listed if subject not in seen)
    return sorted(drifted)


def refresh(ctx: Context, *, subjects: Sequence[str]) -> None:
    """Rewrite these subjects' entries from what Kratos holds now (one Kratos call per CHUNK),
    dropping those Kratos no longer has. Holds the subjects' locks first, so a request changing
    one of them has committed (and its Kratos change is what is read) before this reads."""
    locks.hold(ctx.session, [locks.subject_name(s) for s in subjects])
    for start in range(0, len(subjects), CHUNK):
        chunk = list(subjects[start : start + CHUNK])
        found = ctx.ory.kratos.list_identities(page_size=len(chunk), ids=chunk).identities
        index(ctx, identities=found)
        still = {i.id for i in found}
        repository.remove(ctx.session, [s for s in chunk if s not in still])
