"""Dashboards and exports read from a real PostgreSQL streaming replica.

Runs only when DATABASE_REPLICA_URL names a replica of DATABASE_URL's server (`make
replica-test` and .ci/run make the pair with tests/replica/pair.sh); the test database is
created on the primary and reaches the replica by streaming replication, as production's
database does. Elsewhere the tests skip, saying why.
"""

from __future__ import annotations

import re
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.db import REPLICA, replica_reads

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(
        REPLICA not in settings.DATABASES,
        reason="no read replica configured (DATABASE_REPLICA_URL); make replica-test runs these",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]

FIGURE = re.compile(r'data-figure="(\d+)"')


def _wait_for_replay(timeout: float = 10.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (written,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)


def _figures(html: str) -> list[int]:
    return [int(value) for value in FIGURE.findall(html)]


def test_the_replica_is_a_standby_of_the_primary():
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_database()")
        in_recovery, name = cursor.fetchone()
    assert in_recovery is True
    assert name == connections["default"].settings_dict["NAME"]


def test_leadership_dashboard_reads_from_the_replica_what_the_primary_wrote(
    client_for, home_affairs, unit_a, head_a
):
    from tests.reporting.factories import build_plan

    client = client_for(home_affairs)
    _wait_for_replay()
    cache.clear()
    before = _figures(client.get(reverse("reporting:leadership_dashboard")).content.decode())

    build_plan({unit_a: ["done_on_time", "overdue", "in_progress"]})
    _wait_for_replay()
    cache.clear()
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(reverse("reporting:leadership_dashboard"))
    after = _figures(response.content.decode())

    assert response.status_code == 200
    assert sum(after) > sum(before)
    assert len(on_replica) > 0
    # The primary served only the session and the user, never a figure.
    read_on_primary = [
        query["sql"]
        for query in on_primary
        if "django_session" not in query["sql"] and query["sql"] not in ("BEGIN", "COMMIT")
    ]
    assert all("organizations_user" in sql for sql in read_on_primary), read_on_primary


def test_a_write_inside_a_replica_block_validates_against_the_primary(unit_a):
    """The replica is held back, so a person made just now exists on the primary only: a
    notification to them, sent inside a replica block, still validates and lands."""
    from notifications.models import Notification
    from notifications.services import notification_send
    from tests.factories import UserFactory

    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        newcomer = UserFactory(unit=unit_a)
        with replica_reads():
            notification_send(
                recipient=newcomer, kind="info", message="Kiểm tra bản sao", dedupe_key="replica"
            )
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    assert Notification.objects.using("default").filter(dedupe_key="replica").count() == 1


def test_export_rows_are_read_from_the_replica(home_affairs, unit_a):
    import io

    from django.http import QueryDict
    from openpyxl import load_workbook

    from reporting.services import export_request
    from tests.reporting.factories import build_plan

    build_plan({unit_a: ["done_on_time", "in_progress"]})
    _wait_for_replay()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        outcome = export_request(user=home_affairs, key="assignments", params=QueryDict(""))

    assert any("tasks_assignment" in query["sql"] for query in on_replica)
    sheet = load_workbook(io.BytesIO(outcome.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    assert len(rows) == 1 + 2  # the header and the two assignments the primary wrote
