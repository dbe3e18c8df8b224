"""/auth/theme.css: the configured accent colour as CSS (a file, so no inline styles are needed)."""

from __future__ import annotations

from flask import Blueprint, Response

from login_service.config import Settings, current_settings

bp = Blueprint("theme", __name__)


def theme_css(settings: Settings) -> str:
    colour = settings.accent_color  # validated as a plain hex colour in Settings
    return (
        # :root[lang] ties Pico's own selectors in specificity; this file loads after Pico.
        ":root[lang] {\n"
        f"  --pico-primary: {colour};\n"
        f"  --pico-primary-background: {colour};\n"
        f"  --pico-primary-border: {colour};\n"
        f"  --pico-primary-underline: color-mix(in srgb, {colour} 50%, transparent);\n"
        f"  --pico-primary-hover: color-mix(in srgb, {colour} 80%, black);\n"
        f"  --pico-primary-hover-background: color-mix(in srgb, {colour} 80%, black);\n"
        f"  --pico-primary-focus: color-mix(in srgb, {colour} 30%, transparent);\n"
        "}\n"
        # Text in the accent colour (links) on Pico's dark background: a light tint, so it
        # keeps 4.5:1 (the default #3c5bd6 itself is 2.9:1 there); buttons keep the colour.
        "@media only screen and (prefers-color-scheme: dark) {\n"
        "  :root[lang] {\n"
        f"    --pico-primary: color-mix(in srgb, {colour} 40%, white);\n"
        f"    --pico-primary-hover: color-mix(in srgb, {colour} 25%, white);\n"
        f"    --pico-primary-underline: color-mix(in srgb, {colour} 40%, white);\n"
        "  }\n"
        "}\n"
    )


@bp.get("/auth/theme.css", endpoint="theme_css")
def theme() -> Response:
    settings = current_settings()
    response = Response(theme_css(settings), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
