"""HTML of the demo app; every value from outside is escaped."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html import escape
from typing import Any

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 3rem auto; padding: 0 1rem;
       color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem;
         vertical-align: top; }
th { width: 12rem; color: #555; font-weight: normal; }
pre { white-space: pre-wrap; word-break: break-all; background: #f6f6f6; padding: 0.75rem; }
button, .button { font-size: 1rem; padding: 0.5rem 1rem; }
.error { color: #a00; }
"""
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{STYLE}</style></head>
<body>
<p><a href="/">Home</a> · Demo app (an OpenID Connect client of this single sign-on)</p>
{body}
</body></html>
"""


TIME_CLAIMS = frozenset({"exp", "iat", "nbf", "auth_time", "rat", "updated_at"})


def _value(value: Any) -> str:
    if isinstance(value, str):
        return escape(value)
    return escape(json.dumps(value, ensure_ascii=False))


def _claim(name: str, value: Any) -> str:
    """A claim's value; seconds since the epoch also as a UTC time."""
    if name in TIME_CLAIMS and isinstance(value, int) and not isinstance(value, bool):
        when = datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"{value} ({when})"
    return _value(value)


def _table(claims: dict[str, Any]) -> str:
    rows = "\n".join(
        f"<tr><th>{escape(str(name))}</th><td>{_claim(str(name), value)}</td></tr>"
        for name, value in sorted(claims.items())
    )
    return f"<table>\n{rows}\n</table>"


def logged_out_home(issuer: str) -> str:
    return page(
        "Demo app",
        "<h1>Demo app</h1>\n"
        "<p>This app knows nobody yet. Log in through the single sign-on "
        f"(<code>{escape(issuer)}</code>) to see who you are and what the ID token says.</p>\n"
        '<form method="get" action="/demo/login"><button type="submit">Log in</button></form>',
    )


def logged_in_home(claims: dict[str, Any], userinfo: dict[str, Any], id_token: str) -> str:
    name = claims.get("name") or claims.get("preferred_username") or claims.get("email")
    who = escape(str(name)) if name else f"subject {escape(str(claims.get('sub')))}"
    role = claims.get("role")
    role_line = (
        f"<p>Your role in this app: <strong>{_value(role)}</strong></p>"
        if role is not None
        else "<p>The ID token carries no <code>role</code> claim for this app.</p>"
    )
    return page(
        "Demo app: logged in",
        f"<h1>Hello, {who}</h1>\n"
        f"<p>You are logged in as <code>{escape(str(claims.get('sub')))}</code>"
        f"{' (' + escape(str(claims['email'])) + ')' if claims.get('email') else ''}.</p>\n"
        f"{role_line}\n"
        '<form method="post" action="/demo/logout"><button type="submit">Log out</button></form>\n'
        "<h2>ID token claims</h2>\n"
        "<p>Signature checked against Hydra's JWKS; issuer, audience, expiry and nonce checked."
        "</p>\n"
        f"{_table(claims)}\n"
        "<h2>UserInfo</h2>\n"
        f"{_table(userinfo)}\n"
        "<details><summary>Raw ID token</summary>\n"
        f"<pre>{escape(id_token)}</pre></details>",
    )


def logged_out() -> str:
    return page(
        "Demo app: logged out",
        "<h1>You are logged out</h1>\n"
        "<p>The single sign-on ended your session; logging in again asks for your password.</p>\n"
        '<p><a href="/demo/">Back to the demo app</a></p>',
    )


def error(title: str, detail: str) -> str:
    return page(
        f"Demo app: {title}",
        f'<h1 class="error">{escape(title)}</h1>\n<p>{escape(detail)}</p>\n'
        '<p><a href="/demo/">Back to the demo app</a></p>',
    )
