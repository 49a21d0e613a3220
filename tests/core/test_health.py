import pytest
from celery.contrib.testing.worker import start_worker

from cchc_portal.celery import app


def _get_health(client):
    response = client.get("/healthz/?format=json")
    return response.status_code, response.json()


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
        assert any(name.startswith("Ping") for name in checks)
    else:
        status, checks = _get_health(client)
    assert status == 200, checks
    assert any(name.startswith("Database") for name in checks)
    assert any(name.startswith("Cache") for name in checks)
    assert any(name.startswith("Disk") for name in checks)
    assert set(checks.values()) == {"OK"}


def test_healthz_fails_when_redis_is_set_and_no_worker_answers(client, settings, db):
    if not settings.REDIS_URL:
        pytest.skip("the Celery ping runs only with REDIS_URL set")
    status, checks = _get_health(client)
    assert status == 500
    assert "unavailable" in " ".join(checks.values()).lower()


def test_healthz_pings_celery_only_with_a_real_broker(settings):
    from core.health import PortalHealthCheckView

    settings.REDIS_URL = ""
    assert not any("celery" in str(check) for check in PortalHealthCheckView().checks)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert any("celery" in str(check) for check in PortalHealthCheckView().checks)
