"""Build real Ory Hydra and Kratos from the Go module proxy, once per pinned version.

Each server has a wrapper module in `devstack/real-ory/<server>/` (its go.mod pins the version
and go.sum the whole build list; both committed). The binary goes to
`.tools/ory/<server>-<hash>/<server>`, where the hash covers go.mod, go.sum and the build flags,
so a second run builds nothing and a changed pin builds anew. Binaries are never committed.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# devstack/src/devstack/realory → the repository root is 4 up.
REPO = Path(__file__).resolve().parents[4]
MODULES = REPO / "devstack" / "real-ory"
CACHE = REPO / ".tools" / "ory"


@dataclass(frozen=True)
class Server:
    name: str
    package: str  # the main package, a module root
    version: str  # what `<server> version` prints: the tag the wrapper module pins
    version_var: str  # the -X linker flag that sets it
    tags: str  # cgo build tags (SQLite)


SERVERS = {
    "kratos": Server(
        name="kratos",
        package="github.com/ory/kratos",
        version="v1.3.1",
        version_var="github.com/ory/kratos/driver/config.Version",
        tags="sqlite,json1",
    ),
    "hydra": Server(
        name="hydra",
        package="github.com/ory/hydra/v2",
        version="v2.3.0",
        version_var="github.com/ory/hydra/v2/driver/config.Version",
        tags="sqlite,sqlite_omit_load_extension",
    ),
}


class BuildError(RuntimeError):
    """The Go toolchain is missing or `go build` failed (the message says which)."""


def go_binary() -> str | None:
    return shutil.which("go") or next(
        (p for p in ("/usr/local/go/bin/go",) if Path(p).exists()), None
    )


def _build_args(server: Server, output: Path) -> list[str]:
    ldflags = f"-s -w -X {server.version_var}={server.version}"
    return ["build", "-trimpath", "-tags", server.tags, "-ldflags", ldflags, "-o", str(output)]


def binary_path(name: str) -> Path:
    """Where the binary of this pin lives (whether or not it was built yet)."""
    server = SERVERS[name]
    module = MODULES / name
    digest = hashlib.sha256()
    for part in ("go.mod", "go.sum"):
        digest.update((module / part).read_bytes())
    digest.update(" ".join(_build_args(server, Path(name))).encode())
    return CACHE / f"{name}-{digest.hexdigest()[:12]}" / name


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold the lock file of `folder` (one process at a time across the machine)."""
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_binary(name: str) -> Path:
    """The path of a built `name` binary ("hydra" or "kratos"), building it when missing."""
    target = binary_path(name)
    if target.exists():
        return target
    go = go_binary()
    if go is None:
        raise BuildError("no Go toolchain on PATH (real Hydra and Kratos are built with Go)")
    target.parent.mkdir(parents=True, exist_ok=True)
    # One build at a time per pin (make dev and a test run may start together).
    with exclusive(target.parent):
        if target.exists():
            return target
        partial = target.with_suffix(".partial")
        env = {**os.environ, "CGO_ENABLED": "1", "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}
        result = subprocess.run(  # noqa: S603 (our own go binary, fixed arguments)
            [go, *_build_args(SERVERS[name], partial), SERVERS[name].package],
            cwd=MODULES / name,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BuildError(f"go build {SERVERS[name].package} failed:\n{result.stderr[-4000:]}")
        partial.rename(target)
    return target


def main() -> None:
    """`python -m devstack.realory.build`: build both servers and print where they are."""
    for name in SERVERS:
        print(ensure_binary(name))


if __name__ == "__main__":
    main()
