"""schemathesis generates requests from /api/v1/openapi.json: no request makes a 500.

(The schemathesis pytest plugin does not run under pytest 9 yet, so the operations'
Hypothesis strategies are driven directly; bounded to a few examples per operation.)
"""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

EXAMPLES_PER_OPERATION = 12


def test_no_read_request_makes_a_server_error(app, create_story, create_place):
    place = create_place()
    create_story("La fosse Dutemple", places=[place], themes=["mine"], external_id="demo-1")
    from memoire.search import service

    service.apply_pending_after_commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() != "GET":
            continue  # writes need a token; tests/api covers them
        operations += 1

        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")

        run()
    assert operations >= 15
    assert not failures, "\n".join(failures)
