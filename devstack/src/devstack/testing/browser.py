"""A browser-like HTTP client for tests: a cookie jar, redirects followed by hand up to the
relying party (`stop_prefix`), forms filled in and sent from the page it is on.

The one such client of the test suites; login-service's tests and the stack's end-to-end tests
each give it their own app origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from devstack.testing.html_page import Page, parse

REDIRECTS = (301, 302, 303, 307, 308)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MAX_REDIRECTS = 30


@dataclass
class Visit:
    """Where the browser stopped, and every URL on the way."""

    response: httpx.Response
    urls: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.urls[-1] if self.urls else str(self.response.url)

    @property
    def page(self) -> Page:
        return parse(self.response.text)

    @property
    def status(self) -> int:
        return self.response.status_code


class Browser:
    def __init__(
        self,
        stop_prefix: str,
        *,
        source_address: str | None = None,
        accept_language: str = "en",
    ) -> None:
        """Stops at the first redirect to a URL starting with `stop_prefix` (the app);
        `source_address`: connect from another loopback address (another "client IP")."""
        transport = httpx.HTTPTransport(local_address=source_address) if source_address else None
        self.http = httpx.Client(
            transport=transport,
            follow_redirects=False,
            timeout=15,
            headers={"Accept": "text/html", "Accept-Language": accept_language},
        )
        self.stop_prefix = stop_prefix

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _treat_loopback_as_secure(self) -> None:
        """Browsers (W3C Secure Contexts) send `Secure` cookies to http://127.0.0.1; httpx does
        not. Without this the services' production cookies would never come back."""
        for cookie in self.http.cookies.jar:
            if cookie.domain in LOOPBACK_HOSTS:
                cookie.secure = False

    def _follow(self, response: httpx.Response, urls: list[str]) -> Visit:
        for _ in range(MAX_REDIRECTS):
            self._treat_loopback_as_secure()
            if response.status_code not in REDIRECTS:
                return Visit(response, urls)
            location = urljoin(str(response.url), response.headers["location"])
            urls.append(location)
            if location.startswith(self.stop_prefix):
                return Visit(response, urls)
            response = self.http.get(location)
        raise AssertionError(f"redirect loop: {urls[-6:]}")

    def get(self, url: str, **kwargs: Any) -> Visit:
        return self._follow(self.http.get(url, **kwargs), [url])

    def post(self, url: str, data: dict[str, str], **kwargs: Any) -> Visit:
        return self._follow(self.http.post(url, data=data, **kwargs), [url])

    def submit(
        self,
        visit: Visit,
        group: str | None = None,
        button: str | None = None,
        *,
        fields: tuple[str, ...] = (),
        **values: str,
    ) -> Visit:
        """Fill in `values` and send the first form on the page of `group` (a `data-group`;
        any when None) having `button` (by name or value) and the named `fields`."""
        form = visit.page.find(group, button=button, fields=fields)
        return self.post(urljoin(visit.url, form.action), form.data(button, **values))
