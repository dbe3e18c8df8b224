"""The production gunicorn settings (`dashboard-api/gunicorn.conf.py`) in a process of their own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"

# Loads the settings file as gunicorn does, runs its post_fork hook, lets 8 threads allocate, and
# prints how many malloc arenas glibc reports (`malloc_info`'s `<heap nr=...>` entries).
ARENAS = """
import ctypes, runpy, sys, tempfile, threading
settings = runpy.run_path(sys.argv[1])
if sys.argv[2] == "hook":
    settings["post_fork"](None, None)
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.fclose.argtypes = [ctypes.c_void_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
start, kept = threading.Barrier(8), []
def allocate():
    start.wait()  # all at once, so glibc sees contention and hands out new arenas
    kept.append([bytearray(1000) for _ in range(2000)])
threads = [threading.Thread(target=allocate) for _ in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with tempfile.NamedTemporaryFile() as out:
    stream = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(open(out.name).read().count("<heap nr="))
"""


def arenas(run_hook: bool) -> int:
    result = subprocess.run(
        [sys.executable, "-c", ARENAS, str(CONFIG), "hook" if run_hook else "no-hook"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(result.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas")
def test_post_fork_caps_malloc_arenas_at_two_per_worker() -> None:
    assert arenas(run_hook=True) <= 2
    assert arenas(run_hook=False) > 2  # the cap is what the hook adds, not glibc's default


# Loads the settings and the app as a worker does, then runs post_worker_init: how many objects
# the collector no longer walks.
FROZEN = """
import gc, runpy, sys
settings = runpy.run_path(sys.argv[1])
from dashboard_api.main import create_app
app = create_app()
before = gc.get_freeze_count()
settings["post_worker_init"](None)
print(before, gc.get_freeze_count(), len(gc.get_objects()))
"""


def test_post_worker_init_takes_the_loaded_app_out_of_garbage_collection(tmp_path: Path) -> None:
    env = {"DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}", "PATH": "/usr/bin"}
    result = subprocess.run(
        [sys.executable, "-c", FROZEN, str(CONFIG)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    before, frozen, tracked = map(int, result.stdout.split())
    assert before == 0
    # The app, its routes and models: what a full collection skipped, nearly all there was.
    assert frozen > 100 * max(tracked, 1)
