"""Languages: English and Dutch, chosen by ?lang= (remembered in a cookie) or Accept-Language.

Kratos messages are shown in our words by their numeric id (see kratos_messages.py), in English
too, with times as dates people read; an id we do not know shows Kratos's own English text.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import Babel, get_locale, gettext
from werkzeug.wrappers import Response

from login_service.flow_expiry import EXPIRED_FLOW_IDS, expired_flow_text
from login_service.kratos_messages import GENERATED_LABEL, KRATOS_MESSAGES
from login_service.readable_time import time_context

LANGUAGES = {"en": "English", "nl": "Nederlands"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "login_lang"


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT_LANGUAGE)


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def language_links() -> list[dict[str, Any]]:
    """Links for the language switcher: the same page with ?lang= set, other parameters kept."""
    links = []
    for code, name in LANGUAGES.items():
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        args.append(("lang", code))
        links.append(
            {
                "code": code,
                "name": name,
                "href": f"{request.path}?{urlencode(args)}",
                "current": code == current_language(),
            }
        )
    return links


def kratos_text(message: Any) -> str:
    """A Kratos ui text (dict or model with id, text, context) in the page's language."""
    if isinstance(message, str):
        return message
    data = message if isinstance(message, dict) else _as_dict(message)
    english = str(data.get("text") or "")
    text_id = data.get("id")
    if text_id in EXPIRED_FLOW_IDS:
        whole_minutes = expired_flow_text(data.get("context") or {})
        if whole_minutes is not None:
            return whole_minutes
    if not isinstance(text_id, int):
        return english
    # 1070002 is a label taken from the identity schema's trait title.
    template = english if text_id == GENERATED_LABEL else KRATOS_MESSAGES.get(text_id)
    if template is None:
        return english
    translated = str(gettext(template))
    if "%(" not in translated:
        return translated
    try:
        return str(translated % _FormatContext(time_context(data.get("context") or {})))
    except (KeyError, TypeError, ValueError):
        return english


class _FormatContext(dict[str, Any]):
    """Kratos contexts vary by version; a missing key renders empty instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""


def _as_dict(model: Any) -> dict[str, Any]:
    dump = getattr(model, "model_dump", None)
    if callable(dump):
        result: dict[str, Any] = dump()
        return result
    return {}  # None, or something Kratos should not have sent: no text


def _remember_language(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != chosen:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            path="/auth",
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = app.config.get(
        "BABEL_TRANSLATION_DIRECTORIES", "translations"
    )
    Babel(app, locale_selector=select_locale)
    app.after_request(_remember_language)
    app.jinja_env.globals.update(
        kratos_text=kratos_text,
        language_links=language_links,
        current_language=current_language,
    )
