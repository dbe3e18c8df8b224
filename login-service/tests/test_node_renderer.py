"""The generic Kratos node renderer: every node type and group, messages, labels, scripts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from devstack.testing.html_page import parse
from flask import render_template
from login_service import Settings, create_app
from stackspin_clients.models.kratos import Flow

KRATOS = "https://sso.example.org/kratos"


def text(id_: int, value: str, type_: str = "info", **context: Any) -> dict[str, Any]:
    return {"id": id_, "text": value, "type": type_, "context": context}


def node(type_: str, group: str, attributes: dict[str, Any], **extra: Any) -> dict[str, Any]:
    attributes = {"node_type": type_, **attributes}
    return {
        "type": type_,
        "group": group,
        "attributes": attributes,
        "messages": [],
        "meta": {},
        **extra,
    }


SETTINGS_FLOW = {
    "id": "f1",
    "type": "browser",
    "ui": {
        "action": f"{KRATOS}/self-service/settings?flow=f1",
        "method": "POST",
        "messages": [text(1050001, "Your changes have been saved!", "success")],
        "nodes": [
            node("input", "default", {"name": "csrf_token", "type": "hidden", "value": "tok"}),
            node(
                "input",
                "profile",
                {
                    "name": "traits.email",
                    "type": "email",
                    "value": "ada@example.org",
                    "required": True,
                },
                meta={"label": text(1070002, "E-Mail")},
                messages=[text(4000002, "Property email is missing.", "error", property="email")],
            ),
            node(
                "input",
                "profile",
                {"name": "traits.newsletter", "type": "checkbox", "value": True},
                meta={"label": text(1070002, "Newsletter")},
            ),
            node(
                "input",
                "profile",
                {"name": "method", "type": "submit", "value": "profile"},
                meta={"label": text(1070003, "Save")},
            ),
            node(
                "input",
                "password",
                {"name": "password", "type": "password", "autocomplete": "new-password"},
                meta={"label": text(1070001, "Password")},
            ),
            node(
                "input",
                "password",
                {"name": "method", "type": "submit", "value": "password"},
                meta={"label": text(1070003, "Save")},
            ),
            node(
                "img",
                "totp",
                {"id": "totp_qr", "src": "data:image/png;base64,AAAA", "width": 256, "height": 256},
                meta={"label": text(1050005, "Authenticator app QR code")},
            ),
            node(
                "text",
                "totp",
                {"id": "totp_secret_key", "text": text(1050006, "JBSWY3DPEHPK3PXP")},
                meta={"label": text(1050017, "This is your authenticator app secret.")},
            ),
            node(
                "text",
                "lookup_secret",
                {
                    "id": "lookup_secret_codes",
                    "text": text(
                        1050015,
                        "abcd1234, efgh5678",
                        secrets=[text(1050009, "abcd1234"), text(1050009, "efgh5678")],
                    ),
                },
                meta={"label": text(1050010, "These are your back up recovery codes.")},
            ),
            node(
                "input",
                "lookup_secret",
                {"name": "lookup_secret_confirm", "type": "submit", "value": "true"},
                meta={"label": text(1050011, "Confirm backup recovery codes")},
            ),
            node(
                "input",
                "webauthn",
                {
                    "name": "webauthn_register_trigger",
                    "type": "button",
                    "value": "",
                    "onclickTrigger": "oryWebAuthnRegistration",
                    "onclick": "alert(1)",
                },
                meta={"label": text(1050012, "Add security key")},
            ),
            node(
                "script",
                "webauthn",
                {
                    "id": "webauthn_script",
                    "src": f"{KRATOS}/.well-known/ory/webauthn.js",
                    "async": True,
                    "referrerpolicy": "no-referrer",
                    "crossorigin": "anonymous",
                    "integrity": "sha512-abc",
                    "type": "text/javascript",
                    "nonce": "kratos-nonce",
                },
            ),
            node(
                "script",
                "webauthn",
                {
                    "id": "evil",
                    "src": "https://evil.example/x.js",
                    "async": True,
                    "referrerpolicy": "",
                    "crossorigin": "",
                    "integrity": "",
                    "type": "",
                    "nonce": "",
                },
            ),
            node(
                "a",
                "default",
                {"id": "back", "href": "https://sso.example.org/", "title": text(1, "Back")},
            ),
            node(
                "div",
                "captcha",
                {"id": "captcha", "class": "cf-turnstile", "data": {"sitekey": "k"}},
            ),
        ],
    },
}


def render(flow: dict[str, Any], lang: str = "en") -> str:
    from login_service.config import origin_of
    from login_service.render.nodes import flow_view

    app = create_app(Settings(kratos_browser_url=KRATOS))
    with app.test_request_context(f"/auth/settings?flow=f1&lang={lang}"):
        parsed = Flow.model_validate(flow)
        view = flow_view(parsed.ui, kratos_origin=origin_of(KRATOS))
        return render_template(
            "flow.html",
            kind="settings",
            title="Settings",
            view=view,
            flow=parsed,
            recovered=False,
            links={},
        )


def test_every_group_is_its_own_form_with_the_csrf_token() -> None:
    page = parse(render(SETTINGS_FLOW))
    groups = [f.group for f in page.forms]
    assert groups == ["profile", "password", "totp", "lookup_secret", "webauthn", "captcha"]
    for form in page.forms:
        assert form.fields["csrf_token"] == "tok"
        assert form.action == f"{KRATOS}/self-service/settings?flow=f1"
        assert form.method == "POST"


def test_inputs_have_labels_and_errors_tied_to_them() -> None:
    html = render(SETTINGS_FLOW)
    field = re.search(r'<input id="([^"]+)" type="email" name="traits.email"[^>]*>', html)
    assert field
    dom_id = field.group(1)
    assert f'<label for="{dom_id}">' in html
    assert 'aria-invalid="true"' in field.group(0)
    assert f'aria-describedby="{dom_id}-messages"' in field.group(0)
    assert f'id="{dom_id}-messages"' in html
    assert "Property email is missing." in html
    assert re.search(r'type="checkbox" name="traits.newsletter" value="true"\s+checked', html)
    assert 'autocomplete="new-password"' in html


def test_submit_buttons_carry_name_and_value() -> None:
    page = parse(render(SETTINGS_FLOW))
    assert ("method", "profile", "Save") in page.form("profile").buttons
    assert ("lookup_secret_confirm", "true", "Confirm backup recovery codes") in page.form(
        "lookup_secret"
    ).buttons


def test_totp_qr_secret_and_backup_codes_are_shown() -> None:
    html = render(SETTINGS_FLOW)
    page = parse(html)
    assert page.imgs[0]["src"] == "data:image/png;base64,AAAA"
    assert page.imgs[0]["alt"] == "Authenticator app QR code"
    assert '<code class="secret">JBSWY3DPEHPK3PXP</code>' in html
    assert "<li><code>abcd1234</code></li>" in html
    assert "<li><code>efgh5678</code></li>" in html


def test_only_kratos_scripts_run_and_without_inline_handlers() -> None:
    html = render(SETTINGS_FLOW)
    page = parse(html)
    sources = [s.get("src") for s in page.scripts]
    assert f"{KRATOS}/.well-known/ory/webauthn.js" in sources
    assert "https://evil.example/x.js" not in sources
    kratos = next(s for s in page.scripts if s.get("id") == "webauthn_script")
    assert kratos["integrity"] == "sha512-abc"
    assert kratos["nonce"] == "kratos-nonce"
    assert kratos["crossorigin"] == "anonymous"
    assert "/auth/static/js/ory-triggers.js" in sources
    assert "onclick" not in html
    assert 'data-ory-trigger="oryWebAuthnRegistration"' in html


def test_anchor_div_and_form_messages() -> None:
    html = render(SETTINGS_FLOW)
    page = parse(html)
    assert ("https://sso.example.org/", "Back") in page.links
    assert '<div id="captcha" class="cf-turnstile"' in html
    assert 'data-sitekey="k"' in html
    assert 'data-message-id="1050001"' in html


def test_kratos_labels_and_messages_in_dutch() -> None:
    html = render(SETTINGS_FLOW, lang="nl")
    assert "Uw wijzigingen zijn opgeslagen!" in html
    assert "Het veld email ontbreekt." in html
    assert ">Wachtwoord" in html
    assert "Back-up-herstelcodes bevestigen" in html


def test_dutch_catalog_is_compiled_and_complete() -> None:
    from pathlib import Path

    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    folder = Path(__file__).parents[1] / "src/login_service/translations/nl/LC_MESSAGES"
    with (folder / "messages.po").open("rb") as f:
        po = read_po(f)
    with (folder / "messages.mo").open("rb") as f:
        mo = read_mo(f)
    untranslated = [m.id for m in po if m.id and not m.string]
    assert not untranslated
    assert {m.id: m.string for m in po if m.id} == {m.id: m.string for m in mo if m.id}


def test_user_controlled_text_and_urls_cannot_inject_markup_or_script() -> None:
    hostile = '"><script>alert(1)</script>'
    flow = {
        "id": "f2",
        "type": "browser",
        "ui": {
            "action": f"{KRATOS}/self-service/settings?flow=f2",
            "method": "POST",
            "messages": [text(4000001, hostile, "error")],
            "nodes": [
                node("input", "default", {"name": "csrf_token", "type": "hidden", "value": "t"}),
                node(
                    "input",
                    "profile",
                    {"name": "traits.name", "type": "text", "value": hostile},
                    meta={"label": text(1070002, hostile)},
                    messages=[text(4000002, hostile, "error")],
                ),
                node("a", "default", {"id": "x", "href": "javascript:alert(1)", "title": hostile}),
                node("img", "totp", {"id": "qr", "src": "data:image/svg+xml,<svg onload=x>"}),
                node(
                    "div", "captcha", {"id": hostile, "class": hostile, "data": {hostile: hostile}}
                ),
            ],
        },
    }
    html = render(flow)
    assert "<script>alert(1)</script>" not in html
    assert "javascript:" not in html
    assert "data:image/svg" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _code_sent_flow(resend: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "f1",
        "type": "browser",
        "ui": {
            "action": f"{KRATOS}/self-service/recovery?flow=f1",
            "method": "POST",
            "nodes": [
                node("input", "default", {"name": "csrf_token", "type": "hidden", "value": "tok"}),
                node(
                    "input",
                    "code",
                    {"name": "code", "type": "text", "required": True},
                    meta={"label": text(1070010, "Recovery code")},
                ),
                node("input", "code", {"name": "method", "type": "hidden", "value": "code"}),
                node(
                    "input",
                    "code",
                    {"name": "method", "type": "submit", "value": "code"},
                    meta={"label": text(1070009, "Continue")},
                ),
                resend,
            ],
        },
    }


def test_a_resend_button_is_its_own_form_with_nothing_to_fill_in() -> None:
    # Kratos v25 recovery/verification once the code is mailed: name=email, value=the address.
    resend = node(
        "input",
        "code",
        {"name": "email", "type": "submit", "value": "ada@example.org"},
        meta={"label": text(1070008, "Resend code")},
    )
    page = parse(render(_code_sent_flow(resend)))
    code_form, resend_form = page.forms
    assert ("email", "ada@example.org", "Resend code") not in code_form.buttons
    assert resend_form.fields == {"csrf_token": "tok", "method": "code"}
    assert resend_form.buttons == [("email", "ada@example.org", "Resend code")]
    assert resend_form.action == code_form.action
    assert not [i for i in resend_form.inputs if "required" in i]


def test_a_resend_email_field_is_its_own_form() -> None:
    # A rebuilt code form (Kratos's populateEmailSentFlow) asks for the address instead.
    resend = node(
        "input",
        "code",
        {"name": "email", "type": "email", "required": True},
        meta={"label": text(1070008, "Resend code")},
    )
    page = parse(render(_code_sent_flow(resend)))
    code_form, resend_form = page.forms
    assert "email" not in code_form.fields
    assert resend_form.fields == {"csrf_token": "tok", "method": "code", "email": ""}
    assert [label for _, _, label in resend_form.buttons] == ["Resend code"]


def test_a_finished_flow_that_continues_elsewhere_shows_only_its_link() -> None:
    # Kratos v25's passed verification flow: GET to the return URL, one "Continue" link.
    flow = {
        "id": "f1",
        "type": "browser",
        "state": "passed_challenge",
        "ui": {
            "action": "https://app.example.org/welcome",
            "method": "GET",
            "messages": [text(1080002, "You successfully verified your email address.")],
            "nodes": [
                node(
                    "a",
                    "code",
                    {
                        "id": "continue",
                        "href": "https://app.example.org/welcome",
                        "title": text(1070009, "Continue"),
                    },
                )
            ],
        },
    }
    page = parse(render(flow))
    assert page.forms == []
    assert ("https://app.example.org/welcome", "Continue") in page.links
    assert "successfully verified" in page.text


def test_a_get_form_outside_kratos_with_fields_is_refused() -> None:
    from login_service.errors import UnexpectedAnswerError

    flow = _code_sent_flow(node("input", "code", {"name": "x", "type": "text"}))
    flow["ui"]["action"] = "https://evil.example/collect"
    flow["ui"]["method"] = "GET"
    with pytest.raises(UnexpectedAnswerError, match="unexpected answer") as refused:
        render(flow)
    assert refused.value.problem == "flow form action outside Kratos"


def test_every_credential_field_has_autocomplete() -> None:
    fields = [
        ("default", "identifier", "text", None),
        ("password", "password", "password", None),
        ("password", "password", "password", "new-password"),
        ("code", "code", "text", None),
        ("totp", "totp_code", "text", None),
        ("lookup_secret", "lookup_secret", "text", None),
        ("profile", "traits.email", "email", None),
        ("profile", "traits.username", "text", None),
    ]
    nodes = [node("input", "default", {"name": "csrf_token", "type": "hidden", "value": "t"})]
    for group, name, type_, given in fields:
        attributes: dict[str, Any] = {"name": name, "type": type_, "value": ""}
        if given:
            attributes["autocomplete"] = given
        nodes.append(node("input", group, attributes))
    flow = {"id": "f2", "type": "browser", "ui": {**SETTINGS_FLOW["ui"], "nodes": nodes}}  # type: ignore[dict-item]
    html = render(flow)
    tokens = re.findall(
        r'<input id="[^"]+" type="[^"]+" name="([^"]+)"[^>]*?autocomplete="([^"]+)"', html
    )
    assert tokens == [
        ("identifier", "username"),
        ("password", "current-password"),
        ("password", "new-password"),
        ("code", "one-time-code"),
        ("totp_code", "one-time-code"),
        ("lookup_secret", "off"),
        ("traits.email", "email"),
        ("traits.username", "username"),
    ]
    assert 'name="csrf_token" value="t" autocomplete' not in html


@pytest.mark.parametrize(
    ("lang", "seconds", "expected"),
    [
        ("en", 20, "This form expired less than a minute ago. Please try again."),
        ("en", 95, "This form expired 1 minute ago. Please try again."),
        ("en", 208, "This form expired 3 minutes ago. Please try again."),
        ("nl", 208, "Dit formulier is 3 minuten geleden verlopen. Probeer het opnieuw."),
    ],
)
def test_the_expired_flow_message_reads_in_whole_minutes(
    lang: str, seconds: int, expected: str
) -> None:
    import time

    expired_at = int(time.time()) - seconds
    message = text(
        4010001,
        f"The login flow expired {seconds / 60:.2f} minutes ago, please try again.",
        "error",
        expired_at="2026-01-01T00:00:00Z",
        expired_at_unix=expired_at,
    )
    flow = {"id": "f3", "type": "browser", "ui": {**SETTINGS_FLOW["ui"], "messages": [message]}}  # type: ignore[dict-item]
    html = render(flow, lang)
    assert expected in html
    assert "minutes ago, please try again" not in html


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "Unlink your authenticator app?"),
        ("nl", "Uw authenticator-app ontkoppelen?"),
    ],
)
def test_removing_a_second_factor_asks_first(lang: str, question: str) -> None:
    nodes = [
        node("input", "default", {"name": "csrf_token", "type": "hidden", "value": "t"}),
        node(
            "input",
            "totp",
            {"name": "totp_unlink", "type": "submit", "value": "true"},
            meta={"label": text(1050004, "Unlink TOTP Authenticator App")},
        ),
        node(
            "input",
            "lookup_secret",
            {"name": "lookup_secret_disable", "type": "submit", "value": "true"},
            meta={"label": text(1050016, "Disable this method")},
        ),
        node(
            "input",
            "lookup_secret",
            {"name": "lookup_secret_reveal", "type": "submit", "value": "true"},
            meta={"label": text(1050007, "Reveal backup recovery codes")},
        ),
    ]
    flow = {"id": "f4", "type": "browser", "ui": {**SETTINGS_FLOW["ui"], "nodes": nodes}}  # type: ignore[dict-item]
    html = render(flow, lang)
    page = parse(html)
    # No JavaScript needed: the submit that removes sits in a closed <details> after the question.
    confirms = re.findall(
        r'<details class="confirm"[^>]*>\s*<summary[^>]*>([^<]*)</summary>\s*<p>([^<]*)</p>'
        r'\s*<button[^>]*name="([a-z_]+)"',
        html,
    )
    assert [(name, asked.startswith(question)) for _, asked, name in confirms][:1] == [
        ("totp_unlink", True)
    ]
    assert [name for _, _, name in confirms] == ["totp_unlink", "lookup_secret_disable"]
    assert "lookup_secret_reveal" not in "".join(re.findall(r"<details.*?</details>", html, re.S))
    assert page.form("lookup_secret", button="lookup_secret_reveal")


def test_every_element_id_on_the_page_is_unique() -> None:
    """Two security keys give two "remove" buttons with the same name: each keeps its own id,
    and the confirmation around it too (labels and aria references point at one element)."""
    remove = [
        node(
            "input",
            "webauthn",
            {"name": "webauthn_remove", "type": "submit", "value": key},
            meta={"label": text(1050018, f"Remove security key {key}")},
        )
        for key in ("key-one", "key-two")
    ]
    csrf = node("input", "default", {"name": "csrf_token", "type": "hidden", "value": "t"})
    flow = {"id": "f5", "type": "browser", "ui": {**SETTINGS_FLOW["ui"], "nodes": [csrf, *remove]}}  # type: ignore[dict-item]
    html = render(flow)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert sorted(set(ids)) == sorted(ids), [i for i in ids if ids.count(i) > 1]
    assert len(re.findall(r'name="webauthn_remove"', html)) == 2
