"""Property-based run over the OpenAPI document, with valid and invalid requests: no 5xx,
no response that breaks the schema, invalid input refused with a 4xx."""

from __future__ import annotations

import time

import schemathesis
from dashboard_api.auth.service import SESSION_COOKIE
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
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
    schema = schemathesis.openapi.from_url(f"{api.url}/api/openapi.json")
    cookie = {SESSION_COOKIE: admin.client.cookies[SESSION_COOKIE]}
    started = time.monotonic()
    ran = []
    statuses: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") in SKIPPED:
            continue

        @given(
            case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
            | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
        )
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case) -> None:
            response = case.call(base_url=api.url, cookies=cookie)
            statuses.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        conforms()
        ran.append(operation.definition.raw.get("operationId"))
    assert len(ran) >= 25
    # The admin's cookie went along: most calls got past authentication.
    assert sum(s not in (401, 403) for s in statuses) > len(statuses) // 2
    assert time.monotonic() - started < 90
