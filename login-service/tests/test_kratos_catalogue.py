"""Every Kratos message id of the flows we render has our English and Dutch text, and the
placeholders line up with Kratos's context (kratos_catalogue.json, extracted from Kratos)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel.messages.pofile import read_po
from login_service.kratos_messages import KRATOS_MESSAGES, OUT_OF_SCOPE, VERBATIM
from login_service.readable_time import derived_keys

PACKAGE = Path(__file__).parents[1] / "src/login_service"
CATALOGUE = json.loads((PACKAGE / "kratos_catalogue.json").read_text())
MESSAGES = {m["id"]: m for m in CATALOGUE["messages"]}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _dutch() -> dict[str, str]:
    with (PACKAGE / "translations/nl/LC_MESSAGES/messages.po").open("rb") as f:
        return {str(m.id): str(m.string) for m in read_po(f) if m.id and m.string}


def test_the_catalogue_says_where_it_came_from() -> None:
    assert CATALOGUE["source"]["tag"] == "v25.4.0"
    assert re.fullmatch(r"[0-9a-f]{40}", CATALOGUE["source"]["commit"])
    assert CATALOGUE["compared_with"]["tag"] == "v1.3.1"
    assert len(MESSAGES) > 100
    assert MESSAGES[4000032]["context"] == ["actual_length", "min_length"]


def test_every_message_of_our_flows_has_an_english_and_a_dutch_text() -> None:
    dutch = _dutch()
    in_scope = set(MESSAGES) - OUT_OF_SCOPE - VERBATIM
    assert sorted(in_scope - set(KRATOS_MESSAGES)) == []
    assert sorted(t for i, t in KRATOS_MESSAGES.items() if i in in_scope and t not in dutch) == []


def test_we_name_only_ids_kratos_has() -> None:
    assert sorted(set(KRATOS_MESSAGES) - set(MESSAGES)) == []
    assert sorted((OUT_OF_SCOPE | VERBATIM) - set(MESSAGES)) == []
    assert not OUT_OF_SCOPE & set(KRATOS_MESSAGES)


def test_placeholders_are_kratos_context_keys_in_both_languages() -> None:
    dutch = _dutch()
    for message_id, english in KRATOS_MESSAGES.items():
        context = MESSAGES[message_id]["context"]
        allowed = set(context) | derived_keys(context)
        used = set(_PLACEHOLDER.findall(english))
        assert used <= allowed, (message_id, used - allowed)
        assert set(_PLACEHOLDER.findall(dutch[english])) == used, message_id
