"""docs/apps/<preset>.md and their index, generated from the presets.

python -m dashboard_api.catalogue.docs docs/apps          # write them
python -m dashboard_api.catalogue.docs --check docs/apps  # exit 1 if they differ
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard_api.catalogue.models import Preset
from dashboard_api.catalogue.presets import PRESETS
from dashboard_api.catalogue.settings import Target, render

EXAMPLE_ISSUER_BASE = "https://sso.example.org"
GENERATED = (
    "<!-- Generated from dashboard_api/catalogue/presets.py by `make app-docs`; edit there. -->"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def page(preset: Preset) -> str:
    """One app's page: what it gets, how to create it, what to type into it."""
    shown = render(preset, Target(base_url=EXAMPLE_ISSUER_BASE, app_url=preset.example_url))
    app_url = preset.example_url
    create = f"dashboard-api app create --preset {preset.id} --url {app_url}"
    if preset.redirect_path is None:
        create += f" --redirect-uri {app_url}/oauth/callback"
    lines = [
        GENERATED,
        f"# {preset.name}",
        "",
        preset.summary + f" The app's own documentation: <{preset.reference}>.",
        "",
        "The examples use `https://sso.example.org` for the single sign-on domain and"
        f" `{app_url}` for the app; the client id and secret are printed once when you"
        " create the app.",
        "",
        "## Create it",
        "",
        "```sh",
        create,
        "```",
        "",
        "or `POST /api/v1/apps` with"
        f' `{{"preset": "{preset.id}", "url": "{app_url}"}}`. Either creates the app, its'
        " OAuth2 client in Hydra and its claims at once, and answers with the client secret"
        " (shown this once) and the settings below filled in. `--group NAME` (API: `groups`)"
        " names the groups its groups claim may carry.",
        "",
        "## The client",
        "",
        "| | |",
        "| --- | --- |",
        "| Redirect URI | "
        + (
            f"`{app_url}{preset.redirect_path}`"
            if preset.redirect_path is not None
            else "the app's own, given when creating it"
        )
        + " |",
        f"| Scopes | `{preset.scope}` |",
        f"| Token endpoint authentication | `{preset.token_endpoint_auth_method}` |",
        f"| The app reads claims from | the {preset.reads} |",
        f"| Username claim | `{preset.username_claim}` |",
        f"| Role claim | `{preset.role_claim}` (`admin` or `user`) |",
        f"| Groups claim | {f'`{preset.groups_claim}`' if preset.groups_claim else 'none'} |",
        "",
        "## Claims it reads",
        "",
        "| claim | shape | used as |",
        "| --- | --- | --- |",
        *(f"| `{c.name}` | {c.shape} | {_cell(c.use)} |" for c in preset.claims),
        "",
        "## What to type into the app",
        "",
    ]
    if shown.fields:
        lines += [
            "| setting | value |",
            "| --- | --- |",
            *(f"| {_cell(f.label)} | `{_cell(f.value)}` |" for f in shown.fields),
            "",
        ]
    for snippet in shown.snippets:
        lines += [f"{snippet.title}:", "", f"```{snippet.language}", snippet.text, "```", ""]
    if preset.notes:
        lines += ["## Notes", "", *(f"- {note}" for note in preset.notes), ""]
    return "\n".join(lines)


def index() -> str:
    lines = [
        GENERATED,
        "# The app catalogue",
        "",
        "Presets for the apps small organisations run. Each page says which claims the app"
        " reads, its redirect URI and the exact settings to type into it."
        " `dashboard-api app presets` and `GET /api/v1/apps/presets` show the same, with"
        " your own domain filled in.",
        "",
        "| preset | app | redirect URI |",
        "| --- | --- | --- |",
        *(
            f"| [{p.id}]({p.id}.md) | {p.name} | "
            + (f"`<app url>{p.redirect_path}`" if p.redirect_path else "the app's own")
            + " |"
            for p in PRESETS.values()
        ),
        "",
    ]
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """File name → content of every generated page."""
    return {"README.md": index(), **{f"{p.id}.md": page(p) for p in PRESETS.values()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    folder: Path = args.folder
    stale = [
        name
        for name, text in pages().items()
        if not (folder / name).exists() or (folder / name).read_text() != text
    ]
    if args.check:
        for name in stale:
            print(f"{folder / name} differs from the presets: run make app-docs", file=sys.stderr)
        return 1 if stale else 0
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (folder / name).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
