"""Routes of the Kratos pages other than login: registration, recovery, verification,
settings, and the error page Kratos (and Hydra) send the browser to."""

from __future__ import annotations

import re
from typing import Any, cast

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from stackspin_clients.errors import Gone, NotFound, ValidationFailed
from stackspin_clients.models.kratos import FlowKind

from login_service.clients import calling, clients
from login_service.config import current_settings
from login_service.errors import render_error
from login_service.flows.pages import CSRF_ERRORS, csrf_page, render_flow_page
from login_service.lazy_text import lazy_text as _l

bp = Blueprint("flows", __name__)

_ERROR_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_HYDRA_ERROR = re.compile(r"[a-z_]{1,64}")
MAX_DESCRIPTION = 300


@bp.get("/auth/<any(registration, recovery, verification, settings):kind>")
def page(kind: str) -> ResponseReturnValue:
    if kind == "registration":
        settings = current_settings()
        if not settings.registration_enabled:
            abort(404)
    return render_flow_page(cast(FlowKind, kind))


@bp.get("/auth/error")
def error() -> ResponseReturnValue:
    error_id = request.args.get("id")
    if error_id and _ERROR_ID.fullmatch(error_id):
        try:
            with calling("kratos"):
                flow_error = clients().kratos.get_flow_error(error_id)
        except (NotFound, Gone, ValidationFailed):  # unknown, expired or malformed id
            return render_error(
                404,
                _l("Something went wrong"),
                _l("We could not find the details of this error. Please start again."),
                retry_url=url_for("login.login"),
            )
        fields: dict[str, Any] = flow_error.error or {}
        if fields.get("id") in CSRF_ERRORS:
            return csrf_page(None)
        if fields.get("id") == "session_already_available":
            return redirect(url_for("login.login"), code=303)
        status = fields.get("code")
        return render_error(
            status if isinstance(status, int) and 400 <= status < 600 else 400,
            _l("Something went wrong"),
            fields.get("reason") or fields.get("message") or None,
            retry_url=url_for("login.login"),
        )
    # Hydra's error_url: ?error=…&error_description=… (shown escaped, never as HTML).
    hydra_error = request.args.get("error", "")
    if _HYDRA_ERROR.fullmatch(hydra_error):
        return render_error(
            400,
            _l("Sign-in could not be completed"),
            # Anyone can craft this link: bounded, so it cannot pass for a page of its own.
            (request.args.get("error_description") or hydra_error)[:MAX_DESCRIPTION],
            retry_url=None,
        )
    return render_error(
        400,
        _l("Something went wrong"),
        _l("Please start again."),
        retry_url=url_for("login.login"),
    )
