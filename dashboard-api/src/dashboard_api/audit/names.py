"""Names for a page of audit entries: one Kratos call and two queries, whatever its size."""

from __future__ import annotations

from collections.abc import Sequence

from dashboard_api import people
from dashboard_api.apps import repository as apps_repository
from dashboard_api.audit.models import AuditEntry
from dashboard_api.audit.schemas import AuditEntryOut, AuditNames
from dashboard_api.context import Context
from dashboard_api.groups import repository as groups_repository


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _display(person: people.PersonRef | None) -> str | None:
    if person is None:
        return None
    return person.name or person.email or person.username


def _slugs_in(summary: dict[str, object]) -> set[str]:
    """`app`, and the apps of role lists ([[slug, role], ...]) plain or as before/after."""
    found = {app} if (app := _text(summary.get("app"))) else set()
    roles = summary.get("roles")
    lists: list[object] = [roles] if isinstance(roles, list) else []
    if isinstance(roles, dict):
        lists += [roles.get("before"), roles.get("after")]
    for pairs in lists:
        for pair in pairs if isinstance(pairs, list) else []:
            if isinstance(pair, list) and pair and (slug := _text(pair[0])):
                found.add(slug)
    return found


def with_names(ctx: Context, entries: Sequence[AuditEntry]) -> list[AuditEntryOut]:
    subjects: set[str] = set()
    slugs: set[str] = set()
    group_ids: set[int] = set()
    for entry in entries:
        if (actor := people.user_id_of_actor(entry.actor)) is not None:
            subjects.add(actor)
        if entry.target_type == "user":
            subjects.add(entry.target_id)
        elif entry.target_type == "app":
            slugs.add(entry.target_id)
        elif entry.target_type == "group" and entry.target_id.isdigit():
            group_ids.add(int(entry.target_id))
        if (member := _text(entry.summary.get("subject"))) is not None:
            subjects.add(member)
        slugs |= _slugs_in(entry.summary)
    found = people.resolve(ctx, subjects)
    apps = apps_repository.names_by_slug(ctx.session, slugs)
    groups = groups_repository.names_by_id(ctx.session, group_ids)
    out = []
    for entry in entries:
        summary = entry.summary
        actor_id = people.user_id_of_actor(entry.actor)
        target: str | None
        if entry.target_type == "user":
            # A deleted person is gone from Kratos: the address the entry kept, if any.
            target = _display(found.get(entry.target_id)) or _text(summary.get("email"))
        elif entry.target_type == "app":
            target = apps.get(entry.target_id) or _text(summary.get("name")) or entry.target_id
        elif entry.target_type == "group":
            group_id = int(entry.target_id) if entry.target_id.isdigit() else 0
            target = groups.get(group_id) or _text(summary.get("name"))
        else:
            target = entry.target_id
        app_slug = _text(summary.get("app"))
        member_id = _text(summary.get("subject"))
        names = AuditNames(
            actor=_display(found.get(actor_id)) if actor_id else None,
            target=target,
            app=(apps.get(app_slug) or app_slug) if app_slug else None,
            member=_display(found.get(member_id)) if member_id else None,
            apps={slug: apps.get(slug, slug) for slug in _slugs_in(summary)},
        )
        out.append(
            AuditEntryOut.model_validate(
                {
                    "id": entry.id,
                    "at": entry.at,
                    "actor": entry.actor,
                    "action": entry.action,
                    "target_type": entry.target_type,
                    "target_id": entry.target_id,
                    "summary": summary,
                    "request_id": entry.request_id,
                    "names": names,
                }
            )
        )
    return out
