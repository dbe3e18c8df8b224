"""Reading forms, links and text out of our pages, the way a browser sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    group: str | None
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, text)
    inputs: list[dict[str, str | None]] = field(default_factory=list)

    def data(self, button: str | None = None, **values: str) -> dict[str, str]:
        """The form's values, `values` filled in, plus the named submit button's value."""
        body = dict(self.fields)
        body.update(values)
        if button is not None:
            for name, value, _text in self.buttons:
                if value == button or name == button:
                    body[name] = value
                    break
            else:
                raise AssertionError(f"no button {button!r} in {self.buttons}")
        return body


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.imgs: list[dict[str, str | None]] = []
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
            self._form.inputs.append(a)
            name = a.get("name")
            kind = (a.get("type") or "text").lower()
            if not name:
                return
            if kind == "checkbox":
                if "checked" in a:
                    self._form.fields[name] = a.get("value") or "on"
            elif kind in ("submit", "button"):
                self._form.buttons.append((name, a.get("value") or "", ""))
            else:
                self._form.fields.setdefault(name, a.get("value") or "")
        elif tag == "button" and self._form is not None:
            self._button = [a.get("name") or "", a.get("value") or "", ""]
        elif tag == "a":
            self._link = [a.get("href") or "", ""]
        elif tag == "img":
            self.imgs.append(a)

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
    scripts: list[dict[str, str | None]]
    imgs: list[dict[str, str | None]]
    text: str

    def form(self, group: str | None = None, *, button: str | None = None) -> Form:
        for form in self.forms:
            if group is not None and form.group != group:
                continue
            if button is not None and not any(
                button in (name, value) for name, value, _ in form.buttons
            ):
                continue
            return form
        raise AssertionError(f"no form group={group!r} button={button!r} in: {self.text[:500]}")

    def link(self, text: str) -> str:
        for href, label in self.links:
            if text in label:
                return href
        raise AssertionError(f"no link {text!r} in {self.links}")


def parse(html: str) -> Page:
    parser = _PageParser()
    parser.feed(html)
    return Page(html, parser.forms, parser.links, parser.scripts, parser.imgs, parser.text)
