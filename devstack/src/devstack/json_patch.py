"""RFC 6902 JSON Patch (add, remove, replace, move, copy, test).

Shared by Hydra's PATCH /admin/clients/{id} and Kratos's PATCH /admin/identities/{id}.
"""

from __future__ import annotations

import copy
from typing import Any


class PatchError(ValueError):
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
        raise PatchError("the document root cannot be patched")
    target = doc
    for token in tokens[:-1]:
        target = _child(target, token)
    return target, tokens[-1]


def _child(target: Any, token: str) -> Any:
    if isinstance(target, dict):
        if token not in target:
            raise PatchError(f"path member {token!r} does not exist")
        return target[token]
    if isinstance(target, list):
        index = _index(target, token, allow_end=False)
        return target[index]
    raise PatchError(f"cannot descend into {token!r}")


def _index(target: list[Any], token: str, *, allow_end: bool) -> int:
    if token == "-" and allow_end:  # noqa: S105
        return len(target)
    if not token.isdigit():
        raise PatchError(f"invalid array index {token!r}")
    index = int(token)
    if index > len(target) or (index == len(target) and not allow_end):
        raise PatchError(f"array index {index} out of range")
    return index


def _get(doc: Any, pointer: str) -> Any:
    target = doc
    for token in _tokens(pointer):
        target = _child(target, token)
    return target


def _add(doc: Any, pointer: str, value: Any) -> None:
    parent, token = _parent(doc, pointer)
    if isinstance(parent, dict):
        parent[token] = value
    elif isinstance(parent, list):
        parent.insert(_index(parent, token, allow_end=True), value)
    else:
        raise PatchError(f"cannot add at {pointer!r}")


def _remove(doc: Any, pointer: str) -> Any:
    parent, token = _parent(doc, pointer)
    if isinstance(parent, dict):
        if token not in parent:
            raise PatchError(f"path {pointer!r} does not exist")
        return parent.pop(token)
    if isinstance(parent, list):
        return parent.pop(_index(parent, token, allow_end=False))
    raise PatchError(f"cannot remove {pointer!r}")


def apply_patch(document: dict[str, Any], operations: Any) -> dict[str, Any]:
    """A patched deep copy of `document`; PatchError on a malformed or failing operation."""
    if not isinstance(operations, list):
        raise PatchError("a JSON patch is a list of operations")
    doc = copy.deepcopy(document)
    for op in operations:
        if not isinstance(op, dict) or not isinstance(op.get("path"), str):
            raise PatchError("each operation needs 'op' and 'path'")
        kind, path = op.get("op"), op["path"]
        if kind == "add":
            _add(doc, path, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            _remove(doc, path)
        elif kind == "replace":
            _remove(doc, path)
            _add(doc, path, copy.deepcopy(op.get("value")))
        elif kind == "move":
            _add(doc, path, _remove(doc, str(op.get("from", ""))))
        elif kind == "copy":
            _add(doc, path, copy.deepcopy(_get(doc, str(op.get("from", "")))))
        elif kind == "test":
            if _get(doc, path) != op.get("value"):
                raise PatchError(f"test at {path!r} failed")
        else:
            raise PatchError(f"unknown operation {kind!r}")
    return doc


_ORY_OPERATIONS = ("add", "remove", "replace")


def _is_element_access(pointer: str) -> bool:
    last = pointer.rsplit("/", 1)[-1]
    return last == "-" or last.isdigit()


def _ensure_parents(doc: Any, pointer: str) -> None:
    """Create the missing containers above `pointer`: a list where the next token is an index."""
    tokens = _tokens(pointer)
    target = doc
    for position, token in enumerate(tokens[:-1]):
        following = tokens[position + 1]
        fresh: Any = [] if following == "-" or following.isdigit() else {}
        if isinstance(target, dict):
            if target.get(token) is None:
                target[token] = fresh
            target = target[token]
        elif isinstance(target, list) and token.isdigit():
            index = int(token)
            while len(target) <= index:
                target.append(None)
            if target[index] is None:
                target[index] = fresh
            target = target[index]
        else:
            return  # the patch itself reports what cannot be descended into


def apply_ory_patch(
    document: dict[str, Any], operations: Any, deny: tuple[str, ...] = ()
) -> dict[str, Any]:
    """JSON Patch as Ory's ory/x jsonx.ApplyJSONPatch applies it (Hydra and Kratos PATCH).

    Only add, remove and replace; a path in `deny` is refused; a replace of an object member
    is an add (it need not exist), and an add creates the missing parents (evanphx/json-patch
    EnsurePathExistsOnAdd) — so a path under a missing member succeeds.
    """
    if not isinstance(operations, list):
        raise PatchError("a JSON patch is a list of operations")
    rewritten: list[dict[str, Any]] = []
    for op in operations:
        if not isinstance(op, dict) or not isinstance(op.get("path"), str):
            raise PatchError("each operation needs 'op' and 'path'")
        kind, path = op.get("op"), op["path"]
        if kind not in _ORY_OPERATIONS:
            raise PatchError(f"unsupported operation: {kind}")
        if path in deny:
            raise PatchError(f"patch includes denied path: {path}")
        if kind == "replace" and not _is_element_access(path):
            op = {**op, "op": "add"}
        rewritten.append(op)
    doc = copy.deepcopy(document)
    for op in rewritten:
        if op["op"] == "add":
            _ensure_parents(doc, op["path"])
        doc = apply_patch(doc, [op])
    return doc
