import pytest
from celery.contrib.testing.worker import start_worker

from cchc_portal.celery import app


def _get_health(client):
    response = client.get("/healthz/")
    return response.status_code, response.json()["checks"]


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_every_check_ok(client, settings):
    if settings.REDIS_URL:
        # with a real broker the Celery ping is part of the health: run a worker to answer it
        app.conf.task_always_eager = False
        try:
            with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
                status, checks = _get_health(client)
        finally:
            app.conf.task_always_eager = True
        assert "celery" in checks
    else:
        status, checks = _get_health(client)
    assert status == 200, checks
    assert {"database", "cache", "storage", "disk"} <= set(checks)
    assert set(checks.values()) == {"ok"}


def test_healthz_fails_when_redis_is_set_and_no_worker_answers(client, settings, db):
    if not settings.REDIS_URL:
        pytest.skip("the Celery ping runs only with REDIS_URL set")
    status, checks = _get_health(client)
    assert status == 503
    assert checks["celery"] == "unavailable"
    assert checks["database"] == "ok"


def test_healthz_pings_celery_only_with_a_real_broker(settings):
    from core.health import PortalHealthCheckView

    settings.REDIS_URL = ""
    assert not any("celery" in str(check) for check in PortalHealthCheckView().checks)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert any("celery" in str(check) for check in PortalHealthCheckView().checks)


def _cache_down(settings):
    # a Redis cache on a closed port: the cache check fails the way a dead Redis does
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    settings.REDIS_URL = ""  # no Celery ping: this test is about the cache alone


def test_healthz_answers_503_naming_the_dependency_down_without_leaking_detail(
    client, settings, db
):
    # given a cache that cannot be reached
    _cache_down(settings)
    # when an anonymous monitor asks
    response = client.get("/healthz/")
    # then 503 in JSON, naming the cache, with no error text, path or host
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["cache"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert "detail" not in body
    text = response.content.decode()
    assert str(settings.BASE_DIR) not in text and "127.0.0.1" not in text


def test_healthz_gives_home_affairs_the_detail(client, settings, home_affairs, head_a):
    _cache_down(settings)
    client.force_login(head_a)
    assert "detail" not in client.get("/healthz/").json()
    client.force_login(home_affairs)
    detail = client.get("/healthz/").json()["detail"]
    assert set(detail) == {"cache"} and detail["cache"]
