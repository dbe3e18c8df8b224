"""Where `make test` spends its time: wall seconds per package and per Ory backend, printed
at the end of every run (setup + call + teardown of each test, summed by its path)."""

from __future__ import annotations

from collections import defaultdict

import pytest

_PACKAGES = (
    "shared/tests",
    "devstack/tests",
    "login-service/tests",
    "dashboard-api/tests",
    "tests",
)


def package_of(nodeid: str) -> str:
    path = nodeid.split("::", 1)[0]
    return next((p for p in _PACKAGES if path.startswith(f"{p}/")), "other")


def backend_of(nodeid: str) -> str:
    params = nodeid.rsplit("[", 1)[1].rstrip("]").split("-") if nodeid.endswith("]") else []
    if "real" in params:
        return "real Ory"
    return "stand-ins" if "standin" in params else "no Ory stack"


class TimeByPackage:
    def __init__(self) -> None:
        self.seconds: dict[tuple[str, str], float] = defaultdict(float)
        self.tests: dict[tuple[str, str], set[str]] = defaultdict(set)

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        key = (package_of(report.nodeid), backend_of(report.nodeid))
        self.seconds[key] += report.duration
        self.tests[key].add(report.nodeid)

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if not self.seconds:
            return
        total = sum(self.seconds.values())
        terminalreporter.write_sep("=", "time per package (setup + call + teardown)")
        for (package, backend), seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1]):
            count = len(self.tests[(package, backend)])
            terminalreporter.write_line(
                f"{seconds:8.1f} s {seconds / total:6.1%}  {count:5d} tests  {package} ({backend})"
            )
        terminalreporter.write_line(f"{total:8.1f} s in all")
