"""Find and repair drift between Kratos, Hydra and our tables, whatever a failure left behind:

- roles (and dashboard sessions) of identities that no longer exist;
- identities we created whose roles never committed (`users.leftovers`);
- Hydra clients carrying our owner that no app links (a create whose link never committed,
  or whose app is gone);
- client links to clients Hydra no longer has (a delete whose commit failed);
- write intents whose request is over and which left nothing behind;
- search entries (`dashboard_api.search`) that differ from what Kratos holds: identities made
  or changed in Kratos directly (a person renaming themselves on the settings page), or gone.

What a request may still be working on (a pending write intent before its deadline) is left
alone; identities made before write intents existed count once `orphan_min_age` old.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from datetime import timedelta

from stackspin_clients import errors as ory_errors
from stackspin_clients.models import Identity

from dashboard_api.apps import repository as apps_repository
from dashboard_api.audit import repository as audit_repository
from dashboard_api.audit import service as audit
from dashboard_api.auth import repository as auth_repository
from dashboard_api.context import Context
from dashboard_api.intents import repository as intents_repository
from dashboard_api.intents import service as intents
from dashboard_api.intents.models import OAUTH2_CLIENT
from dashboard_api.roles import repository as roles_repository
from dashboard_api.search import service as search
from dashboard_api.search.terms import Entry, entry_of
from dashboard_api.users import identities
from dashboard_api.users.leftovers import Standing, standing

CHUNK = 500
# An identity without a write intent this young may be a create still in flight.
ORPHAN_MIN_AGE = timedelta(minutes=10)
# Every client an app creates carries this owner prefix (apps.service.owner_of).
OWNER_PREFIX = "stackspin-dashboard:"


@dataclass
class Report:
    stale_subjects: list[str] = field(default_factory=list)
    orphan_identities: list[str] = field(default_factory=list)
    orphan_clients: list[str] = field(default_factory=list)
    dangling_links: list[str] = field(default_factory=list)
    finished_intents: list[str] = field(default_factory=list)
    # Subjects whose search entry is missing, stale or left over (rewritten from Kratos).
    search_drift: list[str] = field(default_factory=list)
    repaired: bool = False
    # The intent each orphan identity was made under (settled when it is removed).
    orphan_intents: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def clean(self) -> bool:
        return not (
            self.stale_subjects
            or self.orphan_identities
            or self.orphan_clients
            or self.dangling_links
            or self.finished_intents
            or self.search_drift
        )


def find_stale_subjects(ctx: Context) -> list[str]:
    """Subjects holding roles here whose Kratos identity is gone (one Kratos call per 500)."""
    stale: list[str] = []
    after: str | None = None
    while True:
        subjects = roles_repository.subjects_page(ctx.session, limit=CHUNK, after=after)
        if not subjects:
            return stale
        page = ctx.ory.kratos.list_identities(page_size=len(subjects), ids=subjects)
        existing = {identity.id for identity in page.identities}
        stale.extend(s for s in subjects if s not in existing)
        after = subjects[-1]


@dataclass
class _Listings:
    """What Kratos and Hydra hold, read before the first query (see `reconcile`)."""

    ours: list[Identity]  # identities dashboard-api created
    clients: dict[str, str | None]  # client id -> owner
    entries: dict[str, Entry]  # every identity's search entry, as Kratos holds it


def _list_ory(ctx: Context) -> _Listings:
    ours: list[Identity] = []
    entries: dict[str, Entry] = {}
    for identity in ctx.ory.kratos.iter_identities(page_size=CHUNK):
        entries[identity.id] = entry_of(identity)
        if identities.created_by_us(identity):
            ours.append(identity)
    return _Listings(
        ours=ours,
        entries=entries,
        clients={
            c.client_id: c.owner
            for c in ctx.ory.hydra.iter_oauth2_clients(page_size=CHUNK)
            if c.client_id
        },
    )


def _orphan_identities(
    ctx: Context, listed: _Listings, min_age: timedelta
) -> tuple[dict[str, str], set[str], set[str]]:
    """(orphan identity id -> its intent token or "", intent tokens some identity carries,
    identities a create still in flight is making)."""
    created = audit_repository.target_ids(ctx.session, action="user.create")
    carried = {t for i in listed.ours if (t := identities.intent_of(i)) is not None}
    rows = intents_repository.by_tokens(ctx.session, carried)
    now = ctx.now()
    orphans: dict[str, str] = {}
    in_flight: set[str] = set()
    for identity in listed.ours:
        if identity.id in created:
            continue
        token = identities.intent_of(identity)
        found = standing(
            identity,
            has_roles=roles_repository.has_any_role(ctx.session, identity.id),
            create_recorded=False,
            intent=rows.get(token) if token else None,
            now=now,
            untracked_min_age=min_age,
        )
        if found is Standing.LEFTOVER:
            orphans[identity.id] = token or ""
        elif found is Standing.IN_FLIGHT:
            in_flight.add(identity.id)
    return orphans, carried, in_flight


def _orphan_clients(ctx: Context, listed: _Listings) -> list[str]:
    """Clients with our owner that no app links, unless a create of them is in flight."""
    linked = set(apps_repository.all_client_ids(ctx.session))
    candidates = [
        cid
        for cid, owner in listed.clients.items()
        if cid not in linked and owner is not None and owner.startswith(OWNER_PREFIX)
    ]
    busy = {
        row.key
        for row in intents_repository.by_keys(ctx.session, OAUTH2_CLIENT, candidates)
        if intents.in_flight(row, ctx.now())
    }
    return [cid for cid in candidates if cid not in busy]


def _dangling_links(ctx: Context, listed: _Listings) -> list[str]:
    """Links to clients Hydra does not have; each asked again, as one may have been created
    (and linked) after the listing."""
    linked = apps_repository.all_client_ids(ctx.session)
    dangling = []
    for client_id in linked:
        if client_id in listed.clients:
            continue
        try:
            ctx.ory.hydra.get_oauth2_client(client_id)
        except ory_errors.NotFound:
            dangling.append(client_id)
    return dangling


def _finished_intents(ctx: Context, carried_tokens: set[str], listed: _Listings) -> list[str]:
    """Intents whose request is over and which nothing in Kratos or Hydra still carries."""
    finished = []
    for row in intents_repository.all_intents(ctx.session):
        if intents.in_flight(row, ctx.now()):
            continue
        left = row.kind == OAUTH2_CLIENT and row.key in listed.clients
        if row.token not in carried_tokens and not left:
            finished.append(row.token)
    return finished


def reconcile(ctx: Context, *, repair: bool, orphan_min_age: timedelta = ORPHAN_MIN_AGE) -> Report:
    """What failed writes left behind (see the module docstring); with `repair`, removed.

    Kratos and Hydra are listed before the first query: whatever they list was begun, its
    intent committed, before the database snapshot the queries read, so a create still in
    flight is never taken for a leftover.
    """
    listed = _list_ory(ctx)
    orphan_identities, carried, in_flight = _orphan_identities(ctx, listed, orphan_min_age)
    report = Report(
        stale_subjects=find_stale_subjects(ctx),
        orphan_identities=list(orphan_identities),
        orphan_intents={i: t for i, t in orphan_identities.items() if t},
        orphan_clients=_orphan_clients(ctx, listed),
        dangling_links=_dangling_links(ctx, listed),
        finished_intents=_finished_intents(ctx, carried, listed),
        # A create in flight writes its entry when it commits (or makes nothing): not drift.
        search_drift=[s for s in search.drift(ctx, listed=listed.entries) if s not in in_flight],
    )
    if not repair:
        return report
    _repair(ctx, report)
    report.repaired = True
    return report


def report_then_repair(
    unit_of_work: Callable[[bool], AbstractContextManager[Context]], *, repair: bool
) -> Report:
    """`reconcile` as the CLI runs it. `unit_of_work(read_only)` opens a transaction.

    The report reads in a read-only transaction: on SQLite it never waits for the write lock a
    request holds for its whole length (Kratos calls included). Only when there is something to
    repair does a write transaction look again, under that lock, and remove it.
    """
    with unit_of_work(True) as ctx:
        report = reconcile(ctx, repair=False)
    if not repair:
        return report
    if report.clean:
        report.repaired = True
        return report
    with unit_of_work(False) as ctx:
        return reconcile(ctx, repair=True)


def _repair(ctx: Context, report: Report) -> None:
    search.forget(ctx, subjects=[*report.stale_subjects, *report.orphan_identities])
    for subject in report.stale_subjects:
        removed = roles_repository.delete_for_subject(ctx.session, subject)
        auth_repository.delete_sessions_of(ctx.session, subject)
        audit.record(
            ctx,
            action="user.reconcile_roles",
            target_type="user",
            target_id=subject,
            summary={"roles_removed": removed, "reason": "identity no longer exists"},
        )
    for identity_id in report.orphan_identities:
        with suppress(ory_errors.NotFound):
            ctx.ory.kratos.delete_identity(identity_id)
        audit.record(
            ctx,
            action="user.reconcile_orphan",
            target_type="user",
            target_id=identity_id,
            summary={"reason": "created by a create that never committed"},
        )
    for client_id in report.orphan_clients:
        with suppress(ory_errors.NotFound):
            ctx.ory.hydra.delete_oauth2_client(client_id)
        audit.record(
            ctx,
            action="client.reconcile_orphan",
            target_type="oauth2_client",
            target_id=client_id,
            summary={"reason": "no app links this client"},
        )
    for client_id in report.dangling_links:
        link = apps_repository.get_client_link(ctx.session, client_id)
        if link is not None:
            apps_repository.unlink_client(ctx.session, link)
        audit.record(
            ctx,
            action="client.reconcile_link",
            target_type="oauth2_client",
            target_id=client_id,
            summary={"reason": "Hydra no longer has this client"},
        )
    # The intents of what was just removed are finished too.
    done = [*report.finished_intents, *report.orphan_intents.values()]
    done += [
        row.token
        for row in intents_repository.by_keys(ctx.session, OAUTH2_CLIENT, report.orphan_clients)
    ]
    intents_repository.delete_tokens(ctx.session, done)
    # Last, so identities removed above are read as gone: entries as Kratos holds them now.
    search.refresh(ctx, subjects=report.search_drift)
    ctx.session.flush()
