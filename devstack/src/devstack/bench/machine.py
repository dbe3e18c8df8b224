"""A one-line description of the machine, for the report."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return "unknown RAM"


def load_average() -> str:
    """The 1-minute load average: other work on the machine skews every number."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def describe() -> str:
    return (
        f"{cpu_model()}, {os.cpu_count()} logical CPUs, {_memory()}; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )
