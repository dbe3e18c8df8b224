"""Making a mailed Kratos recovery code useless before it expires.

Kratos v1.3.1 has no admin call to delete a recovery code, but it refuses every code of a flow,
the right one too, once the flow has taken more than five code submissions (brute-force guard).
Withdrawing an invitation therefore submits wrong codes to its flow until Kratos says so.
"""

from __future__ import annotations

import logging

from stackspin_clients import errors as ory_errors

from dashboard_api.context import Context
from dashboard_api.errors import DependencyUnavailable

log = logging.getLogger(__name__)

# One more than Kratos's limit of code submissions per flow.
SUBMISSIONS_TO_EXHAUST = 6
# Longer than Kratos's six-digit codes, so it can never be the mailed one.
NOT_A_CODE = "00000000000"


def exhaust(ctx: Context, flow_id: str) -> None:
    """Use up the flow's code submissions; nothing to do when Kratos no longer has the flow."""
    for _ in range(SUBMISSIONS_TO_EXHAUST):
        try:
            ctx.ory.kratos_public.submit_flow(
                "recovery", flow_id, {"method": "code", "code": NOT_A_CODE}
            )
        except (ory_errors.NotFound, ory_errors.Gone):
            return
        except ory_errors.ValidationFailed:
            continue  # a refused code (or, at the end, "submitted too often")
        except ory_errors.OryError as exc:
            if exc.status is not None and 300 <= exc.status < 400:
                return  # too often: Kratos sends the browser to a fresh flow, this one is spent
            raise DependencyUnavailable(
                "Kratos did not answer; the invitation stays as it was."
            ) from exc
