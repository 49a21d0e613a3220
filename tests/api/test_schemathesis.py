"""Schemathesis over /api/v1/schema/, in process against the WSGI app, as Home Affairs with a
token: no operation answers with a server error, and what it answers matches the schema.

Bounded: a few examples per operation (about a minute in all). `make schemathesis` runs this.
The one-stop push endpoint is left out: its account is a separate permission and its large
batches belong to the dossiers tests. The operations run one after another inside one test
(schemathesis' pytest plugin does not load lazily under this pytest), each as its own
Hypothesis run, and every failure is collected before the test fails.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cchc_portal.wsgi import application

EXAMPLES_PER_OPERATION = 3


def test_api_answers_without_server_errors_and_as_documented(db, home_affairs, unit_a, unit_b):
    headers = {"Authorization": f"Token {Token.objects.create(user=home_affairs).key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", application, headers=headers
    ).exclude(path_regex=r"/dossiers/push/")
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert operations > 20
    assert not failures, "\n\n".join(failures)
