"""The ID token claims of a Kratos identity (used by dashboard-api and login-service alike)."""

from __future__ import annotations

from typing import Any

from stackspin_clients.claims import identity_claims
from stackspin_clients.models import Identity


def _identity(traits: dict[str, Any], addresses: list[dict[str, Any]] | None = None) -> Identity:
    return Identity.model_validate(
        {
            "id": "8c0b7d4e-0000-4000-8000-000000000001",
            "schema_id": "default",
            "schema_url": "http://kratos/schemas/default",
            "traits": traits,
            "verifiable_addresses": addresses,
        }
    )


def _address(value: str, *, verified: bool) -> dict[str, Any]:
    return {"value": value, "verified": verified, "via": "email", "status": "completed"}


def test_all_four_claims() -> None:
    identity = _identity(
        {"email": "ada@example.org", "name": "Ada Lovelace", "username": "ada"},
        [_address("ada@example.org", verified=True)],
    )
    assert identity_claims(identity) == {
        "email": "ada@example.org",
        "email_verified": True,
        "name": "Ada Lovelace",
        "preferred_username": "ada",
    }


def test_only_the_email_itself_verified_counts() -> None:
    identity = _identity(
        {"email": "ada@example.org"},
        [_address("old@example.org", verified=True), _address("ada@example.org", verified=False)],
    )
    assert identity_claims(identity) == {"email": "ada@example.org", "email_verified": False}


def test_a_first_and_last_name_and_empty_traits() -> None:
    named = _identity({"name": {"first": "Ada", "last": ""}, "username": ""})
    assert identity_claims(named) == {"name": "Ada"}
    assert identity_claims(_identity({"email": "", "name": {}, "username": 7})) == {}
