"""With Redis unreachable the portal still answers: the cache fails open and pages are
computed (slower), the API's throttles let calls through, /healthz/ says the cache is down,
and a write that queues a job is kept, its job sent again by its sweep (core.dispatch)."""

import datetime
import logging
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core import background
from core.models import JobStatus
from reporting.models import Export
from tests.factories import OrgUnitFactory
from tests.reporting.factories import build_plan
from tests.routes import api_list_names
from tests.tasks.factories import DirectiveFactory

CLOSED_PORT_CACHE = {
    "default": {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = CLOSED_PORT_CACHE
    settings.REDIS_URL = ""  # the health check's Celery ping is another test's subject
    return settings


def test_the_cache_answers_as_an_empty_cache_when_redis_is_down(redis_down):
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get("key", "fallback") == "fallback"
    assert cache.get_or_set("computed", lambda: 42) == 42
    assert cache.add("key", "value") is False
    assert cache.get_many(["a", "b"]) == {}


def test_pages_and_api_answer_without_redis(redis_down, client, leader, head_a, unit_a):
    # given a plan with figures to compute
    build_plan({unit_a: ["done_on_time", "overdue"]})
    # when the leader opens the start page, the dashboard and its quarter view
    client.force_login(leader)
    start = client.get("/", follow=True)
    assert start.status_code == 200
    dashboard = client.get(reverse("reporting:leadership_dashboard"), {"period": "quarter"})
    # then the figures are computed and shown
    assert dashboard.status_code == 200
    assert "1/2" in dashboard.content.decode()
    # and the API lists answer, throttled or not
    api = APIClient()
    api.force_authenticate(head_a)
    for url in ("/api/v1/assignments/", "/api/v1/units/", "/api/v1/notifications/"):
        assert api.get(url).status_code == 200, url
    # and the unit head's own pages too
    client.force_login(head_a)
    assert client.get(reverse("tasks:inbox")).status_code == 200
    assert client.get(reverse("reporting:unit_dashboard")).status_code == 200


# --- The broker down too (Redis stopped takes both) ------------------------------------------


def test_every_menu_page_and_api_list_answers_every_persona_with_redis_stopped(
    broker_down, redis_down, people, unit_a, unit_b
):
    from django.test import Client

    from core.navigation import menu_for

    # given figures to compute (the cache would hold them) for both units
    build_plan({unit_a: ["done_on_time", "overdue"], unit_b: ["in_progress"]})
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        pages = {url for group in menu_for(user) for _text, url in group.links}
        assert len(pages) > 3, name
        # then every page of the person's menu answers, and the start page leads to one
        for url in sorted(pages):
            status = client.get(url).status_code
            assert status == 200, f"{name} {url}: {status}"
        assert client.get("/", follow=True).status_code == 200
        # and every API list too (a list outside the role answers 403, never 5xx)
        api = APIClient()
        api.force_authenticate(user)
        for route in api_list_names():
            status = api.get(reverse(route)).status_code
            assert status < 500, f"{name} {route}: {status}"


def test_send_tells_the_caller_and_the_log_when_the_broker_cannot_be_reached(broker_down, caplog):
    from core.dispatch import send
    from reporting.jobs import run_export_task

    # (the logger's own level: another test may leave the root logger at ERROR)
    with caplog.at_level(logging.WARNING, logger="core.dispatch"):
        assert send(run_export_task, 12345) is False
        assert send("reporting.jobs.run_export_task", 12345) is False
    assert "broker unavailable: reporting.jobs.run_export_task(12345,) not queued" in caplog.text


def test_a_large_export_asked_for_with_the_broker_down_is_kept_queued_and_sent_again_later(
    broker_down, redis_down, client_for, home_affairs, province, django_capture_on_commit_callbacks
):
    redis_down.EXPORT_SYNC_MAX_ROWS = 1
    for number in range(3):
        OrgUnitFactory(code=f"X{number}", parent=province)
    client = client_for(home_affairs)
    # when Home Affairs asks for a list too large to download at once
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/bao-cao/xuat-excel/units/")
    # then the request is taken (not a 500): the export is listed as waiting on their page
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == JobStatus.QUEUED
    assert client.get("/bao-cao/xuat-excel/").status_code == 200
    # and once its message counts as lost, the reaper sends it again (here still to no broker:
    # the reaper's own run answers and the row waits for the next one)
    later = timezone.now() + datetime.timedelta(seconds=redis_down.JOB_QUEUED_RESEND_SECONDS + 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert background.reap(now=later)["resent"] == 1
    export.refresh_from_db()
    assert export.status == JobStatus.QUEUED


def test_a_thread_post_with_the_broker_down_is_kept_and_its_readers_are_told(
    broker_down, redis_down, client_for, home_affairs, head_a, head_b, unit_a, unit_b,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from notifications.models import Notification
    from tasks import services as task_services
    from tasks.models import AssignmentPost

    task = task_services.task_create(
        directive=DirectiveFactory(),
        item_number="1",
        title="Rà soát quy trình nội bộ",
        lead_unit=unit_a,
        cooperating_units=[unit_b],
        deadline=datetime.date(2026, 12, 15),
    )
    lead = task.assignments.get(unit=unit_a)
    # when the cooperating unit's head writes on the lead's thread (a notice queues a mail)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(head_b).post(
            reverse("tasks:thread_post", args=[lead.pk]), {"body": "Góp ý", "client_token": "t"}
        )
    # then the post is kept and its readers are told in the portal; their mail waits for the
    # digest (the notice stays unmailed)
    assert response.status_code == 302
    assert AssignmentPost.objects.get().body == "Góp ý"
    notices = Notification.objects.filter(dedupe_key__startswith="thread.posted:")
    assert head_a.pk in set(notices.values_list("recipient_id", flat=True))
    assert not notices.exclude(emailed_at=None).exists()


def test_no_module_queues_a_job_around_core_dispatch():
    """Celery's delay_on_commit raises into the request when the broker is down."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests", "var", "node_modules"}
        and "delay_on_commit(" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
