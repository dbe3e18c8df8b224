from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from devstack.bench import rss

STATUS = "Name:\tpython\nVmPeak:\t  200000 kB\nVmRSS:\t   88123 kB\nRssAnon:\t 70000 kB\n"


def test_vm_rss_is_read_from_the_status_text() -> None:
    assert rss.parse_vm_rss(STATUS) == 88123


def test_a_status_without_vm_rss_is_refused() -> None:
    with pytest.raises(ValueError, match="VmRSS"):
        rss.parse_vm_rss("Name:\tkthreadd\nState:\tS (sleeping)\n")


def test_children_are_found_by_parent_pid_even_with_spaces_in_the_name(tmp_path: Path) -> None:
    for pid, comm, ppid in ((10, "gunicorn: master", 1), (11, "w (1) x", 10), (12, "y", 10)):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "stat").write_text(f"{pid} ({comm}) S {ppid} 1 1 0\n")
        (tmp_path / str(pid) / "status").write_text(f"VmRSS:\t{pid * 1024} kB\n")
    (tmp_path / "self").mkdir()
    assert rss.children(10, tmp_path) == [11, 12]
    assert rss.workers_mib(10, tmp_path) == {11: 11.0, 12: 12.0}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux /proc only")
def test_a_real_child_process_is_found_and_its_rss_grows_with_what_it_holds() -> None:
    code = (
        "import sys; b = bytearray(64 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); "
        "print('ok', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "ok\n"
        assert child.pid in rss.children(os.getpid())
        assert rss.workers_mib(os.getpid())[child.pid] > 64
        assert rss.rss_kib(os.getpid()) > 0
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=10)
