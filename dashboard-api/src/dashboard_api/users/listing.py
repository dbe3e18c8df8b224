"""Listing users: pages, filters by app and role, and search, at a constant cost."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter
from stackspin_clients import errors as ory_errors
from stackspin_clients.models import IdentitySummary
from typing_extensions import TypedDict

from dashboard_api.apps import repository as apps_repository
from dashboard_api.context import Context
from dashboard_api.errors import Unprocessable
from dashboard_api.pagination import Page, decode_cursor, encode_cursor
from dashboard_api.roles import effective
from dashboard_api.roles import repository as roles_repository
from dashboard_api.search import service as search
from dashboard_api.search import terms
from dashboard_api.users import identities
from dashboard_api.users.schemas import (
    User,
)

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 500


def _matches(identity: IdentitySummary, needle: str) -> bool:
    return terms.matches(terms.entry_of(identity), needle)


class UserPageRows(TypedDict):
    """A `Page[User]` as plain data (`identities.UserRow`)."""

    items: list[identities.UserRow]
    next_cursor: str | None


_PAGE_JSON = TypeAdapter(UserPageRows)


def list_users(
    ctx: Context,
    *,
    limit: int = 100,
    cursor: str | None = None,
    q: str | None = None,
    app: str | None = None,
    role: str | None = None,
) -> UserPageRows:
    """One page of users as plain rows (`as_json` for the API, `as_page` for models); see
    `_list_users`. A page token Kratos refuses came from a bad cursor."""
    try:
        return _list_users(ctx, limit=limit, cursor=cursor, q=q, app=app, role=role)
    except ory_errors.ValidationFailed as exc:
        raise Unprocessable("The cursor is not one this API handed out.") from exc


def as_json(rows: UserPageRows) -> bytes:
    """The page as `Page[User]`'s JSON, serialised straight from the rows: no model is built
    per user or role."""
    return _PAGE_JSON.dump_json(rows)


def as_page(rows: UserPageRows) -> Page[User]:
    return Page[User](items=identities.users_of(rows["items"]), next_cursor=rows["next_cursor"])


def _list_users(
    ctx: Context,
    *,
    limit: int,
    cursor: str | None,
    q: str | None,
    app: str | None,
    role: str | None,
) -> UserPageRows:
    """One page of users at a constant cost: one Kratos call, a fixed number of queries.

    Filters on app/role page over our role table and fetch those identities by id; a search
    pages over the search projection (`dashboard_api.search`) and fetches those by id.
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    position = decode_cursor(cursor)
    needle = terms.needle_of(q) if q else None
    found: Sequence[identities.Listed]
    next_position: dict[str, Any] | None = None

    if app is not None or role is not None:
        app_id = None
        if app is not None:
            found_app = apps_repository.get_by_slug(ctx.session, app)
            if found_app is None:
                return UserPageRows(items=[], next_cursor=None)
            app_id = found_app.id
        if role is not None:
            known = roles_repository.roles_by_name(ctx.session)
            if role not in known:
                raise Unprocessable(f"There is no role {role!r}.")
        # Effective roles: a role through a group counts, the higher one wins.
        subjects = effective.subjects_page(
            ctx, limit=limit, after=_str(position.get("s")), app_id=app_id, role=role
        )
        by_id = {i.id: i for i in _identities_by_id(ctx, subjects)}
        held = [by_id[s] for s in subjects if s in by_id]
        found = [i for i in held if _matches(i, needle)] if needle else held
        if len(subjects) == limit:
            next_position = {"s": subjects[-1]}
    elif needle:
        found, next_position, assignments = _search(ctx, needle, limit, position)
        return _page(found, assignments, next_position)
    else:
        # Only what a user shows is read from this page (`IdentitySummary`): the same bytes out.
        page = ctx.ory.kratos.list_identity_summaries(
            page_size=limit, page_token=_str(position.get("k"))
        )
        found = page.identities
        if page.next_page_token:
            next_position = {"k": page.next_page_token}

    assignments = roles_repository.assignments_for(ctx.session, [i.id for i in found])
    return _page(found, assignments, next_position)


def _page(
    found: Sequence[identities.Listed],
    assignments: dict[str, list[tuple[str, str]]],
    next_position: dict[str, Any] | None,
) -> UserPageRows:
    return UserPageRows(
        items=[identities.user_row(i, assignments.get(i.id, [])) for i in found],
        next_cursor=encode_cursor(next_position) if next_position else None,
    )


def _search(
    ctx: Context, needle: str, limit: int, position: dict[str, Any]
) -> tuple[list[IdentitySummary], dict[str, Any] | None, dict[str, list[tuple[str, str]]]]:
    """A page of matches from the search projection, in the order of the matched text, with
    their roles (one query), then one Kratos call for those identities. Each is checked against
    what Kratos holds now, so an entry that went stale (changed in Kratos directly, until
    reconcile) is never shown wrongly."""
    at, after = _str(position.get("t")), _str(position.get("s"))
    rows, going_on, assignments = search.page_with_roles(
        ctx,
        needle=needle,
        limit=limit,
        after=(at, after) if at is not None and after is not None else None,
    )
    subjects = [subject for _, subject in rows]
    by_id = {i.id: i for i in _identities_by_id(ctx, subjects)}
    found = [by_id[s] for s in subjects if s in by_id and _matches(by_id[s], needle)]
    next_position = {"t": going_on[0], "s": going_on[1]} if going_on else None
    return found, next_position, assignments


def _identities_by_id(ctx: Context, subjects: Sequence[str]) -> list[IdentitySummary]:
    """One Kratos call for these identities, read as the users page reads its page."""
    if not subjects:
        return []
    page = ctx.ory.kratos.list_identity_summaries(page_size=len(subjects), ids=list(subjects))
    return page.identities


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
