"""The admin CLI `dashboard-api`: the same service layer as the API; the audit log names the CLI.

Each command is one transaction. The devstack runner calls it in-process with
`main(args, standalone_mode=False)`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TextIO, TypeVar

import click
from pydantic import ValidationError
from stackspin_clients.errors import OryError

from dashboard_api import migrate as migrations
from dashboard_api import reconcile as reconciliation
from dashboard_api.actors import Actor
from dashboard_api.apps import service as apps
from dashboard_api.apps.models import DASHBOARD_APP_SLUG
from dashboard_api.apps.schemas import AppCreate
from dashboard_api.config import Settings
from dashboard_api.context import Context
from dashboard_api.db import Database
from dashboard_api.errors import DomainError
from dashboard_api.ory import OryClients
from dashboard_api.roles import service as roles
from dashboard_api.users import batch, creation, credentials, listing, reading, updates
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


pass_state = click.make_pass_decorator(CliState)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str))


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
    """Bring the database schema up to date."""
    migrations.upgrade(state.settings.database_url, revision)
    click.echo(f"database at {migrations.current_revision(state.settings.database_url)}")


@main.command()
@click.option("--admin-subject", help="Kratos identity id to make dashboard admin.")
@click.option("--dashboard-client-id", help="Hydra client id of the dashboard frontend.")
@pass_state
def seed(state: CliState, admin_subject: str | None, dashboard_client_id: str | None) -> None:
    """Create the dashboard app, link its client, make the admin (safe to repeat)."""
    with state.unit_of_work() as ctx:
        apps.ensure_app(
            ctx, DASHBOARD_APP_SLUG, "Dashboard", state.settings.public_base + "/", trusted=True
        )
        if dashboard_client_id:
            apps.link_client(ctx, DASHBOARD_APP_SLUG, dashboard_client_id)
        if admin_subject:
            roles.set_role(ctx, admin_subject, DASHBOARD_APP_SLUG, "admin")
    click.echo("seeded")


@main.command()
@click.option("--repair", is_flag=True, help="Delete what the report lists.")
@pass_state
def reconcile(state: CliState, repair: bool) -> None:
    """Report (and with --repair remove) what failed writes left behind: roles of identities
    that no longer exist, identities and Hydra clients of creates that never committed, links
    to clients Hydra no longer has, and finished write intents."""
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
        f"{len(report.finished_intents)} finished write intent(s)"
    )


# --- roles ---------------------------------------------------------------------------------


@main.group(name="roles")
def roles_group() -> None:
    """Roles."""


@roles_group.command(name="list")
@pass_state
def roles_list(state: CliState) -> None:
    with state.unit_of_work() as ctx:
        for role in roles.list_roles(ctx):
            click.echo(f"{role.name}\t{role.description}")


# --- users ---------------------------------------------------------------------------------


@main.group()
def user() -> None:
    """Users (Kratos identities with roles here)."""


@user.command(name="create")
@click.argument("email")
@click.option("--name")
@click.option("--username")
@click.option("--role", "role_specs", multiple=True, metavar="APP:ROLE")
@click.option("--invite", is_flag=True, help="Mail a recovery code to set a password.")
@pass_state
def user_create(
    state: CliState,
    email: str,
    name: str | None,
    username: str | None,
    role_specs: tuple[str, ...],
    invite: bool,
) -> None:
    """Create a user."""
    data = _validated(
        UserCreate,
        email=email,
        name=name,
        username=username,
        roles=_parse_roles(role_specs),
        invite=invite,
    )
    with state.unit_of_work() as ctx:
        created = creation.create_user(ctx, data=data)
    _echo_json(created.model_dump(mode="json"))


@user.command(name="list")
@click.option("--search", "q")
@click.option("--app")
@click.option("--role", type=click.Choice(["admin", "user"]))
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
    """List users (id, email, name, state, roles)."""
    cursor: str | None = None
    while True:
        with state.unit_of_work() as ctx:
            page = listing.list_users(ctx, limit=limit, cursor=cursor, q=q, app=app, role=role)
        for item in page.items:
            granted = ",".join(f"{r.app}:{r.role}" for r in item.roles)
            click.echo(f"{item.id}\t{item.email}\t{item.name or ''}\t{item.state}\t{granted}")
        cursor = page.next_cursor
        if not all_pages or cursor is None:
            if cursor is not None:
                click.echo(f"# more: --all, or the API with cursor={cursor}", err=True)
            return


@user.command(name="show")
@click.argument("subject")
@pass_state
def user_show(state: CliState, subject: str) -> None:
    with state.unit_of_work() as ctx:
        _echo_json(reading.get_user(ctx, subject=subject).model_dump(mode="json"))


@user.command(name="update")
@click.argument("subject")
@click.option("--email")
@click.option("--name")
@click.option("--username")
@click.option("--state", "new_state", type=click.Choice(["active", "inactive"]))
@pass_state
def user_update(
    state: CliState,
    subject: str,
    email: str | None,
    name: str | None,
    username: str | None,
    new_state: str | None,
) -> None:
    """Change traits or state (roles: `user set-role`)."""
    data = _validated(UserUpdate, email=email, name=name, username=username, state=new_state)
    with state.unit_of_work() as ctx:
        _echo_json(updates.update_user(ctx, subject=subject, data=data).model_dump(mode="json"))


@user.command(name="delete")
@click.argument("subject")
@click.confirmation_option(prompt="Delete this user, their roles and sessions?")
@pass_state
def user_delete(state: CliState, subject: str) -> None:
    with state.unit_of_work() as ctx:
        updates.delete_user(ctx, subject=subject)
    click.echo(f"deleted {subject}")


@user.command(name="set-role")
@click.argument("subject")
@click.argument("app_slug")
@click.argument("role", type=click.Choice(["admin", "user", "none"]))
@pass_state
def user_set_role(state: CliState, subject: str, app_slug: str, role: str) -> None:
    """Give SUBJECT the ROLE on APP_SLUG (`none` removes access)."""
    with state.unit_of_work() as ctx:
        roles.set_role(ctx, subject, app_slug, None if role == "none" else role)
    click.echo(f"{subject}: {app_slug} -> {role}")


@user.command(name="recovery-code")
@click.argument("subject")
@pass_state
def user_recovery_code(state: CliState, subject: str) -> None:
    """A one-time recovery code to hand over to the person, and the page to enter it on."""
    with state.unit_of_work() as ctx:
        code = credentials.recovery_code(ctx, subject=subject)
    click.echo(f"Open:  {code.recovery_link}")
    click.echo(f"Code:  {code.recovery_code}")
    if code.expires_at is not None:
        click.echo(f"Until: {code.expires_at:%Y-%m-%d %H:%M} UTC")


def _read_rows(source: TextIO) -> list[dict[str, str]]:
    reader = csv.DictReader(source)
    if reader.fieldnames is None or "email" not in reader.fieldnames:
        raise click.UsageError("The CSV needs a header row with at least an `email` column.")
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


@user.command(name="import")
@click.argument("csv_file", type=click.File("r", encoding="utf-8"))
@click.option("--invite", is_flag=True, help="Mail each new user an invitation.")
@pass_state
def user_import(state: CliState, csv_file: TextIO, invite: bool) -> None:
    """Create users from a CSV (columns email, name, username, roles as `app:role;app:role`).

    Prints one result per row; rows already existing are reported, not changed."""
    rows = _read_rows(csv_file)
    results: list[tuple[int, str, str]] = []
    valid: list[tuple[int, UserCreate]] = []
    for number, row in enumerate(rows, start=2):
        try:
            specs = tuple(s for s in row.get("roles", "").replace(",", ";").split(";") if s)
            valid.append(
                (
                    number,
                    UserCreate(
                        email=row["email"],
                        name=row.get("name") or None,
                        username=row.get("username") or None,
                        roles=_parse_roles(specs),
                        invite=invite,
                    ),
                )
            )
        except (ValidationError, click.BadParameter) as exc:
            reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else exc.message
            results.append((number, row.get("email", ""), f"failed: {reason}"))
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
    for number, email, text in sorted(results):
        click.echo(f"row {number}\t{email}\t{text}")
    failed = sum(1 for _, _, text in results if text.startswith("failed"))
    if failed:
        raise click.ClickException(f"{failed} row(s) failed")


# --- apps ----------------------------------------------------------------------------------


@main.group()
def app() -> None:
    """Apps and their OAuth2 clients."""


@app.command(name="create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--url")
@click.option("--trusted", is_flag=True, help="First-party: consent without a screen.")
@click.option("--external", is_flag=True, help="Only a link, not behind single sign-on.")
@pass_state
def app_create(
    state: CliState, slug: str, name: str, url: str | None, trusted: bool, external: bool
) -> None:
    data = _validated(AppCreate, slug=slug, name=name, url=url, trusted=trusted, external=external)
    with state.unit_of_work() as ctx:
        _echo_json(apps.create_app(ctx, data).model_dump(mode="json"))


@app.command(name="list")
@pass_state
def app_list(state: CliState) -> None:
    with state.unit_of_work() as ctx:
        for item in apps.list_apps(ctx):
            click.echo(f"{item.slug}\t{item.name}\t{item.url or ''}\t{','.join(item.client_ids)}")


@app.command(name="show")
@click.argument("slug")
@pass_state
def app_show(state: CliState, slug: str) -> None:
    with state.unit_of_work() as ctx:
        _echo_json(apps.to_out(apps.get_app(ctx, slug)).model_dump(mode="json"))


@app.command(name="delete")
@click.argument("slug")
@click.confirmation_option(prompt="Delete this app, its roles and its OAuth2 clients?")
@pass_state
def app_delete(state: CliState, slug: str) -> None:
    with state.unit_of_work() as ctx:
        apps.delete_app(ctx, slug)
    click.echo(f"deleted {slug}")


@app.command(name="add-client")
@click.argument("slug")
@click.option("--client-id", required=True, help="An existing Hydra OAuth2 client.")
@pass_state
def app_add_client(state: CliState, slug: str, client_id: str) -> None:
    """Link an existing Hydra client to the app (safe to repeat)."""
    with state.unit_of_work() as ctx:
        apps.link_client(ctx, slug, client_id)
    click.echo(f"{client_id} -> {slug}")
