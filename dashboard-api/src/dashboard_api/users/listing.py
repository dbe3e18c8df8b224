"""Listing users: pages, filters by app and role, and search, at a constant cost."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import Identity

from dashboard_api.apps import repository as apps_repository
from dashboard_api.context import Context
from dashboard_api.errors import Unprocessable
from dashboard_api.pagination import Page, decode_cursor, encode_cursor
from dashboard_api.roles import effective
from dashboard_api.roles import repository as roles_repository
from dashboard_api.users import identities
from dashboard_api.users.schemas import (
    User,
)

log = logging.getLogger(__name__)

MAX_PAGE_SIZE = 500
# A search by name cannot be done by Kratos; it scans at most this many Kratos pages per request.
SEARCH_SCAN_PAGES = 4
# A whole address is looked up exactly (one call); parts of one are searched like names.
FULL_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _matches(identity: Identity, needle: str) -> bool:
    traits = identities.traits_of(identity)
    return any(
        isinstance(traits.get(key), str) and needle in str(traits[key]).casefold()
        for key in ("email", "name", "username")
    )


def list_users(
    ctx: Context,
    *,
    limit: int = 100,
    cursor: str | None = None,
    q: str | None = None,
    app: str | None = None,
    role: str | None = None,
) -> Page[User]:
    """One page of users; see `_list_users`. A page token Kratos refuses came from a bad cursor."""
    try:
        return _list_users(ctx, limit=limit, cursor=cursor, q=q, app=app, role=role)
    except ory_errors.ValidationFailed as exc:
        raise Unprocessable("The cursor is not one this API handed out.") from exc


def _list_users(
    ctx: Context,
    *,
    limit: int = 100,
    cursor: str | None = None,
    q: str | None = None,
    app: str | None = None,
    role: str | None = None,
) -> Page[User]:
    """One page of users at a constant cost: at most SEARCH_SCAN_PAGES Kratos calls, two queries.

    Filters on app/role page over our role table and fetch those identities by id; an email
    search is an exact Kratos lookup; other searches scan a bounded number of Kratos pages.
    """
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    position = decode_cursor(cursor)
    needle = q.strip().casefold() if q and q.strip() else None
    found: list[Identity]
    next_position: dict[str, Any] | None = None

    if app is not None or role is not None:
        app_id = None
        if app is not None:
            found_app = apps_repository.get_by_slug(ctx.session, app)
            if found_app is None:
                return Page[User](items=[])
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
        found = [by_id[s] for s in subjects if s in by_id]
        if needle:
            found = [i for i in found if _matches(i, needle)]
        if len(subjects) == limit:
            next_position = {"s": subjects[-1]}
    elif needle and FULL_EMAIL.fullmatch(needle):
        page = ctx.ory.kratos.list_identities(page_size=1, credentials_identifier=needle)
        found = page.identities
    elif needle:
        found, next_position = _scan(ctx, needle, limit, position)
    else:
        page = ctx.ory.kratos.list_identities(page_size=limit, page_token=_str(position.get("k")))
        found = page.identities
        if page.next_page_token:
            next_position = {"k": page.next_page_token}

    assignments = roles_repository.assignments_for(ctx.session, [i.id for i in found])
    return Page[User](
        items=[identities.to_user(i, assignments.get(i.id, [])) for i in found],
        next_cursor=encode_cursor(next_position) if next_position else None,
    )


def _scan(
    ctx: Context, needle: str, limit: int, position: dict[str, Any]
) -> tuple[list[Identity], dict[str, Any] | None]:
    token = _str(position.get("k"))
    offset_value = position.get("o", 0)
    skip = offset_value if isinstance(offset_value, int) and offset_value > 0 else 0
    found: list[Identity] = []
    for _ in range(SEARCH_SCAN_PAGES):
        page = ctx.ory.kratos.list_identities(page_size=MAX_PAGE_SIZE, page_token=token)
        for offset, identity in enumerate(page.identities):
            if offset < skip or not _matches(identity, needle):
                continue
            found.append(identity)
            if len(found) == limit:
                rest = page.identities[offset + 1 :]
                if rest:
                    return found, {"k": token, "o": offset + 1}
                return found, ({"k": page.next_page_token} if page.next_page_token else None)
        skip = 0
        if not page.next_page_token:
            return found, None
        token = page.next_page_token
    # Budget spent: hand back what matched so far and where to go on.
    return found, {"k": token}


def _identities_by_id(ctx: Context, subjects: Sequence[str]) -> list[Identity]:
    if not subjects:
        return []
    return ctx.ory.kratos.list_identities(page_size=len(subjects), ids=list(subjects)).identities


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
