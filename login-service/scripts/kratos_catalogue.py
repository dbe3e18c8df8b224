"""Extract Kratos's ui text catalogue (id, name, type, English template, context keys) from a
git checkout of ory/kratos into src/login_service/kratos_catalogue.json (run from login-service/).

uv run python scripts/kratos_catalogue.py /path/to/kratos.git v25.4.0 --compare v1.3.1

Reads `text/id.go` (the iota const blocks) and `text/message_*.go` (one constructor per
message). A template names context values as {key}; an argument that is no context value
(e.g. Kratos's minutes computed from expired_at) is written as {=expression}.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "src/login_service/kratos_catalogue.json"
_CONST_BLOCK = re.compile(r"const \((.*?)\n\)", re.S)
_CONST_LINE = re.compile(r"^\s*([A-Z]\w*)(?:\s+ID\s*=\s*(\d+)\s*\+\s*iota)?\s*(?://.*)?$")
_FUNC = re.compile(r"func (New\w+)\(([^)]*)\) \*Message \{(.*?)\n\}", re.S)
_FIELD_ID = re.compile(r"\bID:\s+(\w+)")
_FIELD_TYPE = re.compile(r"\bType:\s+(\w+)")
_CONTEXT = re.compile(r"Context:\s*context\(map\[string\]any\{(.*?)\}\)", re.S)
_CONTEXT_ITEM = re.compile(r'"(\w+)":\s*([^,\n]+),')
_STRING = r'"(?:[^"\\]|\\.)*"'
_VERB = re.compile(r"%(\[\d+\])?[-+# 0]*\d*(?:\.\d+)?([a-zA-Z%])")


def _git(repo: str, *args: str) -> str:
    return subprocess.run(  # noqa: S603 - git with our own arguments
        ["git", "-C", repo, *args],  # noqa: S607 - git from PATH, a developer tool
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _ids(source: str) -> dict[str, int]:
    ids: dict[str, int] = {}
    for block in _CONST_BLOCK.findall(source):
        base, offset = None, 0
        for line in block.splitlines():
            match = _CONST_LINE.match(line)
            if not match:
                continue
            if match.group(2) is not None:
                base, offset = int(match.group(2)), 0
            if base is not None:
                ids[match.group(1)] = base + offset
                offset += 1
    return ids


def _split_args(text: str) -> list[str]:
    args, depth, current = [], 0, ""
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            args.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        args.append(current.strip())
    return args


def _literal(expression: str) -> str | None:
    parts = [p.strip() for p in expression.split("+")]
    if not all(re.fullmatch(_STRING, p) for p in parts):
        return None
    return "".join(json.loads(p) for p in parts)


def _template(body: str, context: dict[str, str]) -> str | None:
    by_value = {value: key for key, value in context.items()}
    sprintf = re.search(r"Text:\s*fmt\.Sprintf\(\s*(" + _STRING + r")\s*,(.*?)\),\n", body, re.S)
    if sprintf:
        fmt, args = json.loads(sprintf.group(1)), _split_args(sprintf.group(2))
        position = 0

        def name(match: re.Match[str]) -> str:
            nonlocal position
            if match.group(2) == "%":
                return "%"
            index = int(match.group(1)[1:-1]) - 1 if match.group(1) else position
            position = index + 1
            arg = args[index]
            key = by_value.get(arg)
            placeholder = "{" + key + "}" if key else "{=" + arg + "}"
            return f'"{placeholder}"' if match.group(2) == "q" else placeholder

        return _VERB.sub(name, fmt)
    plain = re.search(r"Text:\s*(.*?),\n\s*(?:Type|Context|ID|\})", body, re.S)
    if not plain:
        return None
    expression = plain.group(1).strip()
    literal = _literal(expression)
    if literal is not None:
        return literal
    key = by_value.get(expression)
    return "{" + key + "}" if key else None  # None: composed in Go code (a list, hints)


def catalogue(repo: str, tag: str) -> dict[int, dict[str, Any]]:
    ids = _ids(_git(repo, "show", f"{tag}:text/id.go"))
    files = [
        f
        for f in _git(repo, "ls-tree", "--name-only", f"{tag}", "text/").split()
        if re.fullmatch(r"text/message_\w+\.go", f) and not f.endswith("_test.go")
    ]
    messages: dict[int, dict[str, Any]] = {}
    for path in files:
        for func, _params, body in _FUNC.findall(_git(repo, "show", f"{tag}:{path}")):
            id_match, type_match = _FIELD_ID.search(body), _FIELD_TYPE.search(body)
            if not id_match or id_match.group(1) not in ids:
                continue
            context_match = _CONTEXT.search(body)
            context = (
                dict(_CONTEXT_ITEM.findall(context_match.group(1) + ",\n"))
                if (context_match)
                else {}
            )
            context = {k: v.strip() for k, v in context.items()}
            message_id = ids[id_match.group(1)]
            messages.setdefault(
                message_id,
                {
                    "id": message_id,
                    "name": id_match.group(1),
                    "constructor": func,
                    "type": type_match.group(1).lower() if type_match else None,
                    "text": _template(body, context),
                    "context": sorted(context),
                },
            )
    return dict(sorted(messages.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("repo", help="a git directory of github.com/ory/kratos")
    parser.add_argument("tag")
    parser.add_argument("--compare", help="an older tag to note differences from")
    args = parser.parse_args()
    messages = catalogue(args.repo, args.tag)
    data: dict[str, Any] = {
        "source": {
            "repository": "https://github.com/ory/kratos",
            "tag": args.tag,
            "commit": _git(args.repo, "rev-parse", f"{args.tag}^{{commit}}").strip(),
            "files": "text/id.go, text/message_*.go",
        },
    }
    if args.compare:
        old = catalogue(args.repo, args.compare)
        data["compared_with"] = {
            "tag": args.compare,
            "commit": _git(args.repo, "rev-parse", f"{args.compare}^{{commit}}").strip(),
            "only_in_new": [i for i in messages if i not in old],
            "only_in_old": [i for i in old if i not in messages],
            "changed": {
                str(i): {"text": old[i]["text"], "context": old[i]["context"]}
                for i in messages
                if i in old
                and (old[i]["text"], old[i]["context"])
                != (messages[i]["text"], messages[i]["context"])
            },
        }
    data["messages"] = list(messages.values())
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(messages)} messages → {OUT}")


if __name__ == "__main__":
    main()
