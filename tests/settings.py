"""Test overrides. The database and broker still come from DATABASE_URL / REDIS_URL, so CI runs
the same suite against real PostgreSQL and Redis."""

import os
import tempfile
from pathlib import Path

from cchc_portal.settings import *  # noqa: F403
from cchc_portal.settings import CACHES, REDIS_URL, VAR_DIR
from core.env import env_bool

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker process started by a real-worker test reads the uploads the test stored: it is
# given the test's folder.
MEDIA_ROOT = Path(
    os.environ.get("CCHC_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="cchc-test-media-")
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
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "test-broker"),
        "data_folder_out": str(VAR_DIR / "test-broker"),
        "control_folder": str(VAR_DIR / "test-broker-control"),
        "store_processed": False,
    }
    for folder in ("test-broker", "test-broker-control"):
        (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)
else:
    CACHES = {"default": {**CACHES["default"], "KEY_PREFIX": "cchc-test"}}

# whitenoise warns when STATIC_ROOT is missing; tests never collect static files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
