"""The forms and text of a page, read the way a browser would submit them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    # (name, value) of each submit button
    buttons: list[tuple[str, str]] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.fields or any(name in button for button in self.buttons)

    def data(self, button: str | None = None, **values: str) -> dict[str, str]:
        """Field values with `values` filled in, plus the button whose name or value matches."""
        body = {**self.fields, **values}
        if button is not None:
            match = next((b for b in self.buttons if button in b), None)
            if match is None:
                raise AssertionError(f"no button {button!r} in {self.buttons}")
            if match[0]:
                body[match[0]] = match[1]
        return body


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.chunks: list[str] = []
        self._form: Form | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").upper())
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "button"):
            name = a.get("name", "")
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            if kind == "submit":
                self._form.buttons.append((name, a.get("value", "")))
            elif kind == "checkbox":
                if "checked" in a:
                    self._form.fields[name] = a.get("value") or "on"
            elif name and kind != "button":
                self._form.fields.setdefault(name, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.chunks.append(data)


@dataclass
class Page:
    forms: list[Form]
    text: str

    def form_with(self, *names: str) -> Form:
        """The first form that has every named field or button."""
        for form in self.forms:
            if all(form.has(name) for name in names):
                return form
        raise AssertionError(f"no form with {names}: {[f.fields for f in self.forms]}")


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    return Page(parser.forms, re.sub(r"\s+", " ", " ".join(parser.chunks)).strip())
