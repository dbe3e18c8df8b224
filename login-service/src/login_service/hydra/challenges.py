"""Reading and checking Hydra challenges from the query string or a form."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from stackspin_clients.errors import Gone, NotFound, ValidationFailed

from login_service.clients import calling
from login_service.errors import BadChallengeError, ChallengeUsedError

# Hydra challenges are opaque URL-safe strings; anything else is refused before calling Hydra.
_CHALLENGE = re.compile(r"^[A-Za-z0-9._~=+/-]{1,4096}$")
T = TypeVar("T")


def checked_challenge(value: str | None) -> str:
    if not value:
        raise BadChallengeError(
            _l("The link is missing its sign-in challenge. Please start again from the app.")
        )
    if not _CHALLENGE.match(value):
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
