"""dashboard-api's production Python environment, built here as its image builds it.

`dashboard-api/Dockerfile` runs `uv sync --frozen --no-dev --package dashboard-api
--no-editable`: the service's own dependencies from the lock file, none of the workspace's
development tools. The workspace's `.venv` holds more (rich and pygments, which httpx and
structlog import when they are installed), so a worker started from it is bigger than a
production one. The `memory` section measures both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
SYNC = ["sync", "--frozen", "--no-dev", "--package", "dashboard-api", "--no-editable"]
# uv caches a local package's wheel until its pyproject.toml changes: the image builds from
# scratch, so build this checkout's packages afresh too.
OURS = ["dashboard-api", "stackspin-clients"]
FRESH = [
    flag
    for package in OURS
    for flag in ("--refresh-package", package, "--reinstall-package", package)
]


def uv() -> str:
    """uv as the Makefile finds it: on PATH, else the one `make install` put in .tools/."""
    found = shutil.which("uv") or REPO / ".tools" / "bin" / "uv"
    if not Path(found).exists():
        raise RuntimeError("uv is missing: run `make install`")
    return str(found)


def build(target: Path) -> Path:
    """The image's environment in `target` (this interpreter's Python); its `python`."""
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(target),
        "UV_COMPILE_BYTECODE": "1",  # as the Dockerfile
        "UV_PYTHON_DOWNLOADS": "never",
    }
    env.pop("VIRTUAL_ENV", None)  # uv would warn that it differs from the target
    done = subprocess.run(  # noqa: S603 (uv with fixed arguments)
        [uv(), *SYNC, *FRESH, "--python", sys.executable, "--quiet"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"uv sync for the image environment failed:\n{done.stderr[-2000:]}")
    return target / "bin" / "python"
