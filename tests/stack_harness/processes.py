"""Our services as real processes: gunicorn subprocesses with their output in a log file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from stack_harness.ports import free_port, wait_for_port

VENV_BIN = Path(sys.executable).parent


@dataclass
class RunningProcess:
    name: str
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _stopped: bool = field(default=False, repr=False)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_gunicorn(
    name: str,
    args: list[str],
    *,
    env: dict[str, str],
    log_dir: Path,
    port: int | None = None,
    cwd: Path | None = None,
    ready_timeout: float = 30.0,
) -> RunningProcess:
    """Start `gunicorn <args> --bind 127.0.0.1:<port>` and wait until it accepts connections."""
    port = port or free_port()
    log_path = log_dir / f"{name}.log"
    # Unbuffered: tests read the services' log files while the services run.
    full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1", "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [str(VENV_BIN / "gunicorn"), *args, "--bind", f"127.0.0.1:{port}"]
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            command, env=full_env, stdout=out, stderr=subprocess.STDOUT, cwd=cwd
        )
    running = RunningProcess(name, f"http://127.0.0.1:{port}", port, process, log_path)
    try:
        wait_for_port(port, timeout=ready_timeout, alive=lambda: process.poll() is None)
    except (TimeoutError, RuntimeError) as exc:
        running.stop()
        raise RuntimeError(f"{name} did not start ({exc}):\n{running.log()[-4000:]}") from None
    return running


def run_cli(
    program: str, args: list[str], *, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run one of the workspace's console scripts (e.g. `dashboard-api migrate`); fail loudly."""
    result = subprocess.run(
        [str(VENV_BIN / program), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{program} {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result


# Runs several commands of a click CLI in one interpreter: each is what `<program> <args>` does,
# without paying the import time once per command (the devstack runner does the same).
_CLICK_BATCH = """
import json, sys
from importlib import import_module
main = getattr(import_module(sys.argv[1]), sys.argv[2])
for args in json.loads(sys.argv[3]):
    print("$", *args, flush=True)
    main(args, standalone_mode=False)
"""


def run_click_commands(
    entry_point: str, commands: list[list[str]], *, env: dict[str, str], timeout: float = 120
) -> str:
    """Run `commands` through the click group at "module:attribute" in one subprocess."""
    module, attribute = entry_point.split(":")
    result = subprocess.run(
        [sys.executable, "-c", _CLICK_BATCH, module, attribute, json.dumps(commands)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{entry_point} {commands} failed ({result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result.stdout
