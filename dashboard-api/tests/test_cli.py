"""The `dashboard-api` CLI, run in-process, and the seeding it shares with the devstack runner
(dashboard_api.bootstrap), on a fresh database."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from click.testing import CliRunner
from dashboard_api import bootstrap, migrate
from dashboard_api.apps.models import App, OAuthClientLink
from dashboard_api.audit.models import AuditEntry
from dashboard_api.cli import main
from dashboard_api.db import Database
from devstack.testing import databases
from sqlalchemy import select
from stackspin_clients.models import OAuth2Client


@pytest.fixture
def cli_database_url(tmp_path, settings):
    """A fresh database of the session's backend: the CLI commits for real."""
    backend = "sqlite" if settings.database_url.startswith("sqlite") else "mariadb"
    with databases.empty_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
def cli_env(cli_database_url, settings) -> dict[str, str]:
    return {
        "DASHBOARD_ENVIRONMENT": "production",
        "DASHBOARD_DATABASE_URL": cli_database_url,
        "DASHBOARD_SECRET_KEY": settings.secret_key,
        "DASHBOARD_INTERNAL_TOKEN": settings.internal_token,
        "DASHBOARD_OAUTH_CLIENT_SECRET": settings.oauth_client_secret,
        "DASHBOARD_HYDRA_ADMIN_URL": settings.hydra_admin_url,
        "DASHBOARD_KRATOS_ADMIN_URL": settings.kratos_admin_url,
        "DASHBOARD_KRATOS_PUBLIC_URL": settings.kratos_public_url,
        "DASHBOARD_SMTP_URL": settings.smtp_url or "",
        "DASHBOARD_LOG_JSON": "false",
    }


@pytest.fixture
def run(cli_env):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True, input: str | None = None):
        result = runner.invoke(main, list(args), env=cli_env, input=input, catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    invoke("migrate")
    return invoke


def test_seed_is_idempotent_and_makes_the_admin(run, make_identity, ory_clients, cli_env) -> None:
    admin = make_identity()
    client = ory_clients.hydra.create_oauth2_client(
        OAuth2Client(redirect_uris=["https://dash.example/cb"], grant_types=["authorization_code"])
    )
    for _ in range(2):
        run("seed", "--admin-subject", admin, "--dashboard-client-id", client.client_id or "")
    shown = json.loads(run("app", "show", "dashboard").output)
    assert shown["client_ids"] == [client.client_id]
    listed = run("user", "list", "--app", "dashboard", "--role", "admin").output
    assert admin in listed
    database = Database.from_url(cli_env["DASHBOARD_DATABASE_URL"])
    with database.session() as session:
        actors = set(session.scalars(select(AuditEntry.actor)))
    database.dispose()
    assert actors
    assert all(a.startswith("cli:") for a in actors)


def test_bootstrap_seed_takes_settings_repeats_safely_and_refuses_whole(
    cli_database_url, settings, make_identity, ory_clients, run
) -> None:
    """What the devstack runner calls: Settings in, no environment, a refusal as SeedError."""
    own = settings.model_copy(update={"database_url": cli_database_url})
    migrate.upgrade(cli_database_url)
    client = ory_clients.hydra.create_oauth2_client(
        OAuth2Client(redirect_uris=["https://demo.example/cb"], grant_types=["authorization_code"])
    )
    admin = make_identity()
    demo = bootstrap.SeedApp(
        slug="demo", name="Demo", client_ids=[client.client_id or ""], roles={admin: "user"}
    )
    for _ in range(2):
        bootstrap.seed(own, admin_subject=admin, apps_to_have=[demo])
    with pytest.raises(bootstrap.SeedError, match="Hydra has no OAuth2 client 'no-such-client'"):
        bootstrap.seed(
            own,
            apps_to_have=[
                bootstrap.SeedApp(slug="wiki", name="Wiki", client_ids=["no-such-client"])
            ],
        )
    database = Database.from_url(cli_database_url)
    with database.session() as session:
        slugs = set(session.scalars(select(App.slug)))
        links = list(session.scalars(select(OAuthClientLink.client_id)))
    database.dispose()
    assert slugs == {"dashboard", "demo"}  # the refused seed's `wiki` was rolled back
    assert links == [client.client_id]
    assert ory_clients.hydra.get_oauth2_client(client.client_id or "").owner
    assert admin in run("user", "list", "--app", "demo", "--role", "user").output
    assert admin in run("user", "list", "--app", "dashboard", "--role", "admin").output


def test_user_lifecycle(run, email, ory_clients) -> None:
    run("app", "create", "wiki", "--name", "Wiki")
    address = email()
    created = json.loads(
        run("user", "create", address, "--name", "Cli Person", "--role", "wiki:admin").output
    )
    assert {(r["app"], r["role"]) for r in created["roles"]} == {
        ("wiki", "admin"),
        ("dashboard", "user"),
    }
    assert run("user", "create", address, ok=False).exit_code == 1
    shown = json.loads(run("user", "show", created["id"]).output)
    assert shown["name"] == "Cli Person"
    updated = json.loads(run("user", "update", created["id"], "--name", "Renamed").output)
    assert updated["name"] == "Renamed"
    run("user", "set-role", created["id"], "wiki", "none")
    handed = run("user", "recovery-code", created["id"]).output
    assert re.search(r"^Code:\s+\d{6,8}$", handed, re.MULTILINE), handed
    assert "/recovery?flow=" in handed
    run("user", "delete", created["id"], "--yes")
    assert ory_clients.kratos.list_identities(credentials_identifier=address).identities == []
    assert "admin" in run("roles", "list").output


def test_bad_input_is_a_clean_error(run) -> None:
    result = run("user", "create", "not-an-email", ok=False)
    assert result.exit_code == 2
    assert "email" in result.output
    result = run("user", "create", "x@example.org", "--role", "nope", ok=False)
    assert result.exit_code == 2
    result = run("app", "show", "missing", ok=False)
    assert result.exit_code == 1
    assert "no app" in result.output


def test_import_csv_reports_every_row(run, email, tmp_path) -> None:
    run("app", "create", "chat", "--name", "Chat")
    existing = email()
    run("user", "create", existing)
    rows = [
        ("email", "name", "username", "roles"),
        (email(), "One", f"one-{uuid.uuid4().hex[:8]}", "chat:user"),  # Kratos outlives a DB
        (existing, "Two", "", ""),
        ("broken", "Three", "", ""),
        (email(), "Four", "", "chat:admin;dashboard:admin"),
    ]
    path = tmp_path / "people.csv"
    path.write_text("\n".join(",".join(r) for r in rows) + "\n")
    result = run("user", "import", str(path), ok=False)
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("row ")]
    assert [line.split("\t")[2].split(" ")[0].rstrip(":") for line in lines] == [
        "created",
        "exists",
        "failed",
        "created",
    ]


def test_reconcile_reports_and_repairs(run, make_identity, ory_clients) -> None:
    gone = make_identity()
    run("user", "set-role", gone, "dashboard", "user")
    ory_clients.kratos.delete_identity(gone)
    assert gone in run("reconcile").output
    assert "repaired: 1" in run("reconcile", "--repair").output
    assert "found: 0 stale" in run("reconcile").output


def test_reconcile_reports_and_removes_a_hydra_client_no_app_links(run, ory_clients) -> None:
    stray = ory_clients.hydra.create_oauth2_client(
        OAuth2Client(
            owner="stackspin-dashboard:gone",
            redirect_uris=["https://gone.example/cb"],
            grant_types=["authorization_code"],
        )
    )
    assert f"Hydra client without app: {stray.client_id}" in run("reconcile").output
    run("reconcile", "--repair")
    assert stray.client_id not in run("reconcile").output
    assert stray.client_id not in {c.client_id for c in ory_clients.hydra.iter_oauth2_clients()}


def test_app_delete(run) -> None:
    run("app", "create", "temp", "--name", "Temp")
    assert "temp" in run("app", "list").output
    run("app", "delete", "temp", "--yes")
    assert "temp" not in run("app", "list").output


def test_import_reads_what_spreadsheets_write_and_dry_run_writes_nothing(
    run, email, tmp_path, ory_clients
) -> None:
    run("app", "create", "chat", "--name", "Chat")
    existing, new, other = email(), email(), email()
    run("user", "create", existing)
    # A spreadsheet in a Dutch locale: BOM, `;` between fields, headers as typed.
    lines = [
        "Email;Name;ROLES",
        f"{new};Nieuw Mens;chat:user,dashboard:user",
        f"{existing};Bestaand;",
        f"{other};Onbekend;nope:user",
        "kapot;Kapot;",
    ]
    path = tmp_path / "mensen.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))

    dry = run("user", "import", str(path), "--dry-run", ok=False)
    assert dry.exit_code == 1
    statuses = [line.split("\t")[2] for line in dry.output.splitlines() if line.startswith("row ")]
    assert statuses[0] == "would-create"
    assert statuses[1] == "exists"
    assert statuses[2].startswith("failed")
    assert "nope" in statuses[2]
    assert statuses[3].startswith("failed")
    assert "1 would-create, 1 exists, 2 failed" in dry.output
    assert ory_clients.kratos.list_identities(credentials_identifier=new).identities == []

    done = run("user", "import", str(path), ok=False)
    assert "1 created, 1 exists, 2 failed" in done.output
    (made,) = ory_clients.kratos.list_identities(credentials_identifier=new).identities
    assert made.traits["name"] == "Nieuw Mens"
    shown = json.loads(run("user", "show", new).output)
    assert {(r["app"], r["role"]) for r in shown["roles"]} == {
        ("chat", "user"),
        ("dashboard", "user"),
    }


def test_user_commands_take_an_email_and_delete_names_the_person(run, email, ory_clients) -> None:
    address = email()
    created = json.loads(run("user", "create", address, "--name", "Ada Lovelace").output)
    assert json.loads(run("user", "show", address).output)["id"] == created["id"]
    refused = run("user", "delete", address, input="n\n", ok=False)
    assert refused.exit_code == 1
    assert f"Delete Ada Lovelace <{address}>, their roles and sessions?" in refused.output
    assert ory_clients.kratos.list_identities(credentials_identifier=address).identities
    gone = run("user", "delete", address, input="y\n")
    assert f"deleted Ada Lovelace <{address}>" in gone.output
    assert ory_clients.kratos.list_identities(credentials_identifier=address).identities == []
    missing = run("user", "show", address, ok=False)
    assert missing.exit_code == 1
    assert f"no user with the email address {address}" in missing.output


def test_sessions_second_factor_and_clients_from_the_cli(run, email, ory_clients) -> None:
    address = email()
    run("user", "create", address)
    listed = run("user", "sessions", address).output.splitlines()
    assert listed[0].split() == [
        "SESSION",
        "ACTIVE",
        "SINCE",
        "(UTC)",
        "UNTIL",
        "(UTC)",
        "LEVEL",
        "METHODS",
    ]
    missing = run("user", "end-session", address, "00000000-0000-0000-0000-000000000000", ok=False)
    assert missing.exit_code == 1
    assert "has no session" in missing.output
    assert "every session ended" in run("user", "revoke-sessions", address).output
    assert "second factors removed" in run("user", "reset-2fa", address).output

    run("app", "create", "wiki", "--name", "Wiki")
    made = run("app", "create-client", "wiki", "--redirect-uri", "https://wiki.example/cb").output
    client_id = re.search(r"^client id:\s+(\S+)$", made, re.MULTILINE)
    assert client_id is not None
    assert re.search(r"^client secret:\s+\S{16,}", made, re.MULTILINE)
    hydra_client = ory_clients.hydra.get_oauth2_client(client_id.group(1))
    assert hydra_client.redirect_uris == ["https://wiki.example/cb"]
    clients = run("app", "clients", "wiki").output.splitlines()
    assert clients[0].split() == ["CLIENT", "NAME", "REDIRECT", "URIS"]
    assert client_id.group(1) in clients[1]
    apps_table = run("app", "list").output.splitlines()
    assert apps_table[0].split() == ["SLUG", "NAME", "URL", "CLIENTS"]


def test_a_missing_or_empty_database_says_what_to_do(cli_env, tmp_path) -> None:
    runner = CliRunner()
    absent = tmp_path / "nowhere.sqlite3"
    env = {**cli_env, "DASHBOARD_DATABASE_URL": f"sqlite:///{absent}"}
    result = runner.invoke(main, ["user", "list"], env=env)
    assert result.exit_code == 1
    assert "There is no database at" in result.output
    assert "export DASHBOARD_DATABASE_URL=" in result.output
    assert "Traceback" not in result.output
    assert not absent.exists()  # nothing was created where the command ran

    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    env["DASHBOARD_DATABASE_URL"] = f"sqlite:///{empty}"
    result = runner.invoke(main, ["roles", "list"], env=env)
    assert result.exit_code == 1
    assert "run `dashboard-api migrate` first" in result.output


def test_a_development_call_prints_no_placeholder_warning(run, cli_env) -> None:
    # `run` migrated the database.
    env = {
        **cli_env,
        "DASHBOARD_ENVIRONMENT": "development",
        "DASHBOARD_SECRET_KEY": "changethis",
    }
    result = CliRunner().invoke(main, ["roles", "list"], env=env)
    assert result.exit_code == 0, result.output
    assert "placeholder" not in result.output.casefold()
    assert result.output.splitlines()[0].split() == ["ROLE", "DESCRIPTION"]


def test_user_offboard_names_the_person_and_prints_the_report(run, email) -> None:
    address = email()
    run("app", "create", "wiki", "--name", "Wiki")
    run("user", "create", address, "--name", "Ada Lovelace")
    run("user", "set-role", address, "wiki", "user")
    refused = run("user", "offboard", address, input="n\n", ok=False)
    assert refused.exit_code == 1
    assert f"Offboard Ada Lovelace <{address}>: deactivate, end every session" in refused.output
    assert json.loads(run("user", "show", address).output)["state"] == "active"
    done = run("user", "offboard", address, input="y\n")
    report = json.loads(done.output[done.output.index("{") :])
    assert report["state"] == "inactive"
    assert {"app": "wiki", "role": "user", "role_kept": False, "consents_revoked": []} in report[
        "apps"
    ]
    assert json.loads(run("user", "show", address).output)["state"] == "inactive"


def test_groups_commands(run, email) -> None:
    run("app", "create", "board", "--name", "Board")
    address = email()
    person = json.loads(run("user", "create", address).output)
    assert "created group staff" in run("groups", "create", "staff", "--description", "All").output
    assert run("groups", "create", "staff", ok=False).exit_code == 1
    assert run("groups", "create", "bad name!", ok=False).exit_code == 2
    run("groups", "add-member", "staff", address)
    run("groups", "grant", "staff", "board", "admin")
    run("groups", "claim", "board", "--name", "groups", "--group", "staff")
    listed = run("groups", "list").output.splitlines()
    assert listed[0].split() == ["ID", "GROUP", "MEMBERS", "GRANTS", "DESCRIPTION"]
    assert listed[1].split()[1:] == ["staff", "1", "board:admin", "All"]
    shown = run("groups", "show", "staff").output
    assert person["id"] in shown
    assert address in shown
    assert "MEMBER" in shown
    run("groups", "rename", "staff", "crew")
    run("groups", "grant", "crew", "board", "none")
    run("groups", "remove-member", "crew", person["id"])
    assert "0" in run("groups", "list").output.splitlines()[1].split()
    run("groups", "delete", "crew", "--yes")
    assert "crew" not in run("groups", "list").output
    assert "no group" in run("groups", "show", "crew", ok=False).output
    assert "Groups of people" in run("groups", "--help").output


def test_invitation_commands_list_resend_and_withdraw_by_email_or_number(run, email, ory) -> None:
    run("app", "create", "wiki", "--name", "Wiki")
    address = email()
    created = json.loads(
        run("user", "create", address, "--role", "wiki:user", "--invite", "--language", "nl").output
    )
    assert ory.mail.store.list(address)[0].subject == "Je bent uitgenodigd voor Stackspin"
    listed = run("invitation", "list", "--status", "pending").output
    header, *rows = listed.splitlines()
    assert header.split() == [
        "ID", "EMAIL", "STATE", "LANGUAGE", "INVITED", "BY", "CREATED", "EXPIRES", "APPS"
    ]  # fmt: skip
    (row,) = [line for line in rows if address in line]
    number = row.split()[0]
    assert "pending" in row
    assert " nl " in row
    assert "wiki:user" in row

    resent = run("invitation", "resend", address, "--language", "en").output
    assert f"invitation {number} to {address}: mailed again (en)" in resent
    assert ory.mail.store.list(address)[0].subject == "You are invited to Stackspin"
    withdrawn = run("invitation", "withdraw", number).output
    assert f"invitation {number} to {address}: withdrawn" in withdrawn
    assert address in run("invitation", "list", "--status", "withdrawn").output
    assert address not in run("invitation", "list", "--status", "pending").output
    # Withdrawn: nothing left to resend (409 as a clean error), and a stranger has none.
    assert run("invitation", "resend", created["id"], ok=False).exit_code == 1
    assert run("invitation", "withdraw", email(), ok=False).exit_code != 0
    helped = run("invitation", "list", "--help").output
    assert "--status [pending|accepted|expired|withdrawn]" in helped
