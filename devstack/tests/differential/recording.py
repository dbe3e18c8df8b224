"""Recording answers of one backend and comparing two recordings.

A scenario drives Hydra and Kratos through the `Run`'s httpx clients; every answer is kept as a
`Recorded`: status, content type, `Location` (ports, ids and tokens normalised away),
`Set-Cookie` names and flags, `Link` rel values and the JSON shape (keys and value types,
recursively; booleans and a few enum-like values compared as values, never ids, times or
tokens). `compare` lists every field where the two recordings differ.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

UI = "http://127.0.0.1:5999"
CALLBACK = "http://127.0.0.1:5998/callback"

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Kratos's csrf_token_<hash of the base URL>; Hydra's ory_hydra_<kind>_csrf[_dev]_<murmur of id>
_COOKIE_SUFFIXES = (
    (re.compile(r"^csrf_token_[0-9a-f]+$"), "csrf_token_*"),
    (re.compile(r"^(ory_hydra_\w+?_csrf(?:_dev)?)_\d+$"), r"\1_*"),
)
# string values that are enum-like (compared as values); everything else only by type
VALUE_KEYS = frozenset(
    {
        "error",
        "state",
        "aal",
        "authenticator_assurance_level",
        "token_type",
        "method",
        "group",
        "type",
        "node_type",
        "token_endpoint_auth_method",
        "subject_type",
        "schema_id",
        "status",
        "template_type",
        "name",
    }
)
# integers that are codes (message ids, HTTP codes), not counts or times
INT_VALUE_KEYS = frozenset({"id", "code"})
# query parameters whose value is compared (the rest are ids, tokens, challenges)
QUERY_VALUE_KEYS = frozenset({"error", "prompt", "refresh", "aal"})


@dataclass
class Recorded:
    step: str
    status: int
    content_type: str
    location: str | None
    cookies: list[str]
    links: list[str]
    body: Any

    def fields(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "content_type": self.content_type,
            "location": self.location,
            "cookies": self.cookies,
            "links": self.links,
        }


@dataclass
class Difference:
    scenario: str
    step: str
    where: str  # "status", "location", "cookies", "links", "content_type", "body.a.b[0]", "steps"
    standin: Any
    real: Any

    @property
    def key(self) -> str:
        return f"{self.scenario} | {self.step} | {self.where}"

    def __str__(self) -> str:
        return f"{self.key}: standin={self.standin!r} real={self.real!r}"


class Normaliser:
    """Turns one backend's URLs, ids and tokens into placeholders."""

    def __init__(self, stack: Any) -> None:
        self.bases = [
            (stack.hydra_public_url, "{hydra_public}"),
            (stack.hydra_admin_url, "{hydra_admin}"),
            (stack.kratos_public_url, "{kratos_public}"),
            (stack.kratos_admin_url, "{kratos_admin}"),
            (UI, "{ui}"),
            (CALLBACK.rsplit("/", 1)[0], "{rp}"),
        ]

    def url(self, url: str) -> str:
        for base, name in self.bases:
            if url.startswith(base):
                url = name + url[len(base) :]
                break
        parts = urlsplit(url)
        path = _UUID.sub("{id}", parts.path)
        prefix = f"{parts.scheme}://{parts.netloc}" if parts.scheme else ""
        query = []
        for name, value in sorted(parse_qsl(parts.query, keep_blank_values=True)):
            if value.startswith("http"):
                query.append(f"{name}={self.url(value)}")
            elif name in QUERY_VALUE_KEYS:
                query.append(f"{name}={value}")
            else:
                query.append(f"{name}=…")
        fragment = "#…" if parts.fragment else ""
        return prefix + path + ("?" + "&".join(query) if query else "") + fragment

    def path(self, url: httpx.URL) -> str:
        return _UUID.sub("{id}", url.path)


def cookie_shape(header: str) -> str:
    """`name; flags…` of one Set-Cookie header: HttpOnly, Secure, SameSite, Path, lifetime."""
    first, *attributes = [part.strip() for part in header.split(";")]
    name, _, value = first.partition("=")
    for pattern, replacement in _COOKIE_SUFFIXES:
        name = pattern.sub(replacement, name)
    flags: list[str] = []
    lifetime = "session"
    for attribute in attributes:
        key, _, val = attribute.partition("=")
        lower = key.strip().lower()
        if lower in ("httponly", "secure"):
            flags.append(key.strip().capitalize() if lower == "secure" else "HttpOnly")
        elif lower == "samesite":
            flags.append(f"SameSite={val.strip().capitalize()}")
        elif lower == "path":
            flags.append(f"Path={val.strip()}")
        elif lower == "domain":
            flags.append("Domain")
        elif lower == "max-age":
            lifetime = "delete" if int(val) <= 0 else "persistent"
        elif lower == "expires" and lifetime == "session":
            try:
                expires = time.mktime(time.strptime(val.strip(), "%a, %d %b %Y %H:%M:%S GMT"))
            except ValueError:
                expires = time.time() + 1
            lifetime = "delete" if expires < time.time() - 86400 else "persistent"
    if not value and lifetime != "persistent":
        lifetime = "delete"
    return "; ".join([name, *sorted(flags), lifetime])


def link_rels(header: str | None) -> list[str]:
    if not header:
        return []
    return sorted(re.findall(r'rel="?([^";,]+)"?', header))


def shape(value: Any, key: str = "") -> Any:
    """The JSON shape: dict keys kept, leaves replaced by their type (or kept, see VALUE_KEYS)."""
    if isinstance(value, dict):
        return {k: shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v, key) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value if key in INT_VALUE_KEYS and isinstance(value, int) else "<number>"
    if isinstance(value, str):
        return value if key in VALUE_KEYS else "<string>"
    return f"<{type(value).__name__}>"


def record(step: str, response: httpx.Response, normaliser: Normaliser) -> Recorded:
    location = response.headers.get("location")
    content_type = response.headers.get("content-type", "").split(";")[0].strip()
    body: Any = None
    if 300 <= response.status_code < 400 or response.status_code == 204:
        content_type = ""  # a redirect's little HTML page, or a 204's header: never shown
    elif content_type.endswith("json") and response.content:
        try:
            body = shape(response.json())
        except ValueError:
            body = "<invalid json>"
    elif response.content:
        body = f"<{content_type or 'bytes'}>"
    return Recorded(
        step=step,
        status=response.status_code,
        content_type=content_type,
        location=normaliser.url(location) if location else None,
        cookies=sorted(cookie_shape(h) for h in response.headers.get_list("set-cookie")),
        links=link_rels(response.headers.get("link")),
        body=body,
    )


def _element_key(element: Any, index: int) -> str:
    """How list elements are matched: UI nodes by group and name, messages by id, else index."""
    if isinstance(element, dict):
        attributes = element.get("attributes")
        if isinstance(attributes, dict):
            name = attributes.get("name") or attributes.get("id")
            if isinstance(name, str) and name not in ("<string>",):
                return f"{element.get('group')}:{name}"
        if isinstance(element.get("id"), int):
            return f"id={element['id']}"
    return str(index)


def diff_body(a: Any, b: Any, where: str = "body") -> Iterator[tuple[str, Any, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                yield f"{where}.{k}", "<absent>", _summary(b[k])
            elif k not in b:
                yield f"{where}.{k}", _summary(a[k]), "<absent>"
            else:
                yield from diff_body(a[k], b[k], f"{where}.{k}")
        return
    if isinstance(a, list) and isinstance(b, list):
        if not a or not b:
            if bool(a) != bool(b):
                yield f"{where}[]", f"{len(a)} items", f"{len(b)} items"
            return
        keyed_a = {_element_key(e, i): e for i, e in enumerate(a)}
        keyed_b = {_element_key(e, i): e for i, e in enumerate(b)}
        if len(keyed_a) != len(keyed_b) and all(k.isdigit() for k in [*keyed_a, *keyed_b]):
            yield f"{where}[]", f"{len(a)} items", f"{len(b)} items"
        for k in [*keyed_a, *(k for k in keyed_b if k not in keyed_a)]:
            if k not in keyed_b:
                yield f"{where}[{k}]", _summary(keyed_a[k]), "<absent>"
            elif k not in keyed_a:
                yield f"{where}[{k}]", "<absent>", _summary(keyed_b[k])
            else:
                yield from diff_body(keyed_a[k], keyed_b[k], f"{where}[{k}]")
        return
    if a != b:
        yield where, _summary(a), _summary(b)


def _summary(value: Any) -> Any:
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(value)) + "}"
    if isinstance(value, list):
        return f"[{len(value)} items]"
    return value


def compare(scenario: str, standin: list[Recorded], real: list[Recorded]) -> list[Difference]:
    found: list[Difference] = []
    if [r.step for r in standin] != [r.step for r in real]:
        found.append(
            Difference(scenario, "*", "steps", [r.step for r in standin], [r.step for r in real])
        )
    for a, b in zip(standin, real, strict=False):
        if a.step != b.step:
            break
        for name, value in a.fields().items():
            other = b.fields()[name]
            if value != other:
                found.append(Difference(scenario, a.step, name, value, other))
        for where, x, y in diff_body(a.body, b.body):
            found.append(Difference(scenario, a.step, where, x, y))
    return found


@dataclass
class Run:
    """What a scenario drives: the stack's four APIs (httpx, every answer recorded) and browsers."""

    stack: Any
    recorded: list[Recorded] = field(default_factory=list)
    _clients: list[httpx.Client] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.normaliser = Normaliser(self.stack)
        self.hydra_admin = self.client(self.stack.hydra_admin_url)
        self.hydra_public = self.client(self.stack.hydra_public_url)
        self.kratos_admin = self.client(self.stack.kratos_admin_url)
        self.kratos_public = self.client(self.stack.kratos_public_url)

    @property
    def backend(self) -> str:
        return str(self.stack.backend)

    def client(self, base_url: str = "", **kwargs: Any) -> httpx.Client:
        """A client that records every answer (a cookie jar of its own: one browser)."""

        def hook(response: httpx.Response) -> None:
            response.read()
            step = f"{len(self.recorded) + 1:02d} {response.request.method} "
            step += self.normaliser.path(response.request.url)
            self.recorded.append(record(step, response, self.normaliser))

        client = httpx.Client(
            base_url=base_url, timeout=15, event_hooks={"response": [hook]}, **kwargs
        )
        self._clients.append(client)
        return client

    def browser(self) -> httpx.Client:
        return self.client()

    @contextmanager
    def unrecorded(self) -> Iterator[None]:
        """Calls whose answers are not compared (polling, waiting)."""
        mark = len(self.recorded)
        try:
            yield
        finally:
            del self.recorded[mark:]

    def close(self) -> None:
        for client in self._clients:
            client.close()


Scenario = Callable[[Run], None]


def wait_for(probe: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll `probe` until it returns something truthy (real Kratos sends mail asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)
