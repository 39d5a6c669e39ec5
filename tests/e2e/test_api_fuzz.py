"""A bounded schemathesis run over the whole API: no 5xx, every response as the document says."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from e2e_support import PRODUCTION, Person
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


# The API's own OpenAPI document, loaded through the WSGI app (serving it touches no database).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@pytest.fixture(autouse=True)
def connections_outlive_requests() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does.

    The bare WSGI handler closes connections at each request's start and end, as a server
    should; here that would close the connection holding the test's transaction.
    """
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_document(case: Any, people: dict[str, Person]) -> None:
    if case.path_parameters and "production" in case.path_parameters:
        case.path_parameters["production"] = PRODUCTION  # others are walled off: see isolation
    token = people["arm1"].token
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
