"""Generated requests through real nginx to dashboard-api under gunicorn, on MariaDB and real
or stand-in Ory, every dependency up: no answer may be a 5xx (dashboard-api's own or nginx's).

A bounded run (a few examples per operation); dashboard-api/tests/test_schemathesis.py is the
long one against the app alone, with the schema checks. Both use devstack.testing.api_fuzz's
settings; how long they take is `make bench`'s business, not an assertion here.
"""

from __future__ import annotations

import schemathesis
from devstack.testing import api_fuzz
from schemathesis.checks import not_a_server_error
from stack_harness.admin import admin_api
from stack_harness.sso_stack import SsoStack

EXAMPLES_PER_OPERATION = 4
# Logging out would end the session; the apps the stack was seeded with (dashboard, demo) must
# survive for the tests that run after this one on the same stack.
SKIPPED = {"auth-logout", "apps-delete_app", "apps-update_app"}


def test_generated_requests_through_nginx_get_no_5xx(sso: SsoStack) -> None:
    with admin_api(sso) as api:
        token = api.headers["Authorization"]
    failures: list[str] = []
    statuses: list[int] = []
    ran = 0
    for operation in api_fuzz.operations(f"{sso.url}/api/openapi.json", skip=SKIPPED):
        if operation.path.startswith("/internal/"):
            continue

        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call(base_url=sso.url, headers={"Authorization": token}, timeout=35)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code} "
                    f"{response.text[:300]}"
                )
            case.validate_response(response, checks=[not_a_server_error])

        try:
            api_fuzz.run_examples(operation, examples=EXAMPLES_PER_OPERATION, check=no_server_error)
        except Exception:  # a 5xx is collected above and reported with the others below
            if not failures:
                raise
        ran += 1
    assert ran >= 25
    assert not failures, "\n".join(failures)
    # The admin's token went along: most calls got past authentication.
    assert sum(s not in (401, 403) for s in statuses) > len(statuses) // 2, statuses
