def test_healthz_reports_every_check_ok(client, db):
    response = client.get("/healthz/?format=json")
    assert response.status_code == 200
    checks = response.json()
    assert any(name.startswith("Database") for name in checks)
    assert any(name.startswith("Cache") for name in checks)
    assert any(name.startswith("Disk") for name in checks)
    assert set(checks.values()) == {"OK"}


def test_healthz_pings_celery_only_with_a_real_broker(settings, client, db):
    from core.health import PortalHealthCheckView

    settings.REDIS_URL = ""
    assert not any("celery" in str(check) for check in PortalHealthCheckView().checks)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert any("celery" in str(check) for check in PortalHealthCheckView().checks)
