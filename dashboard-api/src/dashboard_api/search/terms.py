"""What a search matches: a query is the start of the email, username or name, or of any of
their words ("love" finds "Ada Lovelace", "example.org" finds "ada@example.org"), ignoring case."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dashboard_api.users import identities

# A word starts at a letter or digit after anything that is neither.
_WORD_START = re.compile(r"(?<![^\W_])[^\W_]|^.", re.UNICODE)
_WORD_CHARACTER = re.compile(r"[^\W_]", re.UNICODE)
MAX_TERM = 254


@dataclass(frozen=True)
class Entry:
    """One identity as the projection holds it: lower-cased (casefolded) traits and state."""

    subject: str
    email: str | None
    username: str | None
    name: str | None
    state: str

    def terms(self) -> set[str]:
        return terms_of(value for value in (self.email, self.username, self.name) if value)


def fold(text: str) -> str:
    return " ".join(text.casefold().split())


def entry_of(identity: identities.Listed) -> Entry:
    return entry_from(identity.id, identities.traits_of(identity), identity.state or "active")


def entry_from(subject: str, traits: Mapping[str, Any], state: str) -> Entry:
    def text(key: str) -> str | None:
        value = traits.get(key)
        return fold(value) if isinstance(value, str) and value.strip() else None

    return Entry(
        subject=subject,
        email=text("email"),
        username=text("username"),
        name=text("name"),
        state=state,
    )


def terms_of(values: Iterable[str]) -> set[str]:
    """Every tail of each value that begins at a word: the prefixes a search may match."""
    found: set[str] = set()
    for value in values:
        for start in _WORD_START.finditer(value):
            # rstrip: MariaDB compares VARCHARs ignoring trailing spaces (PAD SPACE).
            found.add(value[start.start() :][:MAX_TERM].rstrip())
    return found


def shared_prefixes(terms: Iterable[str]) -> list[tuple[str, int]]:
    """One person's terms, each with the length of the start it shares with their next smaller
    term (0 for the smallest). A query is listed at a term only if it is longer than that: a
    shorter one also starts that smaller term, where the person is listed instead."""
    ordered = sorted(terms)
    return [
        (term, _common_start(ordered[i - 1], term) if i else 0) for i, term in enumerate(ordered)
    ]


def _common_start(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def needle_of(query: str) -> str | None:
    # rstrip: cut to MAX_TERM it could end in a space, which no (rstripped) term does.
    folded = fold(query)[:MAX_TERM].rstrip()
    return folded or None


def matches(entry: Entry, needle: str) -> bool:
    """Whether one of the entry's terms starts with `needle` (a `needle_of`), found where the
    needle occurs instead of by building the terms: a search re-checks a page of these."""
    return any(
        _starts_a_word(value, needle)
        for value in (entry.email, entry.username, entry.name)
        if value
    )


def _starts_a_word(value: str, needle: str) -> bool:
    # A term is `value[start:][:MAX_TERM].rstrip()`: with a needle of at most MAX_TERM
    # characters that does not end in a space, it starts the term iff it starts there.
    at = value.find(needle)
    while at >= 0:
        if at == 0 or (
            _WORD_CHARACTER.match(value, at) and not _WORD_CHARACTER.match(value, at - 1)
        ):
            return True
        at = value.find(needle, at + 1)
    return False
