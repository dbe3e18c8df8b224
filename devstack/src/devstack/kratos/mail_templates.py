"""Courier templates: Kratos's built-in texts or the overrides in deploy/ory/courier-templates.

The override files are Go templates, run as Kratos's courier runs them (`gotemplate`): for part
`email.body`, every `email.body*` file of the template's folder is parsed into one set and
`email.body.gotmpl` executed with the message's data (To, RecoveryCode, VerificationCode,
VerificationURL, TransientPayload, Identity, …), so a file can branch on the flow's
`transient_payload` and call a file of another language. An override the subset cannot run
falls back to the built-in text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devstack.kratos import gotemplate

log = logging.getLogger("devstack.kratos.courier")

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


def _fill(template: str, data: dict[str, Any]) -> str:
    """A built-in text: Kratos's own templates use only `{{ .Name }}` placeholders."""
    return _PLACEHOLDER.sub(lambda match: str(data.get(match.group(1), "")), template)


def _override(directory: Path, name: str, part: str, data: dict[str, Any]) -> str | None:
    """Part `part` of override `name` (None: no such file, or one the stand-in cannot run)."""
    folder = directory / name
    entry = f"email.{part}.gotmpl"
    if not (folder / entry).is_file():
        return None
    sources = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(folder.glob(f"email.{part}*"))
        if path.is_file()
    }
    try:
        templates = gotemplate.TemplateSet(sources, html=part == "body")
        return templates.execute(entry, data)
    except gotemplate.TemplateError as exc:
        log.warning("courier: %s/%s falls back to the built-in text: %s", name, entry, exc)
        return None


def render(directory: Path | None, name: str, data: dict[str, Any]) -> RenderedMail:
    """Subject, text and (overrides only) HTML of template `name`, e.g. recovery_code/valid."""
    subject_tpl, text_tpl = _BUILTIN[name]
    data = {"TransientPayload": {}, **data}
    subject, text = _fill(subject_tpl, data), _fill(text_tpl, data)
    html_body: str | None = None
    if directory is not None and directory.is_dir():
        subject = _override(directory, name, "subject", data) or subject
        text = _override(directory, name, "body.plaintext", data) or text
        html_body = _override(directory, name, "body", data)
    return RenderedMail(subject=subject.strip(), text=text, html=html_body)
