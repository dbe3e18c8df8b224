"""Kratos's default password policy: minimum length and the identifier-similarity check."""

from __future__ import annotations

from devstack.kratos import text
from devstack.kratos.config import KratosConfig

# Kratos's DefaultPasswordValidator thresholds
MIN_IDENTIFIER_DISTANCE = 5
MAX_IDENTIFIER_SUBSTRING_SHARE = 0.5


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _longest_common_substring(a: str, b: str) -> int:
    best = 0
    lengths = [0] * (len(b) + 1)
    for ca in a:
        diagonal = 0
        for j, cb in enumerate(b, 1):
            above = lengths[j]
            lengths[j] = diagonal + 1 if ca == cb else 0
            best = max(best, lengths[j])
            diagonal = above
    return best


def problem(config: KratosConfig, password: str, identifiers: list[str]) -> text.UiText | None:
    """The message Kratos would put on the password node, or None when the password is fine."""
    if len(password) < config.min_password_length:
        return text.password_min_length(config.min_password_length, len(password))
    lowered = password.lower()
    for identifier in identifiers:
        if not identifier:
            continue
        ident = identifier.lower()
        share = _longest_common_substring(ident, lowered) / len(lowered)
        if (
            _levenshtein(ident, lowered) < MIN_IDENTIFIER_DISTANCE
            or share > MAX_IDENTIFIER_SUBSTRING_SHARE
        ):
            return text.password_too_similar()
    return None
