"""No Docker engine runs here, so the compose file is checked as data."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_five_services_with_health_checks():
    services = load_compose()["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    assert all("healthcheck" in service for service in services.values())
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"].startswith("redis:7")
    assert "--appendonly yes" in services["redis"]["command"]
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]


def test_app_services_share_one_image_env_and_media_and_wait_for_the_data_stores():
    services = load_compose()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert service["environment"]["DJANGO_ENV"] == "production"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert "media:/app/var/media" in service["volumes"]
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"


def test_web_migrates_then_runs_gunicorn_and_jobs_run_celery():
    services = load_compose()["services"]
    web = services["web"]["command"]
    assert web.index("migrate") < web.index("gunicorn -c gunicorn.conf.py cchc_portal.wsgi")
    assert services["worker"]["command"].startswith("celery -A cchc_portal worker")
    assert services["beat"]["command"].startswith("celery -A cchc_portal beat")


def test_dockerfile_builds_from_python_311_and_installs_the_pinned_requirements():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile
    assert "USER cchc" in dockerfile


def test_gunicorn_settings_are_one_file_read_from_the_environment(monkeypatch):
    # The Dockerfile and compose both start gunicorn with the same settings file.
    assert '"-c", "gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    monkeypatch.setenv("WEB_CONCURRENCY", "5")
    monkeypatch.setenv("GUNICORN_THREADS", "2")
    monkeypatch.setenv("GUNICORN_ACCESS_LOG", "")
    settings: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), settings)  # noqa: S102 - our own config file
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (5, 2, "gthread")
    assert settings["accesslog"] is None
