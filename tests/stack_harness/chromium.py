"""The system Chromium (/usr/bin/chromium) under Playwright, and numbered screenshots."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """A headless system Chromium; Playwright never downloads a browser of its own here."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


class Screenshots:
    """Numbered screenshots of one test, named for the page they show."""

    def __init__(self, folder: Path, test_name: str) -> None:
        self.folder = folder
        self.prefix = re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-")
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, page: Any, what: str) -> Path:
        self.count += 1
        path = self.folder / f"{self.prefix}-{self.count:02d}-{what}.png"
        from playwright.sync_api import Error as PlaywrightError

        try:
            page.screenshot(path=str(path), full_page=True)
        except PlaywrightError:  # caught mid-navigation: once more, on the settled page
            page.wait_for_load_state()
            page.screenshot(path=str(path), full_page=True)
        return path
