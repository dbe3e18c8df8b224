"""Property-based run over the OpenAPI document, with valid and invalid requests: no 5xx,
no response that breaks the schema, invalid input refused with a 4xx."""

from __future__ import annotations

from dashboard_api.auth.service import SESSION_COOKIE
from devstack.testing import api_fuzz
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

# Logging out would end the session every later call runs with.
SKIPPED = {"auth-logout"}
EXAMPLES_PER_OPERATION = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
]


def test_the_api_keeps_its_schema_for_generated_requests(api, admin) -> None:
    cookie = {SESSION_COOKIE: admin.client.cookies[SESSION_COOKIE]}
    ran = []
    statuses: list[int] = []
    for operation in api_fuzz.operations(f"{api.url}/api/openapi.json", skip=SKIPPED):

        def conforms(case) -> None:
            response = case.call(base_url=api.url, cookies=cookie)
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        api_fuzz.run_examples(operation, examples=EXAMPLES_PER_OPERATION, check=conforms)
        ran.append(api_fuzz.operation_id(operation))
    assert len(ran) >= 25
    # The admin's cookie went along: most calls got past authentication.
    assert sum(s not in (401, 403) for s in statuses) > len(statuses) // 2
