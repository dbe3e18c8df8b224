"""`devstack` command: the one-process local stack behind `make dev`."""

from __future__ import annotations

import click


@click.group()
def main() -> None:
    """Development stand-ins for Ory Hydra and Kratos (loopback only, never for production)."""


@main.command()
def up() -> None:
    """Run the whole stack on http://localhost:8080."""
    raise click.ClickException("the local stack runner is not built yet")
