"""Translated text for Python code: the one `_l` every module uses instead of flask_babel's.

flask_babel's LazyString has `__html__` returning its text as it is, so Jinja treats it as
safe markup and `_l("Allow %(app)s?", app=name)` would print an app's name as raw HTML. Ours is
text: Jinja escapes the whole string, the translation and every interpolated value with it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import escape


class LazyText(LazyString):  # type: ignore[misc]
    """Translated when printed; never markup."""

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_text(msgid: str, **variables: Any) -> LazyText:
    """`msgid` in the page's language, `%(name)s` filled from `variables` (escaped in HTML)."""
    return LazyText(gettext, msgid, **variables)
