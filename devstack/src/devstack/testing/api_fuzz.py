"""Generated requests over an OpenAPI document (schemathesis + Hypothesis), with the settings
every such test of this repository uses: valid and invalid requests, reproducible (derandomized,
no example database), no deadline, no health checks, `examples` per operation.

    for operation in operations(f"{url}/api/openapi.json", skip={"auth-logout"}):
        run_examples(operation, examples=12, check=lambda case: ...)

dashboard-api/tests/test_schemathesis.py (the app alone, all schema checks) and
tests/test_e2e_schemathesis.py (through nginx, no 5xx) both run this way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any


def operations(schema_url: str, *, skip: Collection[str] = ()) -> Iterator[Any]:
    """The operations of the document at `schema_url`, but those whose operationId is in `skip`."""
    import schemathesis

    schema = schemathesis.openapi.from_url(schema_url)
    for result in schema.get_all_operations():
        operation: Any = result.ok()  # type: ignore[union-attr]  # an Err raises here
        if operation.definition.raw.get("operationId") not in skip:
            yield operation


def operation_id(operation: Any) -> str:
    return str(operation.definition.raw.get("operationId"))


def run_examples(operation: Any, *, examples: int, check: Callable[[Any], None]) -> None:
    """Call `check(case)` on `examples` generated cases (valid and invalid) of `operation`;
    Hypothesis shrinks and reraises the first failure."""
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.generation.modes import GenerationMode

    @given(
        case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE)
        | operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    )
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def each(case: Any) -> None:
        check(case)

    each()
