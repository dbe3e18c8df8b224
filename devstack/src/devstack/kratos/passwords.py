"""argon2id password hashes (as Kratos's default hasher) with parameters from the config."""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from devstack.kratos.config import KratosConfig


def _hasher(config: KratosConfig) -> PasswordHasher:
    return PasswordHasher(
        time_cost=config.argon2_iterations,
        memory_cost=config.argon2_memory_kib,
        parallelism=config.argon2_parallelism,
        hash_len=32,
        salt_len=16,
        type=Type.ID,
    )


def hash_password(config: KratosConfig, password: str) -> str:
    return _hasher(config).hash(password)


def is_supported_hash(hashed: str) -> bool:
    """Imported hashes we can verify: argon2id/argon2i (Kratos accepts more formats)."""
    return hashed.startswith(("$argon2id$", "$argon2i$"))


def verify_password(config: KratosConfig, hashed: str, password: str) -> bool:
    try:
        return _hasher(config).verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
