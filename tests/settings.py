"""Test overrides. The database and broker still come from DATABASE_URL / REDIS_URL, so CI runs
the same suite against real PostgreSQL and Redis."""

import os
import re
import tempfile
from pathlib import Path

# Under pytest-xdist each worker process (gw0, gw1...) gets a Redis database of its own, so one
# worker's cache.clear() or real Celery worker never touches another's. The shift is made once:
# the Celery worker a test starts inherits the shifted URL and the marker.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker and os.environ.get("REDIS_URL") and not os.environ.get("CCHC_TEST_REDIS_SHIFTED"):
    _url = os.environ["REDIS_URL"]
    _match = re.search(r"/(\d+)$", _url)
    _base = int(_match.group(1)) if _match else 0
    _db = (_base + int(_xdist_worker.removeprefix("gw") or 0)) % 16
    os.environ["REDIS_URL"] = (_url[: _match.start()] if _match else _url.rstrip("/")) + f"/{_db}"
    os.environ["CCHC_TEST_REDIS_SHIFTED"] = "true"

from cchc_portal.settings import *  # noqa: E402, F403
from cchc_portal.settings import CACHES, REDIS_URL, VAR_DIR  # noqa: E402
from core.env import env_bool  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker process started by a real-worker test reads the uploads the test stored: it is
# given the test's folder.
MEDIA_ROOT = Path(
    os.environ.get("CCHC_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="cchc-test-media-")
)
# Job files are named by job id and each xdist worker has its own database (and ids): a folder
# per worker process, handed down (through the environment) to the Celery worker it starts.
_job_dir_variable = f"CCHC_TEST_JOB_TEMP_DIR{_xdist_worker}"
JOB_TEMP_DIR = Path(
    os.environ.get("JOB_TEMP_DIR")
    or os.environ.setdefault(_job_dir_variable, tempfile.mkdtemp(prefix="cchc-test-jobs-"))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Jobs run inline in ordinary tests; the real-worker tests switch this off for their duration,
# and the worker process they start sets CCHC_TEST_REAL_WORKER=true (and loads the test jobs).
CELERY_TASK_ALWAYS_EAGER = not env_bool("CCHC_TEST_REAL_WORKER", False)
if not CELERY_TASK_ALWAYS_EAGER:
    CELERY_IMPORTS = ["tests.worker_jobs"]
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # One broker folder per xdist worker (as each has its own Redis database above): a real
    # worker started by one process's test must not take the jobs another process queued.
    _broker = f"test-broker-{_xdist_worker}" if _xdist_worker else "test-broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / _broker),
        "data_folder_out": str(VAR_DIR / _broker),
        "control_folder": str(VAR_DIR / f"{_broker}-control"),
        "store_processed": False,
    }
    for folder in (_broker, f"{_broker}-control"):
        (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
else:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "cchc-test"}}

# whitenoise warns when STATIC_ROOT is missing; tests never collect static files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Two-step sign-in off, as in development: the personas sign in with force_login. The tests of
# tests/accounts/ turn it on where they check it.
OTP_REQUIRED = False

# The PAR ranking's cache is keyed on the indicators' history ids, which a new test database
# repeats from one run to the next with other data: tests compute it, except those of the
# cache itself (tests/reporting/test_par_ranking_cache.py), which clear the cache around them.
PAR_RANKING_CACHE_SECONDS = 0
