"""One signed-in person in the dashboard: a Chromium context of their own, noting console errors
and failed answers, for the dashboard's e2e suites."""

from __future__ import annotations

import re
from typing import Any

from stack_harness.sso_stack import PASSWORD, SsoStack

DESKTOP = {"width": 1100, "height": 800}
PHONE = {"width": 390, "height": 844}


class Person:
    """One browser (its own cookies) for one person, noting console errors and CSP reports."""

    def __init__(self, chromium: Any, sso: SsoStack, **context: Any) -> None:
        self.sso = sso
        self.context = chromium.new_context(**{"locale": "en-GB", "viewport": DESKTOP, **context})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.page.on("console", self._note_console)
        self.page.on("response", self._note_response)

    def _note_console(self, message: Any) -> None:
        # Failed loads are noted with their address below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(message.text)

    def _note_response(self, response: Any) -> None:
        # The first /api/v1/me without a session is a 401 by design (it starts the sign-in).
        if response.status >= 400 and not (
            response.status == 401 and response.url == f"{self.sso.url}/api/v1/me"
        ):
            self.problems.append(f"{response.status} {response.url}")

    def sign_in(self, email: str) -> Any:
        page = self.page
        page.goto(f"{self.sso.url}/")
        page.wait_for_url(re.compile(r".*/auth/login\?flow="))
        page.fill("input[name=identifier]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[name=method][value=password]")
        page.wait_for_url(f"{self.sso.url}/")
        page.get_by_role("heading", name="My apps").wait_for()
        return page

    def close(self) -> None:
        self.context.close()
