"""The HTTP side of the mail catcher: `/mail/` (a page) and `/mail/api/messages` (JSON).

Paths keep their `/mail` prefix, so the devstack router forwards them unchanged.
"""

from __future__ import annotations

import re
from html import escape

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from devstack.mail.store import Mail, MailStore

# Mail bodies are foreign content: nothing on the page may run or load anything.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
URL = re.compile(r"https?://[^\s<>\"']+")

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; }
header { display: flex; gap: 1rem; align-items: baseline; justify-content: space-between; }
article { border: 1px solid #ccc; border-radius: 6px; margin: 1rem 0; padding: 0.5rem 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0; }
dt { color: #666; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: 0.75rem; }
.empty { color: #666; }
"""


def _linkified(text: str) -> str:
    """Escape `text` and make its URLs clickable (recovery and verification links)."""
    out: list[str] = []
    last = 0
    for match in URL.finditer(text):
        out.append(escape(text[last : match.start()]))
        url = escape(match.group(0))
        out.append(f'<a href="{url}" rel="noreferrer">{url}</a>')
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _article(mail: Mail) -> str:
    parts = [
        f'<article id="mail-{escape(mail.id)}">',
        f"<h2>{escape(mail.subject) or '(no subject)'}</h2>",
        "<dl>",
        f"<dt>From</dt><dd>{escape(mail.sender)}</dd>",
        f"<dt>To</dt><dd>{escape(', '.join(mail.to))}</dd>",
        f"<dt>Received</dt><dd>{escape(mail.received_at)}</dd>",
        "</dl>",
    ]
    if mail.text is not None:
        parts.append(f"<pre>{_linkified(mail.text)}</pre>")
    if mail.html is not None:
        parts.append(
            "<details><summary>HTML part (source)</summary>"
            f"<pre>{escape(mail.html)}</pre></details>"
        )
    parts.append("</article>")
    return "\n".join(parts)


def render_page(mails: list[Mail]) -> str:
    listing = (
        "\n".join(_article(m) for m in mails)
        if mails
        else '<p class="empty">No mail yet. Mails sent to the devstack SMTP server appear here.</p>'
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mail catcher ({len(mails)})</title><style>{STYLE}</style></head>
<body>
<header><h1>Mail catcher</h1>
<nav><a href="./">Refresh</a> · <a href="api/messages">JSON</a> · <a href="/">Home</a></nav>
</header>
<p>Every mail the development stack sends ends here; nothing leaves this machine.</p>
<form method="post" action="clear"><button type="submit">Delete all mails</button></form>
{listing}
</body></html>
"""


def create_app(store: MailStore) -> Starlette:
    async def page(request: Request) -> Response:
        return HTMLResponse(render_page(store.list()), headers=PAGE_HEADERS)

    async def to_page(request: Request) -> Response:
        return RedirectResponse("/mail/", status_code=301)

    async def clear_from_page(request: Request) -> Response:
        store.clear()
        return RedirectResponse("/mail/", status_code=303)

    async def messages(request: Request) -> Response:
        if request.method == "DELETE":
            store.clear()
            return Response(status_code=204)
        recipient = request.query_params.get("to")
        return JSONResponse([m.to_json() for m in store.list(recipient)])

    async def message(request: Request) -> Response:
        mail_id = request.path_params["mail_id"]
        if request.method == "DELETE":
            return Response(status_code=204 if store.delete(mail_id) else 404)
        mail = store.get(mail_id)
        if mail is None:
            return JSONResponse({"error": "not_found"}, status_code=404)
        return JSONResponse(mail.to_json())

    return Starlette(
        routes=[
            Route("/mail", to_page),
            Route("/mail/", page),
            Route("/mail/clear", clear_from_page, methods=["POST"]),
            Route("/mail/api/messages", messages, methods=["GET", "DELETE"]),
            Route("/mail/api/messages/{mail_id}", message, methods=["GET", "DELETE"]),
        ]
    )
