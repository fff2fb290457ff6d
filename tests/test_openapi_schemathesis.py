"""Property-based: schemathesis generates requests from each dialect's OpenAPI document
(gql/rest/openapi.py) for every documented operation, sends them to the app in process
as a company owner, and checks that no answer is a 5xx and that every answer (its
status, content type and body) is one the document allows. A few examples per
operation keep it to seconds; the books are seeded so that lists answer rows."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 2  # per operation
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def generated_cases(operations: list[Any]) -> list[Any]:
    """A few cases of every operation, drawn by Hypothesis without running them (the
    requests go through the test's own async client). One run draws one case of each
    operation per example, so Hypothesis starts once, not once per operation."""
    strategies = [operation.as_strategy() for operation in operations]
    cases: list[Any] = []

    @hypothesis_settings(
        max_examples=EXAMPLES,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        cases.extend(data.draw(strategy) for strategy in strategies)

    collect()
    return cases


async def seed(api: Any, owner: Any) -> None:
    """A row in the main lists, so their rows meet the documented row schemas."""
    contact = await api.contact(owner)
    await api.item(owner)
    await api.tax(owner)
    await api.document(owner, contact["id"])


@pytest.mark.parametrize("prefix", ["/api", "/openapi"])
async def test_every_documented_operation_answers_as_documented(client, api, prefix):
    # given
    owner = await api.register()
    await seed(api, owner)
    document = (await client.get(f"{prefix}/openapi.json")).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == sum(len(p) for p in document["paths"].values())
    failures: dict[str, str] = {}
    # when: every case is sent as the owner
    for case in generated_cases(operations):
        label = case.operation.label
        if label in failures:
            continue
        sent = case.as_transport_kwargs(base_url=f"http://test{prefix}", headers=owner.headers)
        response = await client.request(
            sent["method"],
            sent["url"],
            headers=sent.get("headers"),
            params=sent.get("params"),
            content=sent.get("data"),
            json=sent.get("json"),
        )
        # then
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as exc:  # every failing operation is reported, not the first
            failures[label] = f"{label}: {str(exc)[:3000]}"
    assert failures == {}, "\n\n".join(failures.values())
