"""Hydra's cookie names, including the per-client suffix of its CSRF cookies.

Hydra names a client's CSRF cookie `<base>_<murmur3-32 of the client id, decimal>`; MurmurHash3
(x86, 32-bit, seed 0) is a non-cryptographic hash, written out here so names match exactly.
"""

from __future__ import annotations

SESSION = "ory_hydra_session"
LOGIN_CSRF = "ory_hydra_login_csrf"
CONSENT_CSRF = "ory_hydra_consent_csrf"

_MASK = 0xFFFFFFFF
_C1 = 0xCC9E2D51
_C2 = 0x1B873593


def _rotl(value: int, bits: int) -> int:
    return ((value << bits) | (value >> (32 - bits))) & _MASK


def murmur3_32(data: bytes, seed: int = 0) -> int:
    h = seed & _MASK
    whole = len(data) - len(data) % 4
    for i in range(0, whole, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = _rotl((k * _C1) & _MASK, 15)
        h ^= (k * _C2) & _MASK
        h = (_rotl(h, 13) * 5 + 0xE6546B64) & _MASK
    tail = data[whole:]
    if tail:
        k = int.from_bytes(tail, "little")
        k = _rotl((k * _C1) & _MASK, 15)
        h ^= (k * _C2) & _MASK
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _MASK
    h ^= h >> 16
    return h


def client_suffix(client_id: str) -> str:
    """Hydra's `client.CookieSuffix`: Go's int(uint32) printed in decimal."""
    return str(murmur3_32(client_id.encode()))
