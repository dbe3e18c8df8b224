"""`devstack` command: the one-process local stack behind `make dev`."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click
from stackspin_clients.errors import OryError

from devstack.realory.build import BuildError
from devstack.realory.process import OryProcessError
from devstack.runner.up import DevStack, Ports, run_forever

DEFAULTS = Ports()


def _port(name: str, default: int, help_text: str) -> click.Option:
    return click.Option(
        [f"--{name}-port"],
        type=click.IntRange(0, 65535),
        default=default,
        show_default=True,
        envvar=f"DEVSTACK_{name.upper().replace('-', '_')}_PORT",
        help=f"{help_text} (0: any free port).",
    )


@click.group()
def main() -> None:
    """Development stand-ins for Ory Hydra and Kratos (loopback only, never for production)."""


@main.command(
    params=[
        _port("router", DEFAULTS.router, "The front door, like nginx"),
        _port("login", DEFAULTS.login_service, "login-service"),
        _port("dashboard", DEFAULTS.dashboard_api, "dashboard-api"),
        _port("hydra-public", DEFAULTS.hydra_public, "Hydra public API"),
        _port("hydra-admin", DEFAULTS.hydra_admin, "Hydra admin API"),
        _port("kratos-public", DEFAULTS.kratos_public, "Kratos public API"),
        _port("kratos-admin", DEFAULTS.kratos_admin, "Kratos admin API"),
        _port("smtp", DEFAULTS.smtp, "Mail catcher SMTP"),
    ]
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path(".devstack"),
    show_default=True,
    envvar="DEVSTACK_STATE_DIR",
    help="Where the SQLite files and generated secrets live between runs.",
)
@click.option("--admin-email", envvar="DEVSTACK_ADMIN_EMAIL", help="The seeded admin's email.")
@click.option(
    "--admin-password", envvar="DEVSTACK_ADMIN_PASSWORD", help="The seeded admin's password."
)
@click.option(
    "--ory",
    type=click.Choice(["standin", "real"]),
    default="standin",
    show_default=True,
    envvar="ORY",
    help="Hydra and Kratos: the Python stand-ins, or the real servers built from Go modules "
    "(needs Go; state in <state-dir>/real/).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
def up(
    router_port: int,
    login_port: int,
    dashboard_port: int,
    hydra_public_port: int,
    hydra_admin_port: int,
    kratos_public_port: int,
    kratos_admin_port: int,
    smtp_port: int,
    state_dir: Path,
    admin_email: str | None,
    admin_password: str | None,
    ory: str,
    verbose: bool,
) -> None:
    """Run the whole stack on http://localhost:8080 (all on 127.0.0.1) until Ctrl-C."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # One line per request from werkzeug drowns the banner; -v shows them.
    logging.getLogger("werkzeug").setLevel(logging.INFO if verbose else logging.WARNING)
    ports = Ports(
        router=router_port,
        login_service=login_port,
        dashboard_api=dashboard_port,
        hydra_public=hydra_public_port,
        hydra_admin=hydra_admin_port,
        kratos_public=kratos_public_port,
        kratos_admin=kratos_admin_port,
        smtp=smtp_port,
    )
    if ory == "real":
        state_dir = state_dir / "real"  # real Ory's databases do not mix with the stand-ins'
    stack = DevStack(
        state_dir,
        ports,
        ory=ory,
        admin_email=admin_email,
        admin_password=admin_password,
        verbose=verbose,
    )
    try:
        run_forever(stack, sys.stdout)
    except OSError as exc:
        raise click.ClickException(
            f"{exc} — is another `devstack up` running? Ports can be changed with --*-port."
        ) from exc
    except OryError as exc:
        raise click.ClickException(f"seeding Hydra or Kratos failed: {exc}") from exc
    except (BuildError, OryProcessError) as exc:
        raise click.ClickException(f"real Ory did not start: {exc}") from exc
