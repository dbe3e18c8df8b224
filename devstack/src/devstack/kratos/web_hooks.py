"""The settings flow's profile web_hook (`selfservice.flows.settings.after.profile.hooks`).

deploy/ory/kratos.yml configures one: a POST of `identity-changed.jsonnet`'s body,
`{"identity_id": …}`, with `response.ignore` — sent asynchronously once the traits are saved,
its answer and any failure ignored, so saving never waits for (or fails with) the receiver.
The stand-in sends that body itself instead of evaluating the jsonnet.
"""

from __future__ import annotations

import logging
import threading

import httpx

from devstack.kratos.config import KratosConfig

log = logging.getLogger("devstack.kratos.web_hooks")
TIMEOUT = 5.0


def profile_saved(config: KratosConfig, identity_id: str) -> None:
    url = config.profile_hook_url
    if url is None:
        return
    headers = {"Authorization": f"Bearer {config.profile_hook_token or ''}"}
    body = {"identity_id": identity_id}
    threading.Thread(target=_post, args=(url, headers, body), daemon=True).start()


def _post(url: str, headers: dict[str, str], body: dict[str, str]) -> None:
    try:
        response = httpx.post(url, json=body, headers=headers, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        log.warning("settings web_hook to %s failed: %s", url, type(exc).__name__)
        return
    if response.is_error:
        log.warning("settings web_hook to %s answered %s", url, response.status_code)
