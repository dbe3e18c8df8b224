"""Resident memory of processes, read from Linux's /proc: a gunicorn master's workers by pid."""

from __future__ import annotations

from pathlib import Path

PROC = Path("/proc")


def rss_kib(pid: int, proc: Path = PROC) -> int:
    """VmRSS of `pid` in KiB, from `/proc/<pid>/status`."""
    return parse_vm_rss((proc / str(pid) / "status").read_text())


def parse_vm_rss(status: str) -> int:
    """The VmRSS line of a /proc status text, in KiB (`VmRSS:   88000 kB`)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            value, unit = line.split()[1:3]
            if unit != "kB":
                raise ValueError(f"unexpected VmRSS unit {unit!r}")
            return int(value)
    raise ValueError("no VmRSS line (a kernel thread, or the process has exited)")


def children(pid: int, proc: Path = PROC) -> list[int]:
    """The pids whose parent is `pid` (a gunicorn master's workers), sorted."""
    found = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited meanwhile
            continue
        # `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so split after it.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return sorted(found)


def workers_mib(master: int, proc: Path = PROC) -> dict[int, float]:
    """RSS in MiB of each worker (child) of the gunicorn `master`, by pid."""
    return {pid: rss_kib(pid, proc) / 1024 for pid in children(master, proc)}
