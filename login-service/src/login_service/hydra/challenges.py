"""Hydra challenges in, Hydra's answers out: checking a challenge from the query string or a
form, mapping Hydra's errors to our pages, and checking where Hydra sends the browser next.

Hydra's login and consent challenges are stateless encrypted requests: until they expire,
Hydra answers a used one as if it were new, and accepting it again only ends in access_denied
at the app. So this browser's signed session cookie keeps a short ledger of the challenges it
saw (with the app's original request URL) and which of them it finished: a finished one starts
the sign-in afresh at that URL, an expired one offers it as "Start again".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import session
from stackspin_clients.errors import Gone, NotFound, Unauthorized, ValidationFailed
from stackspin_clients.models import RedirectTo, RejectRequest

from login_service.clients import calling
from login_service.errors import (
    CHALLENGE,
    BadChallengeError,
    ChallengeExpiredError,
    ChallengeUsedError,
    UnexpectedAnswerError,
)
from login_service.lazy_text import lazy_text as _l
from login_service.return_urls import is_browser_url

T = TypeVar("T")
LEDGER_KEY = "hydra_challenges"
LEDGER_SIZE = 4  # a few tabs' worth; each entry holds a request URL (the cookie stays small)
EXPIRED = _l("The sign-in took too long, so it was stopped for your safety. Please start again.")


def challenge_key(challenge: str) -> str:
    """A short digest: the ledger never holds a challenge itself."""
    return hashlib.sha256(challenge.encode()).hexdigest()[:32]


def _ledger() -> list[list[Any]]:
    raw = session.get(LEDGER_KEY)
    if not isinstance(raw, list):
        return []
    return [e for e in raw if isinstance(e, list) and len(e) == 3 and isinstance(e[0], str)]


def _entry(challenge: str) -> list[Any] | None:
    key = challenge_key(challenge)
    return next((e for e in _ledger() if e[0] == key), None)


def _save(entry: list[Any]) -> None:
    others = [e for e in _ledger() if e[0] != entry[0]]
    session[LEDGER_KEY] = [*others, entry][-LEDGER_SIZE:]


def seen(challenge: str, request_url: str | None) -> None:
    """Note a challenge Hydra just showed us, and the app's request it belongs to."""
    entry = _entry(challenge)
    url = request_url if is_browser_url(request_url) else None
    _save([challenge_key(challenge), url, bool(entry and entry[2])])


def finished(challenge: str) -> None:
    """Note that Hydra accepted or rejected this challenge for this browser."""
    entry = _entry(challenge)
    _save([challenge_key(challenge), entry[1] if entry else None, True])


def refuse_if_finished(challenge: str, request_url: str | None) -> None:
    """A challenge this browser already finished (Back, reload, a second submit) starts the
    app's request again instead of ending in access_denied."""
    entry = _entry(challenge)
    if entry and entry[2]:
        raise ChallengeUsedError(request_url if is_browser_url(request_url) else entry[1])


def _known_request_url(challenge: str | None) -> str | None:
    entry = _entry(challenge) if challenge else None
    return entry[1] if entry else None


def checked_challenge(value: str | None) -> str:
    if not value:
        raise BadChallengeError(
            _l("The link is missing its sign-in challenge. Please start again from the app.")
        )
    if not CHALLENGE.fullmatch(value):  # refused before Hydra sees it
        raise BadChallengeError(_l("The sign-in challenge in this link is malformed."))
    return value


@contextmanager
def hydra_request(challenge: str | None = None) -> Iterator[None]:
    """Map Hydra's answers about a challenge to our errors: 400 page, 410 → Hydra's redirect,
    401 (the request expired) → a page offering to start again."""
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
        except Unauthorized as exc:  # Hydra's admin API has no credentials: only expiry
            raise ChallengeExpiredError(EXPIRED, _known_request_url(challenge)) from exc


def fetch(call: Callable[[str], T], challenge: str) -> T:
    with hydra_request(challenge):
        return call(challenge)


def next_url(call: Callable[[], RedirectTo], challenge: str | None = None) -> str:
    """Accept or reject at Hydra; where Hydra says the browser goes next. With `challenge`,
    the ledger notes it as finished.

    Hydra's admin API is trusted to pick the target (its own /oauth2/auth, or an app's
    registered redirect URI), but not to hand us something that is no browser URL.
    """
    with hydra_request(challenge):
        result = call()
    if not is_browser_url(result.redirect_to):
        raise UnexpectedAnswerError("hydra", "redirect_to is not an absolute http(s) URL")
    if challenge is not None:
        finished(challenge)
    return result.redirect_to


def access_denied(
    reject: Callable[[str, RejectRequest], RedirectTo], challenge: str, description: str
) -> str:
    """Reject a login or consent request with access_denied; where the browser goes next."""
    body = RejectRequest(error="access_denied", error_description=description, status_code=403)
    return next_url(lambda: reject(challenge, body), challenge)
