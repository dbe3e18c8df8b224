"""The part of Go's text/template and html/template that courier templates use.

Kratos executes `email.<part>.gotmpl` after parsing every `email.<part>*` file of the folder into
one set (each file a template named by its file name), so a template can branch on its data and
call another file: `{{ if eq (index .TransientPayload "language") "nl" }}{{ template
"email.body.nl.gotmpl" . }}{{ else }}…{{ end }}`. Supported here: text, comments, `{{-`/`-}}`
trimming, `.Field.key` chains, string literals, parentheses, `if`/`else if`/`else`/`end`,
`template "name" pipeline`, and the functions `eq`, `ne`, `not`, `and`, `or`, `index`. Anything
else raises `TemplateError` (the caller then falls back, as with a template Kratos cannot run).
As in Go, the top-level data is a struct (an unknown field is an error) and nested objects are
maps (a missing key is "no value"); html mode escapes every value written (html/template's
text-context escaper).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

NO_VALUE = "<no value>"
_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.DOTALL)
_TOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "+": "&#43;"}


class TemplateError(ValueError):
    """The template uses something this subset does not run, or failed as Go's would."""


class _Missing:
    """Go's "no value": a missing map key."""


MISSING = _Missing()


@dataclass
class _If:
    branches: list[tuple[str, list[Any]]] = field(default_factory=list)
    otherwise: list[Any] = field(default_factory=list)


@dataclass
class _Call:
    name: str
    pipeline: str


@dataclass
class _Output:
    pipeline: str


def _lex(source: str) -> list[tuple[str, str]]:
    """("text", …) and ("action", …) pieces, with Go's trim markers applied."""
    pieces: list[tuple[str, str]] = []
    position = 0
    for match in _ACTION.finditer(source):
        text = source[position : match.start()]
        if match.group(1):
            text = text.rstrip()
        if text:
            pieces.append(("text", text))
        action = match.group(2).strip()
        if not action.startswith("/*"):
            pieces.append(("action", action))
        position = match.end()
        if match.group(3):
            rest = source[position:]
            position += len(rest) - len(rest.lstrip())
    if "{{" in source[position:]:
        raise TemplateError("unclosed action")
    if source[position:]:
        pieces.append(("text", source[position:]))
    return pieces


def _parse(pieces: list[tuple[str, str]]) -> list[Any]:
    nodes, rest = _parse_list(pieces, 0, top=True)
    if rest != len(pieces):
        raise TemplateError("unexpected {{ end }} or {{ else }}")
    return nodes


def _parse_list(pieces: list[tuple[str, str]], index: int, *, top: bool) -> tuple[list[Any], int]:
    nodes: list[Any] = []
    while index < len(pieces):
        kind, value = pieces[index]
        if kind == "text":
            nodes.append(value)
            index += 1
            continue
        word = value.split(None, 1)[0] if value else ""
        if word in ("end", "else"):
            if top:
                raise TemplateError(f"unexpected {{{{ {value} }}}}")
            return nodes, index
        if word == "if":
            node, index = _parse_if(pieces, index)
            nodes.append(node)
            continue
        if word == "template":
            match = re.fullmatch(r'template\s+"([^"]+)"\s*(.*)', value, re.DOTALL)
            if match is None:
                raise TemplateError(f"cannot run {{{{ {value} }}}}")
            nodes.append(_Call(match.group(1), match.group(2) or "."))
        elif word in ("define", "block", "range", "with", "break", "continue") or ":=" in value:
            raise TemplateError(f"{word} is not supported by the stand-in")
        else:
            nodes.append(_Output(value))
        index += 1
    if not top:
        raise TemplateError("missing {{ end }}")
    return nodes, index


def _parse_if(pieces: list[tuple[str, str]], index: int) -> tuple[_If, int]:
    node = _If()
    condition = pieces[index][1][2:].strip()
    index += 1
    while True:
        body, index = _parse_list(pieces, index, top=False)
        node.branches.append((condition, body))
        action = pieces[index][1]
        index += 1
        if action == "end":
            return node, index
        if action.startswith("else if "):
            condition = action[len("else if ") :].strip()
            continue
        if action == "else":
            node.otherwise, index = _parse_list(pieces, index, top=False)
            if pieces[index][1] != "end":
                raise TemplateError("{{ else }} must be followed by {{ end }}")
            return node, index + 1
        raise TemplateError(f"cannot run {{{{ {action} }}}}")


def _tokens(pipeline: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    pipeline = pipeline.strip()
    while position < len(pipeline):
        match = _TOKEN.match(pipeline, position)
        if match is None or match.end() == position:
            raise TemplateError(f"cannot read {pipeline!r}")
        tokens.append(match.group(match.lastgroup or "word"))
        position = match.end()
    if "|" in tokens:
        raise TemplateError("pipes are not supported by the stand-in")
    return tokens


def _truthy(value: Any) -> bool:
    return value is not MISSING and value is not None and bool(value)


def _comparable(value: Any) -> Any:
    if value is MISSING or value is None:
        return MISSING
    if isinstance(value, bool | int | float | str):
        return value
    raise TemplateError("incompatible types for comparison")


def _eq(first: Any, *others: Any) -> bool:
    left = _comparable(first)
    for other in others:
        right = _comparable(other)
        if left is MISSING or right is MISSING:
            if left is right:
                return True
            continue
        if isinstance(left, str) != isinstance(right, str):
            raise TemplateError("incompatible types for comparison")
        if left == right:
            return True
    return False


def _index(item: Any, *keys: Any) -> Any:
    for key in keys:
        if item is MISSING or item is None:
            return MISSING  # Go: index of a nil map is its zero value
        if isinstance(item, Mapping):
            item = item.get(key, MISSING)
        elif isinstance(item, list) and isinstance(key, int) and 0 <= key < len(item):
            item = item[key]
        else:
            raise TemplateError(f"cannot index {type(item).__name__} with {key!r}")
    return item


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "eq": _eq,
    "ne": lambda a, b: not _eq(a, b),
    "not": lambda a: not _truthy(a),
    "and": lambda *a: next((x for x in a if not _truthy(x)), a[-1]),
    "or": lambda *a: next((x for x in a if _truthy(x)), a[-1]),
    "index": _index,
}


class TemplateSet:
    """Go templates by name (one per file), executed like Kratos's courier does."""

    def __init__(self, sources: Mapping[str, str], *, html: bool) -> None:
        self._trees = {name: _parse(_lex(source)) for name, source in sources.items()}
        self._html = html

    def execute(self, name: str, data: Mapping[str, Any]) -> str:
        out: list[str] = []
        self._run(name, data, data, out, depth=0)
        return "".join(out)

    def _run(
        self, name: str, dot: Any, root: Mapping[str, Any], out: list[str], *, depth: int
    ) -> None:
        if name not in self._trees:
            raise TemplateError(f'no such template "{name}"')
        if depth > 20:
            raise TemplateError("templates call each other too deeply")
        self._nodes(self._trees[name], dot, root, out, depth)

    def _nodes(
        self, nodes: list[Any], dot: Any, root: Mapping[str, Any], out: list[str], depth: int
    ) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, _Output):
                out.append(self._written(self._pipeline(node.pipeline, dot, root)))
            elif isinstance(node, _Call):
                self._run(
                    node.name, self._pipeline(node.pipeline, dot, root), root, out, depth=depth + 1
                )
            else:
                for condition, body in node.branches:
                    if _truthy(self._pipeline(condition, dot, root)):
                        self._nodes(body, dot, root, out, depth)
                        break
                else:
                    self._nodes(node.otherwise, dot, root, out, depth)

    def _written(self, value: Any) -> str:
        if value is MISSING:
            return "" if self._html else NO_VALUE
        text = "<nil>" if value is None else str(value)
        if isinstance(value, bool):
            text = "true" if value else "false"
        if not self._html:
            return text
        return "".join(_HTML_ESCAPES.get(char, char) for char in text)

    def _pipeline(self, pipeline: str, dot: Any, root: Mapping[str, Any]) -> Any:
        tokens = _tokens(pipeline)
        value, used = self._command(tokens, 0, dot, root)
        if used != len(tokens):
            raise TemplateError(f"cannot read {pipeline!r}")
        return value

    def _command(
        self, tokens: list[str], start: int, dot: Any, root: Mapping[str, Any]
    ) -> tuple[Any, int]:
        """A function call with its arguments, or one operand; ends at ")" or the end."""
        if start < len(tokens) and tokens[start] in FUNCTIONS:
            args: list[Any] = []
            index = start + 1
            while index < len(tokens) and tokens[index] != ")":
                value, index = self._operand(tokens, index, dot, root)
                args.append(value)
            try:
                return FUNCTIONS[tokens[start]](*args), index
            except TypeError as exc:
                raise TemplateError(f"wrong arguments to {tokens[start]}") from exc
        return self._operand(tokens, start, dot, root)

    def _operand(
        self, tokens: list[str], index: int, dot: Any, root: Mapping[str, Any]
    ) -> tuple[Any, int]:
        if index >= len(tokens):
            raise TemplateError("missing value")
        item = tokens[index]
        if item == "(":
            value, index = self._command(tokens, index + 1, dot, root)
            if index >= len(tokens) or tokens[index] != ")":
                raise TemplateError("unclosed (")
            return value, index + 1
        if item.startswith('"'):
            return _unquote(item), index + 1
        if re.fullmatch(r"-?\d+", item):
            return int(item), index + 1
        if item in ("true", "false"):
            return item == "true", index + 1
        if item == "nil":
            raise TemplateError("nil is not a command")
        if item.startswith("$"):
            raise TemplateError("variables are not supported by the stand-in")
        if item == ".":
            return dot, index + 1
        if item.startswith("."):
            return self._field(dot, item[1:].split("."), top=dot is root), index + 1
        raise TemplateError(f'function "{item}" not defined')

    @staticmethod
    def _field(value: Any, names: list[str], *, top: bool) -> Any:
        for position, name in enumerate(names):
            if value is None:
                return MISSING  # a nil map: every key is missing
            if value is MISSING:
                raise TemplateError(f"nil pointer evaluating .{name}")
            if not isinstance(value, Mapping):
                raise TemplateError(f"can't evaluate field {name}")
            if name not in value:
                if top and position == 0:
                    raise TemplateError(f"can't evaluate field {name}")  # a struct field
                return MISSING
            value = value[name]
        return value


def _unquote(item: str) -> str:
    try:
        value = json.loads(item)  # Go's interpreted string literals, close enough
    except ValueError as exc:
        raise TemplateError(f"bad string {item}") from exc
    return str(value)
