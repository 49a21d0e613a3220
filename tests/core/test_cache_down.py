"""With Redis unreachable the portal still answers: the cache fails open and pages are
computed (slower), the API's throttles let calls through, /healthz/ says the cache is down."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from tests.reporting.factories import build_plan

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
