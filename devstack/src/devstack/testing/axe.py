"""axe-core accessibility checks on a Playwright page, for every suite that drives a browser.

axe-core itself (axe.min.js) comes from the `axe-playwright-python` package; Playwright's
`page.evaluate` injects it, so a page's CSP (no inline script) does not have to make room.
"""

from __future__ import annotations

from typing import Any

# WCAG 2.1 A and AA (contrast 4.5:1 among them), plus axe's best practices.
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")


def violations(page: Any, *, tags: tuple[str, ...] = TAGS) -> list[dict[str, Any]]:
    """Inject axe-core into `page` (a sync Playwright page), run it, return its violations."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    options = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": list(tags)}}
    results = Axe().run(page, options=options)
    found: list[dict[str, Any]] = list(results.response.get("violations") or [])
    return found


def describe(found: list[dict[str, Any]]) -> str:
    """One line per violation and element: rule id, what axe says, the element's selector."""
    lines = []
    for violation in found:
        for node in violation.get("nodes") or []:
            target = " ".join(str(t) for t in node.get("target") or [])
            summary = str(node.get("failureSummary") or violation.get("help") or "")
            lines.append(f"{violation.get('id')}: {target}: {summary}".replace("\n", " "))
    return "\n".join(lines)
