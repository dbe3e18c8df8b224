"""Courier templates: Kratos's built-in texts or the overrides in deploy/ory/courier-templates.

The override files are Go templates; the stand-in fills the `{{ .Name }}` placeholders Kratos
passes (To, RecoveryCode, VerificationCode, VerificationURL, ExpiresInMinutes) and falls back to
the built-in text when a file uses any other template construct.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_PLACEHOLDER = re.compile(r"\{\{\s*\.(\w+)\s*\}\}")

_BUILTIN: dict[str, tuple[str, str]] = {
    "recovery_code/valid": (
        "Use code {{ .RecoveryCode }} to recover access to your account",
        "Recover access to your account by entering the following code:\n\n"
        "{{ .RecoveryCode }}\n\n"
        "If this was not you, do nothing. This code expires in {{ .ExpiresInMinutes }} minutes.\n",
    ),
    "verification_code/valid": (
        "Use code {{ .VerificationCode }} to verify your account",
        "Verify your account with the following code:\n\n{{ .VerificationCode }}\n\n"
        "or clicking the following link:\n\n{{ .VerificationURL }}\n\n"
        "If this was not you, do nothing. This code / link expires in "
        "{{ .ExpiresInMinutes }} minutes.\n",
    ),
}


@dataclass
class RenderedMail:
    subject: str
    text: str
    html: str | None


def _fill(template: str, data: dict[str, Any], *, escape: bool) -> str | None:
    leftover = _PLACEHOLDER.sub("", template)
    if "{{" in leftover or any(m not in data for m in _PLACEHOLDER.findall(template)):
        return None

    def value(match: re.Match[str]) -> str:
        raw = str(data[match.group(1)])
        return html.escape(raw) if escape else raw

    return _PLACEHOLDER.sub(value, template)


def _read(directory: Path, name: str, part: str) -> str | None:
    path = directory / name / f"email.{part}.gotmpl"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def render(directory: Path | None, name: str, data: dict[str, Any]) -> RenderedMail:
    """Subject, text and (overrides only) HTML of template `name`, e.g. recovery_code/valid."""
    subject_tpl, text_tpl = _BUILTIN[name]
    subject = _fill(subject_tpl, data, escape=False) or subject_tpl
    text = _fill(text_tpl, data, escape=False) or text_tpl
    html_body: str | None = None
    if directory is not None and directory.is_dir():
        override_subject = _read(directory, name, "subject")
        override_text = _read(directory, name, "body.plaintext")
        override_html = _read(directory, name, "body")
        if override_subject is not None:
            subject = (_fill(override_subject, data, escape=False) or subject).strip()
        if override_text is not None:
            text = _fill(override_text, data, escape=False) or text
        if override_html is not None:
            html_body = _fill(override_html, data, escape=True)
    return RenderedMail(subject=subject.strip(), text=text, html=html_body)
