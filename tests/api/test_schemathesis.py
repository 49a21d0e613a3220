"""Schemathesis over /api/v1/schema/, in process against the WSGI app, as Home Affairs with a
token: no operation answers with a server error, and what it answers matches the schema.

Bounded: a few examples per operation (about a minute in all). `make test` (and so .ci/run)
runs it with the rest of tests/api; `make schemathesis` runs it alone. Every operation of the
schema is run, the one-stop push included (Home Affairs' token is given the push permission
here; the push's large batches belong to the dossiers tests). The operations run one after
another inside one test (schemathesis' pytest plugin does not load lazily under this pytest),
each as its own Hypothesis run, and every failure is collected before the test fails.
"""

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cchc_portal.wsgi import application
from indicators.sources import register_source, unregister_source
from tests.indicators.factories import TEST_SOURCE

EXAMPLES_PER_OPERATION = 3
# Vietnamese has these letters; an English-only message (a framework default) has none.
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def api_error_shape(ctx, response, case):
    """Bad input answers in the API's own shape, {"error": {"code", "message", ...}}, with a
    Vietnamese message (issue 18: never an HTML page or a bare DRF body)."""
    if not 400 <= response.status_code < 500:
        return
    try:
        body = response.json()
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} is not JSON") from exc
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict) and {"code", "message"} <= set(error), (
        f"{response.status_code} not in the error shape: {str(body)[:300]}"
    )
    assert VIETNAMESE & set(str(error["message"]).lower()), (
        f"{response.status_code} message not in Vietnamese: {error['message']}"
    )


def _some_data(unit_a, unit_b, head_a):
    """A row or two behind most list endpoints, so their serializers meet the schema."""
    import datetime

    from dossiers.services import aggregate_row_save
    from notifications.services import notification_send
    from tasks import services
    from tests.dossiers.factories import make_dossier, make_procedure
    from tests.tasks.factories import DirectiveFactory

    plan = DirectiveFactory(number="5580/KH-UBND", issue_date=datetime.date(2026, 1, 10))
    task = services.task_create(
        directive=plan, item_number="1", title="Rà soát thủ tục", lead_unit=unit_a,
        cooperating_units=[unit_b], deadline=datetime.date(2026, 9, 15), output_kind="activity",
    )  # fmt: skip
    # a standing task ("thường xuyên", no deadline): its assignments send null deadlines
    services.task_create(
        directive=plan, item_number="2", title="Duy trì một cửa", lead_unit=unit_a,
        output_kind="activity",
    )  # fmt: skip
    report = services.report_draft(
        assignment=task.assignments.get(unit=unit_a), author=head_a, percent=30, text="Đang làm"
    )
    services.report_submit(report=report, actor=head_a)
    make_dossier(make_procedure("1.000999"), unit_a)
    aggregate_row_save(
        unit=unit_b, period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31), received_online=2, finished_on_time=1,
        pending_within=1,
    )  # fmt: skip
    notification_send(recipient=head_a, kind="info", message="Thông báo", dedupe_key="st:1")


def _indicator_data(home_affairs, unit_a, unit_b):
    """A framework opened for units A and B (its computed criterion reads a test source)."""
    from indicators.services.assessments import assessments_open
    from tests.indicators.factories import build_framework

    framework = build_framework()
    assessments_open(actor=home_affairs, framework=framework, units=[unit_a, unit_b])


def test_api_answers_without_server_errors_and_as_documented(
    db, home_affairs, head_a, unit_a, unit_b
):
    _some_data(unit_a, unit_b, head_a)
    register_source(TEST_SOURCE, "Tỷ lệ thử nghiệm", lambda unit, year: (None, {}))
    # Calling the WSGI app directly would close the test's database connection after each
    # request (PostgreSQL then loses the test transaction); Django's test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _indicator_data(home_affairs, unit_a, unit_b)
        _run_every_operation(home_affairs)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        unregister_source(TEST_SOURCE)


def _documented_operations(headers) -> int:
    """How many operations the schema documents (each path's HTTP methods)."""
    from django.test import Client

    paths = Client().get("/api/v1/schema/?format=json", headers=headers).json()["paths"]
    methods = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}
    return sum(len(methods & set(operations)) for operations in paths.values())


def _run_every_operation(home_affairs):
    from django.contrib.auth.models import Permission

    home_affairs.user_permissions.add(Permission.objects.get(codename="push_dossiers"))
    headers = {"Authorization": f"Token {Token.objects.create(user=home_affairs).key}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", application, headers=headers
    )
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
                headers=headers,
                checks=[not_a_server_error, response_schema_conformance, api_error_shape],
            )

        try:
            run()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    # every operation the schema documents ran (none skipped or left out)
    assert operations == _documented_operations(headers) > 20
    assert not failures, "\n\n".join(failures)
