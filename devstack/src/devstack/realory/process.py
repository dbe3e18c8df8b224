"""One real Ory server as a child process: migrate its SQLite database, serve, stop."""

from __future__ import annotations

import ctypes
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import IO

import httpx

from devstack.realory import build

SERVE_ARGS = {
    # No call leaves the machine: telemetry off (HaveIBeenPwned is off in deploy/ory/kratos.yml).
    "hydra": ["serve", "all", "--dev", "--sqa-opt-out"],
    "kratos": ["serve", "--dev", "--watch-courier", "--sqa-opt-out"],
}
MIGRATE_ARGS = ["migrate", "sql", "--read-from-env", "--yes"]  # the same for both servers


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the process that started it dies (Linux
    PR_SET_PDEATHSIG), so a killed test run or `make dev` leaves no server holding its ports."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


class OryProcessError(RuntimeError):
    """A real Ory server did not migrate or did not become ready; the message has its log."""


def sqlite_dsn(path: Path, *, serving: bool = False) -> str:
    """Ory's SQLite DSN. A serving one runs in WAL mode with a generous busy timeout: Kratos's
    courier writes beside each request, and with the default rollback journal one login step
    answered 500 on a heavily loaded machine (a locked database is the likely cause; readers
    never wait for a writer in WAL mode). Migrations keep the plain journal, so the copied
    template stays one file."""
    dsn = f"sqlite://{path}?_fk=true&mode=rwc"
    return f"{dsn}&_journal_mode=WAL&_busy_timeout=15000" if serving else dsn


def migrate(name: str, database: Path, log: Path) -> None:
    """Apply `name`'s migrations to the SQLite file `database` (created when missing)."""
    binary = build.ensure_binary(name)
    with log.open("ab") as out:
        result = subprocess.run(  # noqa: S603 (our own binary, fixed arguments)
            [str(binary), *MIGRATE_ARGS],
            env={"DSN": sqlite_dsn(database), "PATH": "/usr/bin:/bin"},
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if result.returncode != 0:
        raise OryProcessError(f"{name} migrate failed:\n{_tail(log)}")


def migrated_template(name: str) -> Path:
    """A freshly migrated database for this build of `name`, made once and copied per run."""
    binary = build.ensure_binary(name)
    template = binary.parent / "template.sqlite3"
    if template.exists():
        return template
    with build.exclusive(binary.parent):  # make dev and a test run may start together
        if not template.exists():
            partial = binary.parent / "template.partial.sqlite3"
            partial.unlink(missing_ok=True)
            migrate(name, partial, binary.parent / "template-migrate.log")
            partial.rename(template)
    return template


def fresh_database(name: str, target: Path) -> Path:
    shutil.copyfile(migrated_template(name), target)
    return target


class OryProcess:
    """`<name> serve ...` with the given config files; `start()` waits for the admin port's
    /health/ready and, given `public_url`, the public port's /health/alive (the server opens
    its two ports side by side: the admin one answering says nothing of the other).
    `spawn()` + `wait_ready()` and `terminate()` + `stop()` let a stack start or stop Hydra and
    Kratos side by side (each takes ~0.5 s to get ready or to shut down)."""

    def __init__(
        self,
        name: str,
        configs: list[Path],
        *,
        admin_url: str,
        log: Path,
        public_url: str | None = None,
    ) -> None:
        self.name = name
        self.configs = configs
        self.admin_url = admin_url
        self.public_url = public_url
        self.log = log
        self._process: subprocess.Popen[bytes] | None = None
        self._out: IO[bytes] | None = None

    def start(self, timeout: float = 30.0) -> OryProcess:
        self.spawn()
        self.wait_ready(timeout)
        return self

    def spawn(self) -> None:
        binary = build.ensure_binary(self.name)
        args = [str(binary), *SERVE_ARGS[self.name]]
        for config in self.configs:
            args += ["--config", str(config)]
        self._out = self.log.open("ab")
        self._process = subprocess.Popen(  # noqa: S603 (our own binary, fixed arguments)
            args,
            # Nothing from the caller's environment: configs are the only input (no stray DSN).
            env={"PATH": "/usr/bin:/bin", "HOME": str(self.log.parent)},
            stdout=self._out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # only prctl between fork and exec
        )

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        waiting = [f"{self.admin_url.rstrip('/')}/health/ready"]
        if self.public_url is not None:
            waiting.append(f"{self.public_url.rstrip('/')}/health/alive")
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                self.stop()
                raise OryProcessError(f"{self.name} exited at start:\n{_tail(self.log)}")
            try:
                # Kratos answers its admin /health/ready with a redirect to /admin/health/ready.
                while waiting and _answers_ok(waiting[0]):
                    waiting.pop(0)
            except httpx.HTTPError:
                pass
            if not waiting:
                return
            time.sleep(0.02)
        self.stop()
        raise OryProcessError(f"{self.name} not ready after {timeout:.0f} s:\n{_tail(self.log)}")

    def terminate(self) -> None:
        """Ask the server to shut down (SIGTERM) without waiting; `stop()` waits."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        self.terminate()
        process, self._process = self._process, None
        if process is not None:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._out is not None:
            self._out.close()
            self._out = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _answers_ok(url: str) -> bool:
    return httpx.get(url, timeout=1, follow_redirects=True).status_code == 200
