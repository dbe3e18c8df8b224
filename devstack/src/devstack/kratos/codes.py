"""One-time codes and link tokens for recovery and verification (stored hashed)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any

from devstack.kratos import clock
from devstack.kratos.runtime import Runtime
from devstack.kratos.store import Doc

KIND = "one_time_code"
LOOKUP_KIND = "one_time_code_value"
# selfservice.methods.code.config.max_submissions (Kratos's default)
MAX_SUBMISSIONS = 5


def _digest(purpose: str, flow_id: str, value: str) -> str:
    return hashlib.sha256(f"{purpose}:{flow_id}:{value}".encode()).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def issue(
    rt: Runtime,
    purpose: str,
    flow_id: str,
    *,
    identity_id: str | None,
    address: str | None,
    value: str | None = None,
    lifespan: int | None = None,
) -> str:
    """Store a code (or link token) for a flow; returns the plain value."""
    plain = value or new_code()
    entry: Doc = {
        "id": str(uuid.uuid4()),
        "purpose": purpose,
        "flow_id": flow_id,
        "identity_id": identity_id,
        "address": address,
        "expires_at": clock.fmt(clock.later(lifespan or rt.config.code_lifespan)),
        "used": False,
    }
    with rt.store.transaction():
        rt.store.put(KIND, entry["id"], entry)
        rt.store.set_keys(LOOKUP_KIND, entry["id"], [_digest(purpose, flow_id, plain)])
    return plain


def redeem(rt: Runtime, purpose: str, flow_id: str, value: str) -> dict[str, Any] | None:
    """The code's entry if it is valid for this flow (then marked used), else None."""
    found = rt.store.find_by_key(LOOKUP_KIND, _digest(purpose, flow_id, value.strip()))
    entry = rt.store.get(KIND, found) if found else None
    if entry is None or entry["used"] or clock.parse(entry["expires_at"]) <= clock.now():
        return None
    entry["used"] = True
    rt.store.put(KIND, entry["id"], entry)
    return entry


def count_submission(flow: Doc) -> bool:
    """Count a code submission on the flow; False once Kratos would refuse (brute force)."""
    internal = flow["_internal"]
    internal["code_submissions"] = int(internal.get("code_submissions", 0)) + 1
    return bool(internal["code_submissions"] <= MAX_SUBMISSIONS)


TOO_OFTEN = "The request was submitted too often. Please request another code."


def invalidate_flow(rt: Runtime, purpose: str, flow_id: str) -> None:
    """Earlier codes of a flow stop working when a new one is sent (as in Kratos)."""
    for entry in rt.store.all(KIND):
        if entry["purpose"] == purpose and entry["flow_id"] == flow_id and not entry["used"]:
            entry["used"] = True
            rt.store.put(KIND, entry["id"], entry)
