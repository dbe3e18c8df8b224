"""The admin CLI `dashboard-api`: the same service layer as the API; the audit log names the CLI.

Each command is one transaction. Seeding lives in `dashboard_api.bootstrap`, which the devstack
runner and the container bootstrap call directly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from stackspin_clients.errors import OryError

from dashboard_api import bootstrap
from dashboard_api import migrate as migrations
from dashboard_api import reconcile as reconciliation
from dashboard_api.access import offboarding
from dashboard_api.actors import Actor
from dashboard_api.apps import service as apps
from dashboard_api.apps.schemas import AppCreate, ClientCreate
from dashboard_api.catalogue import service as catalogue
from dashboard_api.catalogue import settings as catalogue_settings
from dashboard_api.catalogue.presets import PRESETS
from dashboard_api.catalogue.schemas import AppFromPreset
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.errors import DomainError
from dashboard_api.groups import claims as group_claims
from dashboard_api.groups import service as groups
from dashboard_api.groups.schemas import GroupCreate, GroupsClaim
from dashboard_api.invitations import lifecycle
from dashboard_api.invitations.models import STATES as INVITATION_STATES
from dashboard_api.invitations.schemas import InvitationOut
from dashboard_api.mail import LANGUAGES
from dashboard_api.ory import OryClients
from dashboard_api.roles import service as roles
from dashboard_api.users import (
    batch,
    creation,
    credentials,
    listing,
    reading,
    sessions,
    updates,
)
from dashboard_api.users.schemas import AppRole, UserCreate, UserUpdate

T = TypeVar("T")
IMPORT_BATCH = 1000


@dataclass
class CliState:
    settings: Settings
    _database: Database | None = None
    _ory: OryClients | None = None

    @property
    def database(self) -> Database:
        if self._database is None:
            missing = _missing_sqlite_file(self.settings.database_url)
            if missing is not None:
                raise click.ClickException(
                    f"There is no database at {missing}. Point the CLI at yours with"
                    " `export DASHBOARD_DATABASE_URL=...` (`make dev` prints the line for its"
                    " own), or create this one with `dashboard-api migrate`."
                )
            self._database = Database.from_url(
                self.settings.database_url, self.settings.database_timeouts
            )
        return self._database

    @property
    def ory(self) -> OryClients:
        if self._ory is None:
            self._ory = OryClients.from_settings(self.settings)
        return self._ory

    def close(self) -> None:
        if self._ory is not None:
            self._ory.close()
        if self._database is not None:
            self._database.dispose()

    @contextmanager
    def unit_of_work(self, *, read_only: bool = False) -> Iterator[Context]:
        """One transaction; domain and Ory errors become a clean message and exit status 1.
        `read_only`: it does not take (or wait for) SQLite's write lock."""
        try:
            with self.database.transaction(read_only=read_only) as session:
                yield Context(
                    session=session, ory=self.ory, settings=self.settings, actor=Actor.cli()
                )
        except DomainError as exc:
            raise click.ClickException(f"{exc.detail} ({exc.status})") from exc
        except OryError as exc:
            raise click.ClickException(f"Hydra/Kratos: {exc}") from exc
        except SQLAlchemyError as exc:
            raise click.ClickException(_database_trouble(self.settings.database_url, exc)) from exc


def _missing_sqlite_file(url: str) -> str | None:
    """The path of a SQLite database file that does not exist (SQLite would create it, empty,
    wherever the command happens to run), else None."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database or "")
    return None if path.exists() else str(path.resolve())


def _database_trouble(url: str, exc: SQLAlchemyError) -> str:
    where = make_url(url).render_as_string(hide_password=True)
    reason = str(exc.orig if isinstance(exc, DBAPIError) else exc)
    text = reason.casefold()
    if "no such table" in text or "doesn't exist" in text:
        return f"The database {where} has no tables yet: run `dashboard-api migrate` first."
    if isinstance(exc, OperationalError):
        return (
            f"Cannot use the database {where}: {reason}. Is it running, and is"
            " DASHBOARD_DATABASE_URL right?"
        )
    return f"The database {where} refused the command: {reason}"


pass_state = click.make_pass_decorator(CliState)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


def _echo_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Columns aligned under a header row; tabs would wrap unevenly on narrow terminals."""
    body = [[str(cell) for cell in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(headers)]
    for row in [list(headers), *body]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _subject(ctx: Context, who: str) -> str:
    return reading.resolve_subject(ctx, email_or_id=who)


def _parse_roles(values: tuple[str, ...]) -> list[AppRole]:
    parsed = []
    for value in values:
        app, sep, role = value.partition(":")
        if not sep:
            raise click.BadParameter(f"{value!r}: use APP:ROLE, e.g. dashboard:admin")
        try:
            parsed.append(AppRole(app=app, role=role))
        except ValidationError as exc:
            raise click.BadParameter(f"{value!r}: {exc.errors()[0]['msg']}") from exc
    return parsed


def _validated(model: Callable[..., T], **data: Any) -> T:
    try:
        return model(**data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise click.UsageError(problems) from exc


@click.group()
@click.option("--database-url", envvar="DASHBOARD_DATABASE_URL", help="Overrides the settings.")
@click.pass_context
def main(click_ctx: click.Context, database_url: str | None) -> None:
    """Administer the single sign-on dashboard: users, apps, roles, database."""
    overrides = {"database_url": database_url} if database_url else {}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    state = CliState(settings)
    click_ctx.obj = state
    click_ctx.call_on_close(state.close)


# --- database ------------------------------------------------------------------------------


@main.command()
@click.option("--revision", default="head", show_default=True)
@pass_state
def migrate(state: CliState, revision: str) -> None:
    """Create the database (SQLite) or bring its schema up to date; safe to repeat."""
    migrations.upgrade(state.settings.database_url, revision)
    click.echo(f"database at {migrations.current_revision(state.settings.database_url)}")


@main.command()
@click.option("--admin-subject", help="Kratos identity id to make dashboard admin.")
@click.option("--dashboard-client-id", help="Hydra client id of the dashboard frontend.")
@pass_state
def seed(state: CliState, admin_subject: str | None, dashboard_client_id: str | None) -> None:
    """Create the dashboard app, link its client, make the admin (safe to repeat)."""
    with state.unit_of_work() as ctx:
        bootstrap.seed_with(
            ctx, admin_subject=admin_subject, dashboard_client_id=dashboard_client_id
        )
    click.echo("seeded")


@main.command()
@click.option("--repair", is_flag=True, help="Delete what the report lists.")
@pass_state
def reconcile(state: CliState, repair: bool) -> None:
    """Report (and with --repair remove) what failed writes left behind: roles of identities
    that no longer exist, identities and Hydra clients of creates that never committed, links
    to clients Hydra no longer has, and finished write intents; and bring the search entries in
    step with Kratos (identities made or changed there directly)."""
    report = reconciliation.report_then_repair(
        lambda read_only: state.unit_of_work(read_only=read_only), repair=repair
    )
    for subject in report.stale_subjects:
        click.echo(f"roles without identity: {subject}")
    for identity_id in report.orphan_identities:
        click.echo(f"identity without roles or record: {identity_id}")
    for client_id in report.orphan_clients:
        click.echo(f"Hydra client without app: {client_id}")
    for client_id in report.dangling_links:
        click.echo(f"client link without Hydra client: {client_id}")
    verb = "repaired" if report.repaired else "found"
    click.echo(
        f"{verb}: {len(report.stale_subjects)} stale role holder(s), "
        f"{len(report.orphan_identities)} orphan identit(y/ies), "
        f"{len(report.orphan_clients)} orphan client(s), "
        f"{len(report.dangling_links)} dangling client link(s), "
        f"{len(report.finished_intents)} finished write intent(s), "
        f"{len(report.search_drift)} search entr(y/ies) out of step"
    )


# --- roles ---------------------------------------------------------------------------------


@main.group(name="roles")
def roles_group() -> None:
    """The roles a person can hold on an app."""


@roles_group.command(name="list")
@pass_state
def roles_list(state: CliState) -> None:
    """List the roles."""
    with state.unit_of_work(read_only=True) as ctx:
        _echo_table(
            ("ROLE", "DESCRIPTION"), [(r.name, r.description) for r in roles.list_roles(ctx)]
        )


# --- groups --------------------------------------------------------------------------------


@main.group(name="groups")
def groups_group() -> None:
    """Groups of people; a group grants a role on apps to each of its members."""


def _group_id(ctx: Context, name_or_id: str) -> int:
    return groups.find_group(ctx, name_or_id=name_or_id).group.id


@groups_group.command(name="list")
@pass_state
def groups_list(state: CliState) -> None:
    """List the groups with their member count and grants."""
    with state.unit_of_work(read_only=True) as ctx:
        _echo_table(
            ("ID", "GROUP", "MEMBERS", "GRANTS", "DESCRIPTION"),
            [
                (
                    str(v.group.id),
                    v.group.name,
                    str(len(v.members)),
                    ", ".join(f"{app}:{role}" for app, role in v.grants) or "-",
                    v.group.description,
                )
                for v in groups.list_groups(ctx)
            ],
        )


@groups_group.command(name="show")
@click.argument("group", metavar="NAME_OR_ID")
@pass_state
def groups_show(state: CliState, group: str) -> None:
    """Show a group's grants and members (subject and email)."""
    with state.unit_of_work(read_only=True) as ctx:
        view = groups.find_group(ctx, name_or_id=group)
        emails = (
            {
                i.id: str(i.traits.get("email", ""))
                for i in ctx.ory.kratos.list_identities(
                    page_size=max(1, len(view.members)), ids=view.members
                ).identities
            }
            if view.members
            else {}
        )
    click.echo(f"{view.group.name}: {view.group.description}".rstrip(": "))
    _echo_table(("APP", "ROLE"), view.grants)
    _echo_table(("MEMBER", "EMAIL"), [(s, emails.get(s, "?")) for s in view.members])


@groups_group.command(name="create")
@click.argument("name")
@click.option("--description", default="", help="What the group is for.")
@pass_state
def groups_create(state: CliState, name: str, description: str) -> None:
    """Create a group named NAME."""
    data = _validated(GroupCreate, name=name, description=description)
    with state.unit_of_work() as ctx:
        view = groups.create_group(ctx, name=data.name, description=data.description)
    click.echo(f"created group {view.group.name} (id {view.group.id})")


@groups_group.command(name="rename")
@click.argument("group", metavar="NAME_OR_ID")
@click.argument("new_name")
@pass_state
def groups_rename(state: CliState, group: str, new_name: str) -> None:
    """Rename a group."""
    data = _validated(GroupCreate, name=new_name)
    with state.unit_of_work() as ctx:
        groups.update_group(ctx, group_id=_group_id(ctx, group), name=data.name)
    click.echo(f"{group} -> {data.name}")


@groups_group.command(name="delete")
@click.argument("group", metavar="NAME_OR_ID")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@pass_state
def groups_delete(state: CliState, group: str, yes: bool) -> None:
    """Delete a group; its members lose what only it granted."""
    if not yes:
        click.confirm(f"Delete group {group}?", abort=True)
    with state.unit_of_work() as ctx:
        groups.delete_group(ctx, group_id=_group_id(ctx, group))
    click.echo(f"deleted group {group}")


@groups_group.command(name="add-member")
@click.argument("group", metavar="NAME_OR_ID")
@click.argument("who", metavar="EMAIL_OR_ID")
@pass_state
def groups_add_member(state: CliState, group: str, who: str) -> None:
    """Add a person to a group."""
    with state.unit_of_work() as ctx:
        groups.add_member(ctx, group_id=_group_id(ctx, group), subject=_subject(ctx, who))
    click.echo(f"{who} added to {group}")


@groups_group.command(name="remove-member")
@click.argument("group", metavar="NAME_OR_ID")
@click.argument("who", metavar="EMAIL_OR_ID")
@pass_state
def groups_remove_member(state: CliState, group: str, who: str) -> None:
    """Remove a person from a group (their consents for apps they lose are revoked)."""
    with state.unit_of_work() as ctx:
        groups.remove_member(ctx, group_id=_group_id(ctx, group), subject=_subject(ctx, who))
    click.echo(f"{who} removed from {group}")


@groups_group.command(name="grant")
@click.argument("group", metavar="NAME_OR_ID")
@click.argument("app_slug")
@click.argument("role", type=click.Choice(["admin", "user", "none"]))
@pass_state
def groups_grant(state: CliState, group: str, app_slug: str, role: str) -> None:
    """Grant ROLE on APP_SLUG to every member (`none` removes the grant)."""
    with state.unit_of_work() as ctx:
        groups.set_grant(
            ctx,
            group_id=_group_id(ctx, group),
            app_slug=app_slug,
            role=None if role == "none" else role,
        )
    click.echo(f"{group}: {app_slug} -> {role}")


@groups_group.command(name="claim")
@click.argument("app_slug")
@click.option("--name", "claim", help="The claim's name, e.g. groups; leave out to drop it.")
@click.option("--group", "visible", multiple=True, help="A group the app may see (repeatable).")
@pass_state
def groups_claim(
    state: CliState, app_slug: str, claim: str | None, visible: tuple[str, ...]
) -> None:
    """Set APP_SLUG's groups claim: its name and the groups whose names it may carry."""
    data = _validated(GroupsClaim, claim=claim, groups=list(visible))
    with state.unit_of_work() as ctx:
        name, names = group_claims.set_groups_claim(
            ctx, app_slug=app_slug, claim=data.claim, groups=data.groups
        )
    click.echo(f"{app_slug}: {name or '(no groups claim)'} {', '.join(names)}".rstrip())


# --- users ---------------------------------------------------------------------------------


@main.group()
def user() -> None:
    """Users (Kratos identities with roles here)."""


@user.command(name="create")
@click.argument("email")
@click.option("--name", help="Full name.")
@click.option("--username", help="Sent to apps as preferred_username.")
@click.option(
    "--role", "role_specs", multiple=True, metavar="APP:ROLE", help="Repeatable: wiki:user."
)
@click.option("--invite", is_flag=True, help="Mail an invitation to choose a password.")
@click.option(
    "--language",
    type=click.Choice(LANGUAGES),
    help="The invitation mail's language (default DASHBOARD_INVITATION_LANGUAGE).",
)
@pass_state
def user_create(
    state: CliState,
    email: str,
    name: str | None,
    username: str | None,
    role_specs: tuple[str, ...],
    invite: bool,
    language: str | None,
) -> None:
    """Create a user (with a dashboard:user role unless --role says otherwise)."""
    data = _validated(
        UserCreate,
        email=email,
        name=name,
        username=username,
        roles=_parse_roles(role_specs),
        invite=invite,
        language=language,
    )
    with state.unit_of_work() as ctx:
        created = creation.create_user(ctx, data=data)
    _echo_json(created.model_dump(mode="json"))


@user.command(name="list")
@click.option("--search", "q", help="Part of an email address, name or username.")
@click.option("--app", help="Only people with a role on this app (slug).")
@click.option("--role", type=click.Choice(["admin", "user"]), help="Only people with this role.")
@click.option("--limit", type=click.IntRange(1, 500), default=100, show_default=True)
@click.option("--all", "all_pages", is_flag=True, help="Follow every page.")
@pass_state
def user_list(
    state: CliState,
    q: str | None,
    app: str | None,
    role: str | None,
    limit: int,
    all_pages: bool,
) -> None:
    """List users: id, email, name, state and roles."""
    cursor: str | None = None
    while True:
        with state.unit_of_work(read_only=True) as ctx:
            rows = listing.list_users(ctx, limit=limit, cursor=cursor, q=q, app=app, role=role)
            page = listing.as_page(rows)
        _echo_table(
            ("ID", "EMAIL", "NAME", "STATE", "ROLES"),
            [
                (
                    item.id,
                    item.email or "",
                    item.name or "",
                    item.state,
                    ",".join(f"{r.app}:{r.role}" for r in item.roles),
                )
                for item in page.items
            ],
        )
        cursor = page.next_cursor
        if not all_pages or cursor is None:
            if cursor is not None:
                click.echo(f"# more: --all, or the API with cursor={cursor}", err=True)
            return


@user.command(name="show")
@click.argument("who", metavar="EMAIL_OR_ID")
@pass_state
def user_show(state: CliState, who: str) -> None:
    """Show one user as JSON."""
    with state.unit_of_work(read_only=True) as ctx:
        _echo_json(reading.get_user(ctx, subject=_subject(ctx, who)).model_dump(mode="json"))


@user.command(name="update")
@click.argument("who", metavar="EMAIL_OR_ID")
@click.option("--email", help="A new email address.")
@click.option("--name", help="A new full name.")
@click.option("--username", help="A new username.")
@click.option(
    "--state",
    "new_state",
    type=click.Choice(["active", "inactive"]),
    help="inactive: cannot sign in; every session ends.",
)
@pass_state
def user_update(
    state: CliState,
    who: str,
    email: str | None,
    name: str | None,
    username: str | None,
    new_state: str | None,
) -> None:
    """Change traits or state (roles: `user set-role`)."""
    data = _validated(UserUpdate, email=email, name=name, username=username, state=new_state)
    with state.unit_of_work() as ctx:
        subject = _subject(ctx, who)
        _echo_json(updates.update_user(ctx, subject=subject, data=data).model_dump(mode="json"))


@user.command(name="delete")
@click.argument("who", metavar="EMAIL_OR_ID")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@pass_state
def user_delete(state: CliState, who: str, yes: bool) -> None:
    """Delete a user, their roles and every session (asks first, naming the person)."""
    with state.unit_of_work(read_only=True) as ctx:
        person = reading.get_user(ctx, subject=_subject(ctx, who))
    if not yes:
        click.confirm(f"Delete {reading.describe(person)}, their roles and sessions?", abort=True)
    with state.unit_of_work() as ctx:
        updates.delete_user(ctx, subject=person.id)
    click.echo(f"deleted {reading.describe(person)} ({person.id})")


@user.command(name="offboard")
@click.argument("who", metavar="EMAIL_OR_ID")
@click.option("--keep-roles", is_flag=True, help="Keep the roles for a later reactivation.")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@pass_state
def user_offboard(state: CliState, who: str, keep_roles: bool, yes: bool) -> None:
    """Deactivate a person, end every session and consent, remove their roles (asks first)."""
    with state.unit_of_work(read_only=True) as ctx:
        person = reading.get_user(ctx, subject=_subject(ctx, who))
    if not yes:
        what = "keeping their roles" if keep_roles else "removing their roles"
        click.confirm(
            f"Offboard {reading.describe(person)}: deactivate, end every session, {what}?",
            abort=True,
        )
    with state.unit_of_work() as ctx:
        report = offboarding.offboard(ctx, subject=person.id, keep_roles=keep_roles)
    _echo_json(report.model_dump(mode="json"))


@user.command(name="set-role")
@click.argument("who", metavar="EMAIL_OR_ID")
@click.argument("app_slug")
@click.argument("role", type=click.Choice(["admin", "user", "none"]))
@pass_state
def user_set_role(state: CliState, who: str, app_slug: str, role: str) -> None:
    """Give the person ROLE on APP_SLUG (`none` removes their access)."""
    with state.unit_of_work() as ctx:
        subject = _subject(ctx, who)
        roles.set_role(
            ctx, subject=subject, app_slug=app_slug, role=None if role == "none" else role
        )
    click.echo(f"{who}: {app_slug} -> {role}")


@user.command(name="reset-2fa")
@click.argument("who", metavar="EMAIL_OR_ID")
@pass_state
def user_reset_second_factor(state: CliState, who: str) -> None:
    """Remove the person's second factors (TOTP, backup codes, security keys)."""
    with state.unit_of_work() as ctx:
        credentials.reset_second_factor(ctx, subject=_subject(ctx, who))
    click.echo(f"{who}: second factors removed; they sign in with their password alone")


@user.command(name="sessions")
@click.argument("who", metavar="EMAIL_OR_ID")
@pass_state
def user_sessions(state: CliState, who: str) -> None:
    """List the person's Kratos sessions."""
    with state.unit_of_work(read_only=True) as ctx:
        found = sessions.list_sessions(ctx, subject=_subject(ctx, who))
    _echo_table(
        ("SESSION", "ACTIVE", "SINCE (UTC)", "UNTIL (UTC)", "LEVEL", "METHODS"),
        [
            (
                s.id,
                "yes" if s.active else "no",
                f"{s.authenticated_at:%Y-%m-%d %H:%M}" if s.authenticated_at else "",
                f"{s.expires_at:%Y-%m-%d %H:%M}" if s.expires_at else "",
                s.aal or "",
                ",".join(s.methods),
            )
            for s in found
        ],
    )


@user.command(name="revoke-sessions")
@click.argument("who", metavar="EMAIL_OR_ID")
@pass_state
def user_revoke_sessions(state: CliState, who: str) -> None:
    """End every session of the person: Kratos, Hydra (their apps' tokens) and the dashboard."""
    with state.unit_of_work() as ctx:
        sessions.revoke_sessions(ctx, subject=_subject(ctx, who))
    click.echo(f"{who}: every session ended")


@user.command(name="end-session")
@click.argument("who", metavar="EMAIL_OR_ID")
@click.argument("session_id", metavar="SESSION_ID")
@pass_state
def user_end_session(state: CliState, who: str, session_id: str) -> None:
    """End one Kratos session of the person (its id from `user sessions`)."""
    with state.unit_of_work() as ctx:
        sessions.end_session(ctx, subject=_subject(ctx, who), session_id=session_id)
    click.echo(f"{who}: session {session_id} ended")


@user.command(name="recovery-code")
@click.argument("who", metavar="EMAIL_OR_ID")
@pass_state
def user_recovery_code(state: CliState, who: str) -> None:
    """A one-time recovery code to hand over to the person, and the page to enter it on."""
    with state.unit_of_work() as ctx:
        code = credentials.recovery_code(ctx, subject=_subject(ctx, who))
    click.echo(f"Open:  {code.recovery_link}")
    click.echo(f"Code:  {code.recovery_code}")
    if code.expires_at is not None:
        click.echo(f"Until: {code.expires_at:%Y-%m-%d %H:%M} UTC")


@main.group()
def invitation() -> None:
    """Invitations: pending, accepted, expired or withdrawn; resend or withdraw them."""


def _invitation_of(ctx: Context, who: str) -> int:
    """WHO is an invitation's number, or a person (email or id): their newest invitation."""
    if who.isdigit():
        return int(who)
    row = lifecycle.latest_of(ctx, subject=_subject(ctx, who))
    if row is None:
        raise click.ClickException(f"{who} has no invitation.")
    return row.id


def _echo_invitations(items: Iterable[InvitationOut]) -> None:
    _echo_table(
        ("ID", "EMAIL", "STATE", "LANGUAGE", "INVITED BY", "CREATED", "EXPIRES", "APPS"),
        [
            (
                str(item.id),
                item.email,
                item.state,
                item.language,
                item.invited_by,
                f"{item.created_at:%Y-%m-%d %H:%M}",
                f"{item.expires_at:%Y-%m-%d %H:%M}",
                ",".join(f"{app}:{role}" for app, role in item.roles),
            )
            for item in items
        ],
    )


@invitation.command(name="list")
@click.option("--status", type=click.Choice(INVITATION_STATES), help="Only invitations in it.")
@click.option("--limit", type=click.IntRange(1, 500), default=100, show_default=True)
@click.option("--all", "all_pages", is_flag=True, help="Follow every page.")
@pass_state
def invitation_list(state: CliState, status: str | None, limit: int, all_pages: bool) -> None:
    """List invitations, newest first (times in UTC)."""
    cursor: str | None = None
    while True:
        with state.unit_of_work(read_only=True) as ctx:
            page = lifecycle.list_invitations(ctx, limit=limit, cursor=cursor, state=status)
        _echo_invitations(page.items)
        cursor = page.next_cursor
        if not all_pages or cursor is None:
            if cursor is not None:
                click.echo(f"# more: --all, or the API with cursor={cursor}", err=True)
            return


@invitation.command(name="resend")
@click.argument("who", metavar="EMAIL_OR_ID")
@click.option("--language", type=click.Choice(LANGUAGES), help="Default: the invitation's.")
@pass_state
def invitation_resend(state: CliState, who: str, language: str | None) -> None:
    """Mail a pending or expired invitation again with a new code (the old one stops working).

    EMAIL_OR_ID: the person (their newest invitation) or the invitation's number."""
    with state.unit_of_work() as ctx:
        resent = lifecycle.resend(ctx, invitation_id=_invitation_of(ctx, who), language=language)
    click.echo(f"invitation {resent.id} to {resent.email}: mailed again ({resent.language})")


@invitation.command(name="withdraw")
@click.argument("who", metavar="EMAIL_OR_ID")
@pass_state
def invitation_withdraw(state: CliState, who: str) -> None:
    """Withdraw an invitation: the code already mailed stops working at once.

    EMAIL_OR_ID: the person (their newest invitation) or the invitation's number."""
    with state.unit_of_work() as ctx:
        withdrawn = lifecycle.withdraw(ctx, invitation_id=_invitation_of(ctx, who))
    click.echo(f"invitation {withdrawn.id} to {withdrawn.email}: {withdrawn.state}")


def _read_rows(source: TextIO) -> list[dict[str, str]]:
    """Rows as spreadsheets write them: a UTF-8 byte order mark or none, `,` or `;` between
    fields (whichever the header row uses more), header names in any case."""
    text = source.read().removeprefix("\ufeff")
    header = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = [(name or "").strip().casefold() for name in reader.fieldnames or []]
    if "email" not in fields:
        raise click.UsageError("The CSV needs a header row with at least an `email` column.")
    reader.fieldnames = fields
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _role_specs(value: str) -> tuple[str, ...]:
    return tuple(s for s in re.split(r"[;,\s]+", value) if s)


@user.command(name="import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8"))
@click.option("--invite", is_flag=True, help="Mail each new user an invitation.")
@click.option("--dry-run", is_flag=True, help="Say what each row would do; write nothing.")
@pass_state
def user_import(state: CliState, csv_file: TextIO, invite: bool, dry_run: bool) -> None:
    """Create users from a CSV: columns email, name, username, roles (`app:role`, several
    separated by `;` or `,`). A byte order mark, `;` as the separator and any header case are
    fine. Prints a result per row and a summary; existing users are reported, not changed."""
    rows = _read_rows(csv_file)
    results: list[tuple[int, str, str]] = []
    valid: list[tuple[int, UserCreate]] = []
    for number, row in enumerate(rows, start=2):
        try:
            valid.append(
                (
                    number,
                    UserCreate(
                        email=row.get("email", ""),
                        name=row.get("name") or None,
                        username=row.get("username") or None,
                        roles=_parse_roles(_role_specs(row.get("roles", ""))),
                        invite=invite,
                    ),
                )
            )
        except (ValidationError, click.BadParameter) as exc:
            reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else exc.message
            results.append((number, row.get("email", ""), f"failed: {reason}"))
    if dry_run:
        with state.unit_of_work(read_only=True) as ctx:
            preview = batch.preview(ctx, items=[data for _, data in valid])
        for item in preview.results:
            number, data = valid[item.index]
            text = item.status.replace("_", "-") + (f": {item.error}" if item.error else "")
            results.append((number, str(data.email), text))
    else:
        results += _import(state, valid)
    for number, email, text in sorted(results):
        click.echo(f"row {number}\t{email}\t{text}")
    words = ("would-create", "exists", "failed") if dry_run else ("created", "exists", "failed")
    counts = {
        w: sum(1 for *_, text in results if text.split(" ")[0].rstrip(":") == w) for w in words
    }
    click.echo(", ".join(f"{n} {word}" for word, n in counts.items()))
    if counts["failed"]:
        raise click.ClickException(f"{counts['failed']} row(s) failed")


def _import(state: CliState, valid: list[tuple[int, UserCreate]]) -> list[tuple[int, str, str]]:
    results: list[tuple[int, str, str]] = []
    with click.progressbar(length=len(valid), label="importing", file=sys.stderr) as bar:
        for start in range(0, len(valid), IMPORT_BATCH):
            chunk = valid[start : start + IMPORT_BATCH]
            with state.unit_of_work() as ctx:
                outcome = batch.batch_create(ctx, items=[data for _, data in chunk])
            for item in outcome.results:
                number, data = chunk[item.index]
                text = item.status + (f" {item.id}" if item.id else "")
                text += f": {item.error}" if item.error else ""
                results.append((number, str(data.email), text))
            bar.update(len(chunk))
    return results


# --- apps ----------------------------------------------------------------------------------


@main.group()
def app() -> None:
    """Apps and their OAuth2 clients."""


@app.command(name="create")
@click.argument("slug", required=False)
@click.option("--name", help="The name people see (default with --preset: the preset's).")
@click.option("--url", help="Where My apps links to (required with --preset).")
@click.option("--trusted", is_flag=True, help="First-party: consent without a screen.")
@click.option("--external", is_flag=True, help="Only a link, not behind single sign-on.")
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESETS)),
    help="Create its OAuth2 client and claims too, and print the settings for the app.",
)
@click.option("--redirect-uri", help="With --preset: instead of the preset's (generic: needed).")
@click.option(
    "--group",
    "visible",
    multiple=True,
    help="With --preset: a group its groups claim may carry (repeatable).",
)
@pass_state
def app_create(
    state: CliState,
    slug: str | None,
    name: str | None,
    url: str | None,
    trusted: bool,
    external: bool,
    preset: str | None,
    redirect_uri: str | None,
    visible: tuple[str, ...],
) -> None:
    """Create an app; with --preset also its OAuth2 client and claims (the client secret is
    printed this once), else `app create-client` makes its client."""
    if preset is not None:
        if external:
            raise click.UsageError("--external apps have no client: leave out --preset.")
        data = _validated(
            AppFromPreset,
            preset=preset,
            slug=slug,
            name=name,
            url=url,
            trusted=trusted,
            redirect_uri=redirect_uri,
            groups=list(visible),
        )
        with state.unit_of_work() as ctx:
            made = catalogue.create_from_preset(ctx, data)
        click.echo(f"created app {made.slug} with client {made.client.client_id}")
        click.echo(f"client secret: {made.client.client_secret}   (shown once: store it now)")
        click.echo("")
        click.echo(catalogue_settings.as_text(PRESETS[preset], made.settings))
        return
    if slug is None or name is None:
        raise click.UsageError("Give SLUG and --name (or --preset).")
    if redirect_uri or visible:
        raise click.UsageError("--redirect-uri and --group go with --preset.")
    data_app = _validated(
        AppCreate, slug=slug, name=name, url=url, trusted=trusted, external=external
    )
    with state.unit_of_work() as ctx:
        _echo_json(apps.create_app(ctx, data=data_app).model_dump(mode="json"))


@app.command(name="presets")
@click.argument("preset", required=False, type=click.Choice(sorted(PRESETS)))
@click.option("--json", "as_json", is_flag=True, help="The API's JSON instead of text.")
@pass_state
def app_presets(state: CliState, preset: str | None, as_json: bool) -> None:
    """List the app catalogue, or show what one preset needs and the settings to type in."""
    if preset is None:
        if as_json:
            _echo_json([p.model_dump(mode="json") for p in catalogue.list_presets(state.settings)])
            return
        _echo_table(
            ("PRESET", "APP", "REDIRECT URI", "CLAIMS"),
            [
                (
                    p.id,
                    p.name,
                    ("<app url>" + p.redirect_path) if p.redirect_path else "(you give it)",
                    " ".join(c.name for c in p.claims),
                )
                for p in PRESETS.values()
            ],
        )
        return
    shown = catalogue.preset_out(state.settings, PRESETS[preset])
    if as_json:
        _echo_json(shown.model_dump(mode="json"))
        return
    click.echo(PRESETS[preset].summary)
    click.echo("claims: " + ", ".join(f"{c.name} ({c.shape})" for c in shown.claims))
    click.echo("")
    click.echo(catalogue_settings.as_text(PRESETS[preset], shown.settings))


@app.command(name="list")
@pass_state
def app_list(state: CliState) -> None:
    """List apps: slug, name, URL and OAuth2 client ids."""
    with state.unit_of_work(read_only=True) as ctx:
        found = apps.list_apps(ctx)
    _echo_table(
        ("SLUG", "NAME", "URL", "CLIENTS"),
        [(a.slug, a.name, a.url or "", ",".join(a.client_ids)) for a in found],
    )


@app.command(name="show")
@click.argument("slug")
@pass_state
def app_show(state: CliState, slug: str) -> None:
    """Show one app as JSON."""
    with state.unit_of_work() as ctx:
        _echo_json(apps.to_out(apps.get_app(ctx, slug=slug)).model_dump(mode="json"))


@app.command(name="delete")
@click.argument("slug")
@click.confirmation_option(prompt="Delete this app, its roles and its OAuth2 clients?")
@pass_state
def app_delete(state: CliState, slug: str) -> None:
    """Delete an app, every role on it and its OAuth2 clients."""
    with state.unit_of_work() as ctx:
        apps.delete_app(ctx, slug=slug)
    click.echo(f"deleted {slug}")


@app.command(name="add-client")
@click.argument("slug")
@click.option("--client-id", required=True, help="An existing Hydra OAuth2 client.")
@pass_state
def app_add_client(state: CliState, slug: str, client_id: str) -> None:
    """Link an existing Hydra client to the app (safe to repeat)."""
    with state.unit_of_work() as ctx:
        apps.link_client(ctx, slug=slug, client_id=client_id)
    click.echo(f"{client_id} -> {slug}")


@app.command(name="create-client")
@click.argument("slug")
@click.option("--redirect-uri", "redirect_uris", multiple=True, required=True, help="Repeatable.")
@click.option("--post-logout-redirect-uri", "logout_uris", multiple=True, help="Repeatable.")
@click.option("--name", "client_name", help="Shown on the consent page (default: the app's).")
@click.option("--scope", default="openid email profile offline_access", show_default=True)
@click.option(
    "--auth-method",
    type=click.Choice(["client_secret_basic", "client_secret_post", "none"]),
    default="client_secret_basic",
    show_default=True,
    help="none: a public client (PKCE, no secret).",
)
@pass_state
def app_create_client(
    state: CliState,
    slug: str,
    redirect_uris: tuple[str, ...],
    logout_uris: tuple[str, ...],
    client_name: str | None,
    scope: str,
    auth_method: str,
) -> None:
    """Create a Hydra OAuth2 client for the app; its secret is shown this once."""
    data = _validated(
        ClientCreate,
        client_name=client_name,
        redirect_uris=list(redirect_uris),
        post_logout_redirect_uris=list(logout_uris),
        scope=scope,
        token_endpoint_auth_method=auth_method,
    )
    with state.unit_of_work() as ctx:
        made = apps.create_client(ctx, slug=slug, data=data)
    click.echo(f"client id:     {made.client_id}")
    if made.client_secret:
        click.echo(f"client secret: {made.client_secret}   (shown once: store it now)")


@app.command(name="clients")
@click.argument("slug")
@pass_state
def app_clients(state: CliState, slug: str) -> None:
    """List the app's OAuth2 clients and their redirect URIs."""
    with state.unit_of_work(read_only=True) as ctx:
        found = apps.list_clients(ctx, slug=slug)
    _echo_table(
        ("CLIENT", "NAME", "REDIRECT URIS"),
        [(c.client_id, c.client_name or "", " ".join(c.redirect_uris)) for c in found],
    )
