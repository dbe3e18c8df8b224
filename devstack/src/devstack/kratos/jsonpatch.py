"""RFC 6902 JSON Patch (add, remove, replace, move, copy, test) for PATCH /admin/identities/{id}."""

from __future__ import annotations

import copy
from typing import Any


class PatchError(Exception):
    pass


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"invalid JSON pointer {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    tokens = _tokens(pointer)
    if not tokens:
        raise PatchError("cannot operate on the document root")
    node = doc
    for t in tokens[:-1]:
        node = _child(node, t)
    return node, tokens[-1]


def _child(node: Any, token: str) -> Any:
    if isinstance(node, dict):
        if token not in node:
            raise PatchError(f"path element {token!r} not found")
        return node[token]
    if isinstance(node, list):
        try:
            return node[int(token)]
        except (ValueError, IndexError) as exc:
            raise PatchError(f"bad array index {token!r}") from exc
    raise PatchError(f"cannot descend into {type(node).__name__}")


def get(doc: Any, pointer: str) -> Any:
    node = doc
    for t in _tokens(pointer):
        node = _child(node, t)
    return node


def _add(doc: Any, pointer: str, value: Any) -> None:
    parent, key = _parent(doc, pointer)
    if isinstance(parent, dict):
        parent[key] = value
    elif isinstance(parent, list):
        if key == "-":
            parent.append(value)
        else:
            try:
                index = int(key)
            except ValueError as exc:
                raise PatchError(f"bad array index {key!r}") from exc
            if index > len(parent):
                raise PatchError(f"array index {index} out of range")
            parent.insert(index, value)
    else:
        raise PatchError("cannot add to a scalar")


def _remove(doc: Any, pointer: str) -> Any:
    parent, key = _parent(doc, pointer)
    if isinstance(parent, dict):
        if key not in parent:
            raise PatchError(f"path {pointer!r} not found")
        return parent.pop(key)
    if isinstance(parent, list):
        try:
            return parent.pop(int(key))
        except (ValueError, IndexError) as exc:
            raise PatchError(f"bad array index {key!r}") from exc
    raise PatchError("cannot remove from a scalar")


def apply(doc: Any, ops: Any) -> Any:
    if not isinstance(ops, list):
        raise PatchError("a JSON patch must be an array of operations")
    out = copy.deepcopy(doc)
    for op in ops:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise PatchError("each operation needs op and path")
        kind, path = op["op"], str(op["path"])
        if kind == "add":
            _add(out, path, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            _remove(out, path)
        elif kind == "replace":
            _remove(out, path)
            _add(out, path, copy.deepcopy(op.get("value")))
        elif kind == "move":
            _add(out, path, _remove(out, str(op.get("from", ""))))
        elif kind == "copy":
            _add(out, path, copy.deepcopy(get(out, str(op.get("from", "")))))
        elif kind == "test":
            if get(out, path) != op.get("value"):
                raise PatchError(f"test operation on {path!r} failed")
        else:
            raise PatchError(f"unknown operation {kind!r}")
    return out
