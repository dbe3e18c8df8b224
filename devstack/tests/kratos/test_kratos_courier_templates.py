"""deploy's courier templates as the stand-in runs them: the language of the submission's
transient_payload, values escaped in the HTML part, and a fallback for what it cannot run.
(That real Kratos renders them the same: scenario kratos_courier_language_by_transient_payload.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from devstack.kratos import gotemplate, mail_templates
from devstack.kratos.config import DEFAULT_COURIER_TEMPLATES

DATA = {"To": "ada@example.org", "RecoveryCode": "123456", "Identity": {"traits": {}}}


@pytest.mark.parametrize("template", ["recovery_code/valid", "verification_code/valid"])
def test_every_template_has_a_dutch_version_chosen_by_the_transient_payload(template: str) -> None:
    data = {**DATA, "VerificationCode": "654321", "VerificationURL": "http://x/?flow=1&code=2"}
    dutch = mail_templates.render(
        DEFAULT_COURIER_TEMPLATES, template, {**data, "TransientPayload": {"language": "nl"}}
    )
    english = mail_templates.render(DEFAULT_COURIER_TEMPLATES, template, data)
    assert dutch.text.startswith("Hallo,")
    assert english.text.startswith("Hello,")
    assert 'lang="nl"' in (dutch.html or "")
    assert 'lang="en"' in (english.html or "")
    assert dutch.subject != english.subject
    assert "\n" not in dutch.subject


def test_the_html_part_escapes_what_it_writes() -> None:
    rendered = mail_templates.render(
        DEFAULT_COURIER_TEMPLATES, "recovery_code/valid", {**DATA, "To": "<script>@x"}
    )
    assert "&lt;script&gt;@x" in (rendered.html or "")
    assert "<script>@x" in rendered.text  # the text part is plain text


def test_a_template_the_subset_cannot_run_falls_back_to_kratoss_own_text(tmp_path: Path) -> None:
    folder = tmp_path / "recovery_code" / "valid"
    folder.mkdir(parents=True)
    (folder / "email.body.plaintext.gotmpl").write_text("{{ range .X }}{{ end }}")
    rendered = mail_templates.render(tmp_path, "recovery_code/valid", DATA)
    assert "Recover access to your account" in rendered.text


def test_go_semantics_of_missing_keys_fields_and_comparisons() -> None:
    templates = gotemplate.TemplateSet(
        {
            "main": '{{- if eq .M.k "v" }}yes{{ else if .M.none }}no{{ else }}'
            "{{ .M.none }}{{ end -}}",
            "call": '{{ template "main" . }}!',
        },
        html=False,
    )
    assert templates.execute("main", {"M": {"k": "v"}}) == "yes"
    assert templates.execute("call", {"M": {}}) == "<no value>!"
    with pytest.raises(gotemplate.TemplateError):
        templates.execute("main", {})  # a struct without field M
    with pytest.raises(gotemplate.TemplateError):
        templates.execute("main", {"M": {"k": 1}})  # incompatible types for comparison
