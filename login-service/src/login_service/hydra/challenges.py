"""Hydra challenges in, Hydra's answers out: checking a challenge from the query string or a
form, mapping Hydra's errors to our pages, and checking where Hydra sends the browser next."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from stackspin_clients.errors import Gone, NotFound, ValidationFailed
from stackspin_clients.models import RedirectTo, RejectRequest

from login_service.clients import calling
from login_service.errors import (
    CHALLENGE,
    BadChallengeError,
    ChallengeUsedError,
    UnexpectedAnswerError,
)
from login_service.return_urls import is_browser_url

T = TypeVar("T")


def checked_challenge(value: str | None) -> str:
    if not value:
        raise BadChallengeError(
            _l("The link is missing its sign-in challenge. Please start again from the app.")
        )
    if not CHALLENGE.fullmatch(value):  # refused before Hydra sees it
        raise BadChallengeError(_l("The sign-in challenge in this link is malformed."))
    return value


@contextmanager
def hydra_request() -> Iterator[None]:
    """Map Hydra's answers about a challenge to our errors (400 page, 410 → Hydra's redirect)."""
    with calling("hydra"):
        try:
            yield
        except (NotFound, ValidationFailed) as exc:
            raise BadChallengeError(
                _l(
                    "This sign-in link is unknown or no longer valid. "
                    "Please start again from the app."
                )
            ) from exc
        except Gone as exc:
            raise ChallengeUsedError(exc.redirect_to) from exc


def fetch(call: Callable[[str], T], challenge: str) -> T:
    with hydra_request():
        return call(challenge)


def next_url(call: Callable[[], RedirectTo]) -> str:
    """Accept or reject at Hydra; where Hydra says the browser goes next.

    Hydra's admin API is trusted to pick the target (its own /oauth2/auth, or an app's
    registered redirect URI), but not to hand us something that is no browser URL.
    """
    with hydra_request():
        result = call()
    if not is_browser_url(result.redirect_to):
        raise UnexpectedAnswerError("hydra", "redirect_to is not an absolute http(s) URL")
    return result.redirect_to


def access_denied(
    reject: Callable[[str, RejectRequest], RedirectTo], challenge: str, description: str
) -> str:
    """Reject a login or consent request with access_denied; where the browser goes next."""
    body = RejectRequest(error="access_denied", error_description=description, status_code=403)
    return next_url(lambda: reject(challenge, body))
