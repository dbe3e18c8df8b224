"""Kratos's two ways of paging a list (ory/x): keyset tokens (identities, sessions, messages)
and the older page/per_page offsets that still page an identity's sessions and /sessions."""

from __future__ import annotations

import base64
import binascii
import json
from urllib.parse import urlencode

from starlette.requests import Request

from devstack.kratos import errors
from devstack.kratos.store import Doc

MAX_PAGE_SIZE = 1000


def page_params(request: Request, default: int = 250) -> tuple[int, str]:
    raw_size = request.query_params.get("page_size") or str(default)
    try:
        size = int(raw_size)
    except ValueError as exc:
        raise errors.bad_request(f"The page_size parameter must be an integer: {raw_size}") from exc
    if size < 1 or size > MAX_PAGE_SIZE:
        raise errors.bad_request(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
    token = request.query_params.get("page_token") or ""
    after = ""
    if token:
        try:
            after = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["k"]
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise errors.bad_request("The page_token is invalid.") from exc
    return size, str(after)


def keyset_token(key: str) -> str:
    """The page_token that lists what comes after `key`."""
    return base64.urlsafe_b64encode(json.dumps({"k": key}).encode()).decode().rstrip("=")


def link_header(request: Request, size: int, next_key: str | None) -> str:
    """ory/x keysetpagination: rel="first" always, rel="next" unless this is the last page."""

    def link(token: str | None) -> str:
        params = [
            (k, v)
            for k, v in request.query_params.multi_items()
            if k not in ("page_token", "page_size")
        ]
        params.append(("page_size", str(size)))
        if token:
            params.append(("page_token", token))
        query = "&".join(f"{k}={v}" for k, v in params)
        return f"<{request.url.path}?{query}>"

    parts = [f'{link(None)}; rel="first"']
    if next_key is not None:
        parts.append(f'{link(keyset_token(next_key))}; rel="next"')
    return ",".join(parts)


def by_key(request: Request, items: list[Doc], key: str = "id") -> tuple[list[Doc], dict[str, str]]:
    size, after = page_params(request)
    remaining = [i for i in items if str(i[key]) > after]
    page = remaining[:size]
    next_key = str(page[-1][key]) if len(remaining) > size else None
    return page, {"Link": link_header(request, size, next_key)}


def _int_or(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _offset_token(offset: int) -> str:
    raw = json.dumps({"offset": str(offset), "v": 2}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _token_offset(token: str) -> int:
    try:
        found = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["offset"]
        return int(found)
    except (ValueError, KeyError, TypeError, binascii.Error):
        return 0  # tokenpagination ignores a token it cannot read


def by_offset(request: Request, items: list[Doc]) -> tuple[list[Doc], dict[str, str]]:
    """ory/x migrationpagination, as Kratos pages an identity's sessions (v1.3.1 and v25.4.0).

    page_size/page_token (offset token) or page/per_page pick page = offset // size; pop's
    Paginate treats pages 0 and 1 alike, so the page a "next" link names from the first
    page is the first page again. The Link header has rel="next" even on an empty list, with
    a token that grows every call; X-Total-Count counts every match.
    """
    query = request.query_params
    if "page_token" in query or "page_size" in query:
        size = min(max(_int_or(query.get("page_size"), 250), 1), MAX_PAGE_SIZE)
        offset = _token_offset(query.get("page_token") or "")
        page = max(offset // size, 0) if offset > 0 else 0
    else:
        size = min(max(_int_or(query.get("per_page"), 250), 1), MAX_PAGE_SIZE)
        page = max(_int_or(query.get("page"), 0), 0)
    start = (max(page, 1) - 1) * size
    shown = items[start : start + size]

    total = len(items)
    others = [
        (k, v)
        for k, v in query.multi_items()
        if k not in ("page_size", "page_token", "per_page", "page")
    ]

    def link(rel: str, per: int, at: int) -> str:
        pairs = [
            *others,
            ("page_size", str(per)),
            ("page_token", _offset_token(at)),
            ("per_page", str(per)),
            ("page", str(int(at / per))),  # Go's integer division truncates toward zero
        ]
        # Go's url.Values.Encode sorts by key.
        encoded = urlencode(sorted(pairs, key=lambda pair: pair[0]))
        return f'<{request.url.path}?{encoded}>; rel="{rel}"'

    here = page * size
    last = total - size if total % size == 0 else (total // size) * size
    if here >= last:
        if total == 0:
            links = [
                link("first", size, 0),
                link("next", size, (here // size + 1) * size),
                link("prev", size, (here // size - 1) * size),
            ]
        elif total <= size:
            links = [link("first", total, 0)]
        else:
            links = [link("first", size, 0), link("prev", size, last - size)]
    elif here < size:
        links = [link("next", size, size), link("last", size, last)]
    else:
        links = [
            link("first", size, 0),
            link("next", size, (here // size + 1) * size),
            link("prev", size, (here // size - 1) * size),
            link("last", size, last),
        ]
    return shown, {"Link": ",".join(links), "X-Total-Count": str(total)}
