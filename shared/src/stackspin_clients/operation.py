"""Sans-IO operations: one description of a call (request + how to read the answer).

Every client method builds an :class:`Operation`; the sync and async transports only send
it. So request building, error mapping and response parsing exist exactly once.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import parse_qs, urlsplit

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from stackspin_clients.errors import error_from_response, error_from_unparsable

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
#: Methods whose repetition cannot do harm, so a failed attempt may be retried.
IDEMPOTENT_METHODS: frozenset[str] = frozenset({"GET", "PUT", "DELETE"})

QueryValue = str | int | bool | Sequence[str] | None


@dataclass(frozen=True)
class RequestBase:
    """What every request of one pooled client shares, read from it once: the base URL (ending
    in "/"), the default headers and the default timeout."""

    url: str
    headers: httpx.Headers
    timeout: Mapping[str, float | None]

    @classmethod
    def of(cls, client: httpx.Client | httpx.AsyncClient) -> RequestBase:
        """The base of ``client``'s requests (its cookie jar is not read: ours stores nothing)."""
        return cls(str(client.base_url), httpx.Headers(client.headers), client.timeout.as_dict())


@dataclass(frozen=True)
class Operation(Generic[T]):
    """One HTTP call: method, path, query, body, headers, and the parser of a 2xx answer."""

    method: Method
    path: str
    parse: Callable[[httpx.Response], T]
    query: Mapping[str, QueryValue] = field(default_factory=dict)
    json: Any = None
    form: Mapping[str, str] | None = None
    headers: Mapping[str, str | None] = field(default_factory=dict)

    @property
    def idempotent(self) -> bool:
        """Whether a failed attempt may be repeated (GET/PUT/DELETE)."""
        return self.method in IDEMPOTENT_METHODS

    def build_request(self, base: RequestBase, extra_headers: Mapping[str, str]) -> httpx.Request:
        """The httpx request for this call, relative to the client's base URL.

        The same request as ``client.build_request`` of the client ``base`` was taken from,
        with the URL parsed once instead of three times (base merge, query merge).
        """
        url = base.url + self.path.lstrip("/")
        params = _query_params(self.query)
        if params:
            url += "?" + str(params)
        headers = httpx.Headers(base.headers)
        merged = {k: v for k, v in self.headers.items() if v is not None}
        merged.update(extra_headers)
        headers.update(merged)
        return httpx.Request(
            self.method,
            url,
            json=self.json,
            data=dict(self.form) if self.form is not None else None,
            headers=headers,
            extensions={"timeout": base.timeout},
        )

    def handle(self, response: httpx.Response) -> T:
        """Parse a 2xx answer, or raise the typed error for anything else."""
        if not response.is_success:
            raise error_from_response(response)
        try:
            return self.parse(response)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise error_from_unparsable(response, "not JSON") from exc
        except ValidationError as exc:
            if any(error["type"] == "json_invalid" for error in exc.errors()):
                raise error_from_unparsable(response, "not JSON") from exc
            raise error_from_unparsable(response, _summary(exc)) from exc


def _summary(exc: ValidationError) -> str:
    """Where the body differs from the model, without echoing values (they may be secrets)."""
    problems = [
        f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
        for error in exc.errors()[:5]
    ]
    return "; ".join(problems)


def _query_params(query: Mapping[str, QueryValue]) -> httpx.QueryParams:
    """Query items without Nones; booleans as true/false, sequences as repeated keys."""
    items: list[tuple[str, str | int | float | bool | None]] = []
    for key, value in query.items():
        if value is None:
            continue
        if isinstance(value, bool):
            items.append((key, "true" if value else "false"))
        elif isinstance(value, str | int):
            items.append((key, str(value)))
        else:
            items.extend((key, str(v)) for v in value)
    return httpx.QueryParams(items)


def parse_model(model: type[M]) -> Callable[[httpx.Response], M]:
    """A parser reading the JSON body as ``model``, from the bytes (no json.loads copy)."""

    def parse(response: httpx.Response) -> M:
        return model.model_validate_json(response.content)

    return parse


@functools.cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    """One validator per model for the life of the process (building one costs more than a page)."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def parse_list(model: type[M]) -> Callable[[httpx.Response], list[M]]:
    """A parser reading a JSON array of ``model``.

    The validator is cached per model and reads the body bytes directly (no json.loads copy).
    """
    adapter = _list_adapter(model)

    def parse(response: httpx.Response) -> list[M]:
        result: list[M] = adapter.validate_json(response.content)
        return result

    return parse


def parse_nothing(response: httpx.Response) -> None:
    """A parser for answers without a body we need (204)."""


def next_page_token(response: httpx.Response) -> str | None:
    """The ``page_token`` of the Link header's ``rel="next"`` URL (keyset pagination).

    Hydra and Kratos omit ``rel="next"`` on the last page.
    """
    link = response.links.get("next")
    if not link or not link.get("url"):
        return None
    tokens = parse_qs(urlsplit(link["url"]).query).get("page_token")
    return tokens[0] if tokens else None


@dataclass(frozen=True)
class Page(Generic[T]):
    """Items of one page and the token of the next (None on the last page)."""

    items: list[T]
    next_page_token: str | None


def parse_page(model: type[M]) -> Callable[[httpx.Response], Page[M]]:
    """A parser reading a JSON array of ``model`` plus the Link header's next token."""
    parse_items = parse_list(model)

    def parse(response: httpx.Response) -> Page[M]:
        return Page(parse_items(response), next_page_token(response))

    return parse
