"""Operations of the Ory Kratos admin API (``/admin/...``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter

from stackspin_clients.models.kratos import (
    BatchIdentityResult,
    CreateIdentity,
    Identity,
    IdentitySummary,
    JsonPatch,
    RecoveryCodeResult,
    RecoveryLinkResult,
    Session,
    UpdateIdentity,
)
from stackspin_clients.operation import (
    Operation,
    Page,
    next_page_token,
    parse_model,
    parse_nothing,
    parse_page,
)


def _identity_path(identity_id: str, *rest: str) -> str:
    return "/".join(["/admin/identities", quote(identity_id, safe=""), *rest])


def list_identities(
    page_size: int = 250,
    page_token: str | None = None,
    credentials_identifier: str | None = None,
    ids: Sequence[str] | None = None,
) -> Operation[Page[Identity]]:
    """``GET /admin/identities`` (one page; the Link header names the next)."""
    return Operation(
        "GET",
        "/admin/identities",
        parse_page(Identity),
        {
            "page_size": page_size,
            "page_token": page_token,
            "credentials_identifier": credentials_identifier,
            "ids": list(ids) if ids is not None else None,
        },
    )


def list_identity_summaries(
    page_size: int = 250, page_token: str | None = None, ids: Sequence[str] | None = None
) -> Operation[Page[IdentitySummary]]:
    """``GET /admin/identities`` (one page) read as summaries: the same request as
    :func:`list_identities`, only the fields a list of people shows validated."""
    return Operation(
        "GET",
        "/admin/identities",
        parse_page(IdentitySummary),
        {
            "page_size": page_size,
            "page_token": page_token,
            "ids": list(ids) if ids is not None else None,
        },
    )


def get_identity(
    identity_id: str, include_credential: Sequence[str] | None = None
) -> Operation[Identity]:
    """``GET /admin/identities/{id}``; ``include_credential`` e.g. ``["totp"]``."""
    return Operation(
        "GET",
        _identity_path(identity_id),
        parse_model(Identity),
        {"include_credential": list(include_credential) if include_credential else None},
    )


def create_identity(body: CreateIdentity) -> Operation[Identity]:
    """``POST /admin/identities`` (answers 201; 409 when the identifier exists)."""
    return Operation("POST", "/admin/identities", parse_model(Identity), json=body.to_wire())


def update_identity(identity_id: str, body: UpdateIdentity) -> Operation[Identity]:
    """``PUT /admin/identities/{id}``: replace traits, state and metadata."""
    return Operation("PUT", _identity_path(identity_id), parse_model(Identity), json=body.to_wire())


def patch_identity(identity_id: str, patch: Sequence[JsonPatch]) -> Operation[Identity]:
    """``PATCH /admin/identities/{id}`` with an RFC 6902 JSON patch."""
    return Operation(
        "PATCH",
        _identity_path(identity_id),
        parse_model(Identity),
        json=[p.to_wire() for p in patch],
    )


def delete_identity(identity_id: str) -> Operation[None]:
    """``DELETE /admin/identities/{id}`` (answers 204)."""
    return Operation("DELETE", _identity_path(identity_id), parse_nothing)


_batch_results = TypeAdapter(list[BatchIdentityResult])


def _parse_batch(response: httpx.Response) -> list[BatchIdentityResult]:
    body = response.json()
    return _batch_results.validate_python(body.get("identities") or [])


def batch_create_identities(
    identities: Sequence[CreateIdentity],
) -> Operation[list[BatchIdentityResult]]:
    """``PATCH /admin/identities`` with one ``create`` per identity (results in order)."""
    patches = [{"create": body.to_wire(), "patch_id": str(uuid.uuid4())} for body in identities]
    return Operation("PATCH", "/admin/identities", _parse_batch, json={"identities": patches})


def delete_identity_credentials(identity_id: str, credential_type: str) -> Operation[None]:
    """``DELETE /admin/identities/{id}/credentials/{type}`` (e.g. totp, lookup_secret)."""
    return Operation(
        "DELETE",
        _identity_path(identity_id, "credentials", quote(credential_type, safe="")),
        parse_nothing,
    )


def list_identity_sessions(
    identity_id: str, page_token: str | None = None, page_size: int = 1000
) -> Operation[Page[Session]]:
    """``GET /admin/identities/{id}/sessions`` (one page; ``page_token`` is a page number).

    Kratos pages these by offset, and the ``next`` link of its first page names the first
    page again (pop counts pages from 1, the offset token from 0), so following it loses the
    last page. Plain ``page``/``per_page`` counted from 1 reach every page; a short page is
    the last.
    """
    number = int(page_token) if page_token and page_token.isdigit() else 1

    def parse(response: httpx.Response) -> Page[Session]:
        items = _sessions.validate_python(response.json())
        return Page(items, str(number + 1) if len(items) >= page_size else None)

    return Operation(
        "GET",
        _identity_path(identity_id, "sessions"),
        parse,
        {"page": number, "per_page": page_size},
    )


_sessions = TypeAdapter(list[Session])


def unique_sessions(found: Iterable[Session]) -> list[Session]:
    """Sessions in the order listed, each id once."""
    seen: set[str] = set()
    unique: list[Session] = []
    for session in found:
        if session.id not in seen:
            seen.add(session.id)
            unique.append(session)
    return unique


def delete_identity_sessions(identity_id: str) -> Operation[None]:
    """``DELETE /admin/identities/{id}/sessions``: log the person out everywhere."""
    return Operation("DELETE", _identity_path(identity_id, "sessions"), parse_nothing)


def disable_session(session_id: str) -> Operation[None]:
    """``DELETE /admin/sessions/{id}``."""
    return Operation("DELETE", f"/admin/sessions/{quote(session_id, safe='')}", parse_nothing)


def create_recovery_link(
    identity_id: str, expires_in: str | None = None
) -> Operation[RecoveryLinkResult]:
    """``POST /admin/recovery/link``; ``expires_in`` is a duration like ``"1h"``."""
    body: dict[str, Any] = {"identity_id": identity_id}
    if expires_in is not None:
        body["expires_in"] = expires_in
    return Operation("POST", "/admin/recovery/link", parse_model(RecoveryLinkResult), json=body)


def create_recovery_code(
    identity_id: str, expires_in: str | None = None
) -> Operation[RecoveryCodeResult]:
    """``POST /admin/recovery/code`` (answers 201); ``expires_in`` like ``"1h"``."""
    body: dict[str, Any] = {"identity_id": identity_id}
    if expires_in is not None:
        body["expires_in"] = expires_in
    return Operation("POST", "/admin/recovery/code", parse_model(RecoveryCodeResult), json=body)


_messages = TypeAdapter(list[dict[str, Any]])


def _parse_messages(response: httpx.Response) -> Page[dict[str, Any]]:
    return Page(_messages.validate_python(response.json()), next_page_token(response))


def list_courier_messages(
    recipient: str | None = None, page_token: str | None = None, page_size: int = 250
) -> Operation[Page[dict[str, Any]]]:
    """``GET /admin/courier/messages`` (one page), optionally for one recipient."""
    return Operation(
        "GET",
        "/admin/courier/messages",
        _parse_messages,
        {"recipient": recipient, "page_size": page_size, "page_token": page_token},
    )
