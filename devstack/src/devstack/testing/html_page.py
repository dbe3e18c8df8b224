"""The forms, links and text of an HTML page, read the way a browser would submit them.

The one page parser of the test suites (login-service's, the stack's): `parse(html)` gives a
`Page`; `Page.find` picks a form by its `data-group`, a submit button or field names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

Attributes = dict[str, str | None]


@dataclass
class Form:
    action: str
    method: str
    # the `data-group` attribute: the Kratos node group the form submits (password, code, …)
    group: str | None
    fields: dict[str, str] = field(default_factory=dict)
    # (name, value, text) of each submit button, in page order
    buttons: list[tuple[str, str, str]] = field(default_factory=list)
    # the attributes of every <input>, named or not
    inputs: list[Attributes] = field(default_factory=list)

    def has(self, name: str) -> bool:
        """A field or a button named `name` (or a button with that value)."""
        return name in self.fields or self.button(name) is not None

    def button(self, name_or_value: str) -> tuple[str, str, str] | None:
        return next((b for b in self.buttons if name_or_value in (b[0], b[1])), None)

    def data(self, button: str | None = None, **values: str) -> dict[str, str]:
        """The form's values with `values` filled in, plus the button whose name or value is
        `button` (a nameless button sends nothing, as in a browser)."""
        body = {**self.fields, **values}
        if button is not None:
            match = self.button(button)
            if match is None:
                raise AssertionError(f"no button {button!r} in {self.buttons}")
            if match[0]:
                body[match[0]] = match[1]
        return body


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []
        self.scripts: list[Attributes] = []
        self.imgs: list[Attributes] = []
        self._form: Form | None = None
        self._button: list[str] | None = None
        self._link: list[str] | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
            if tag == "script":
                self.scripts.append(a)
        if tag == "form":
            self._form = Form(
                action=a.get("action") or "",
                method=(a.get("method") or "get").upper(),
                group=a.get("data-group"),
            )
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None:
            self._input(self._form, a)
        elif tag == "button" and self._form is not None:
            self._button = [a.get("name") or "", a.get("value") or "", ""]
        elif tag == "a":
            self._link = [a.get("href") or "", ""]
        elif tag == "img":
            self.imgs.append(a)

    @staticmethod
    def _input(form: Form, a: Attributes) -> None:
        form.inputs.append(a)
        name = a.get("name")
        kind = (a.get("type") or "text").lower()
        if not name:
            return
        if kind == "checkbox":
            if "checked" in a:
                form.fields[name] = a.get("value") or "on"
        elif kind in ("submit", "button"):
            form.buttons.append((name, a.get("value") or "", ""))
        else:
            form.fields.setdefault(name, a.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        if tag == "form":
            self._form = None
        elif tag == "button" and self._button is not None and self._form is not None:
            name, value, text = self._button
            self._form.buttons.append((name, value, text.strip()))
            self._button = None
        elif tag == "a" and self._link is not None:
            self.links.append((self._link[0], self._link[1].strip()))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._text.append(data)
        if self._button is not None:
            self._button[2] += data
        if self._link is not None:
            self._link[1] += data

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self._text)).strip()


@dataclass
class Page:
    html: str
    forms: list[Form]
    links: list[tuple[str, str]]
    scripts: list[Attributes]
    imgs: list[Attributes]
    text: str

    def find(
        self, group: str | None = None, *, button: str | None = None, fields: tuple[str, ...] = ()
    ) -> Form:
        """The first form of `group` (any when None) with the `button` and every named field."""
        for form in self.forms:
            if group is not None and form.group != group:
                continue
            if button is not None and form.button(button) is None:
                continue
            if all(form.has(name) for name in fields):
                return form
        raise AssertionError(
            f"no form group={group!r} button={button!r} fields={fields} in: {self.text[:500]}"
        )

    def form(self, group: str | None = None, *, button: str | None = None) -> Form:
        return self.find(group, button=button)

    def form_with(self, *names: str) -> Form:
        """The first form that has every named field or button."""
        return self.find(fields=names)

    def link(self, text: str) -> str:
        for href, label in self.links:
            if text in label:
                return href
        raise AssertionError(f"no link {text!r} in {self.links}")


def parse(html: str) -> Page:
    parser = _PageParser()
    parser.feed(html)
    return Page(html, parser.forms, parser.links, parser.scripts, parser.imgs, parser.text)
