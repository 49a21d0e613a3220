"""Settings are read in a fresh interpreter per case, as a real process would read them."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup();"
    "db = settings.DATABASES['default'];"
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']),"
    " 'cache': settings.CACHES['default']['BACKEND'], 'broker': settings.CELERY_BROKER_URL,"
    " 'debug': settings.DEBUG, 'secure': getattr(settings, 'SESSION_COOKIE_SECURE', False),"
    " 'hsts': getattr(settings, 'SECURE_HSTS_SECONDS', 0), 'tz': settings.TIME_ZONE,"
    " 'lang': settings.LANGUAGE_CODE}))"
)
CLEAR = ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV", "SECRET_KEY", "DEBUG")


def read_settings(tmp_path, **env):
    child_env = {k: v for k, v in os.environ.items() if k not in CLEAR}
    child_env.update(
        DJANGO_SETTINGS_MODULE="cchc_portal.settings", CCHC_VAR_DIR=str(tmp_path), **env
    )
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=child_env, capture_output=True, text=True
    )


def test_embedded_default_uses_sqlite_file_broker_and_no_debug(tmp_path):
    result = read_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].startswith(str(tmp_path))
    assert values["broker"] == "filesystem://"
    assert values["debug"] is False
    assert (values["tz"], values["lang"]) == ("Asia/Ho_Chi_Minh", "vi")


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    result = read_settings(
        tmp_path,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb",
        REDIS_URL="redis://127.0.0.1:6379/5",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "somedb"
    assert values["cache"] == "core.cache.ResilientRedisCache"
    assert values["broker"] == "redis://127.0.0.1:6379/5"


def test_production_requires_a_secret_key(tmp_path):
    result = read_settings(tmp_path, DJANGO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_profile_hardens_cookies_and_hsts(tmp_path):
    result = read_settings(tmp_path, DJANGO_ENV="production", SECRET_KEY="k" * 60)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["secure"] is True
    assert values["hsts"] >= 31536000


def test_a_typo_in_a_boolean_stops_the_process(tmp_path):
    result = read_settings(tmp_path, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_a_visibility_timeout_not_above_the_hard_time_limit_is_refused_naming_both(tmp_path):
    # Redis would hand a job still running to a second worker
    result = read_settings(
        tmp_path,
        REDIS_URL="redis://127.0.0.1:6379/5",
        CELERY_TASK_TIME_LIMIT="1200",
        CELERY_VISIBILITY_TIMEOUT="600",
    )
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT=600" in result.stderr
    assert "CELERY_TASK_TIME_LIMIT=1200" in result.stderr


def test_a_soft_time_limit_not_below_the_hard_one_is_refused(tmp_path):
    result = read_settings(
        tmp_path, CELERY_TASK_SOFT_TIME_LIMIT="1200", CELERY_TASK_TIME_LIMIT="1200"
    )
    assert result.returncode != 0
    assert "CELERY_TASK_SOFT_TIME_LIMIT=1200" in result.stderr
