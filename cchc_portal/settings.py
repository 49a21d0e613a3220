"""Settings for the CCHC portal: one file, every knob from the environment.

With no variable set the portal runs embedded: SQLite and a file-system Celery broker under var/.
DATABASE_URL and REDIS_URL switch it to PostgreSQL and Redis; DJANGO_ENV=production hardens it.
Every variable is listed in .env.example.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CCHC_VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_choice("DJANGO_ENV", ("development", "production"), "development")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")
else:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-" + "x" * 40)

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "tree_queries",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "health_check",
    "core",
    "organizations",
    "directives",
    "tasks",
    "dossiers",
    "indicators",
    "notifications",
    "reporting",
    "accounts",
    "integrations",
    "periodic_reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the second factor of this session (django-otp)
    "django_otp.middleware.OTPMiddleware",
    # a person waiting for approval, or a privileged one without a second factor, sees only
    # the page that moves them on (accounts/middleware.py)
    "accounts.middleware.AccountStateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout signal into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_portal.urls"
WSGI_APPLICATION = "cchc_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    }
]

# --- Database ------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    try:
        DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
    except Exception as exc:  # environ raises several types for a malformed URL
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # PostgreSQL's JIT compiles the dashboards' CASE-heavy aggregates for about a second
        # each (measured: 1.1 s of JIT for a 60 ms query); short web queries never repay it.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            # The worker and beat write beside the web process: wait for the lock, don't fail.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
# A PostgreSQL streaming replica for dashboards and exports (core/db.py): reads opt in with
# replica_reads(); writes and every other read stay on the primary. In tests the replica alias
# mirrors the test database's name, so a real replica of the primary serves the same rows.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary)")
    try:
        DATABASES["replica"] = environ.Env.db_url_config(DATABASE_REPLICA_URL)
    except Exception as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a database URL: {exc}") from exc
    DATABASES["replica"].update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
        OPTIONS=dict(DATABASES["default"].get("OPTIONS", {})),
        TEST={"MIRROR": "default"},
    )
DATABASE_ROUTERS = ["core.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker -------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # Shared by every process, so API throttles and login lockout count across workers.
    CACHES = {
        "default": {
            # Fails open: with Redis down pages are computed instead of answering 500.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cchc",
            # A Redis that does not answer must not hold a request for long.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # Embedded: a file cache is shared by the web, worker and beat processes of `make run`.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None
    for folder in ("broker", "broker-control", "cache"):
        (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)

CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
# A killed worker must not acknowledge the job it was running: it is redelivered instead.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 15 * 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 20 * 60, minimum=1)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_TASK_SOFT_TIME_LIMIT={CELERY_TASK_SOFT_TIME_LIMIT} must be below "
        f"CELERY_TASK_TIME_LIMIT={CELERY_TASK_TIME_LIMIT}: the soft limit lets a job stop cleanly."
    )
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    # Redis redelivers an unacknowledged job after this long: keep it above the longest job.
    # (The real-worker test sets a few seconds so a killed worker's job comes back quickly.)
    CELERY_VISIBILITY_TIMEOUT = env_int(
        "CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 10 * 60, minimum=1
    )
    if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
        # Redis would hand a job that is still running to a second worker.
        raise ImproperlyConfigured(
            f"CELERY_VISIBILITY_TIMEOUT={CELERY_VISIBILITY_TIMEOUT} must be above "
            f"CELERY_TASK_TIME_LIMIT={CELERY_TASK_TIME_LIMIT}: Redis redelivers a job still "
            "unacknowledged after the visibility timeout, even while it runs."
        )
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        # kombu looks for jobs to redeliver every interval x throttle seconds (100 s by
        # default); with a short visibility timeout look every second so it is not the delay.
        **(
            {"unacked_restore_interval": 1, "unacked_restore_throttle": 1}
            if CELERY_VISIBILITY_TIMEOUT < 60
            else {}
        ),
    }
    # A Redis that does not answer must not hold a request that queues a job (core.dispatch
    # logs the failure; the job's sweep sends it later): connect within 2 s, retry publishing
    # twice.
    CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = 2
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
# Jobs keep their outcome in their own rows; nobody reads Celery's results. Ignoring them also
# keeps the web processes from subscribing to a Redis channel for every job they queue.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The day of the month the leadership brief is mailed (periodic_reports.brief).
MONTHLY_BRIEF_DAY = env_int("MONTHLY_BRIEF_DAY", 3, minimum=1)
if MONTHLY_BRIEF_DAY > 28:
    raise ImproperlyConfigured("MONTHLY_BRIEF_DAY must be between 1 and 28.")

# One beat schedule for the whole portal; times are Vietnam time (CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    # Nightly: drop expired login sessions so the session table does not grow without end.
    "clear-expired-sessions": {
        "task": "core.jobs.clear_expired_sessions_task",
        "schedule": crontab(hour=2, minute=15),
    },
    # Nightly: delete export files past their seven-day expiry.
    "purge-expired-exports": {
        "task": "reporting.jobs.purge_expired_exports_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # Nightly: remove uploaded unit-import files older than their retention.
    "purge-old-unit-imports": {
        "task": "organizations.jobs.purge_old_unit_import_files_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Every 15 minutes: fold dossiers changed since the last run into the daily rollup.
    "update-dossier-rollups": {
        "task": "dossiers.jobs.update_dossier_rollups_task",
        "schedule": crontab(minute="*/15"),
    },
    # Hourly: claim dossiers that became overdue, and late ones still without an apology.
    "alert-overdue-dossiers": {
        "task": "dossiers.jobs.alert_overdue_dossiers_task",
        "schedule": crontab(minute=5),
    },
    # Daily at 06:50: the deadline scan notifies each unit's head and staff of work due in 7, 3
    # and 1 days and of work newly overdue (mailed at once to those who want it). It runs ten
    # minutes before the 07:00 digest so this morning's reminders are in today's digest.
    "tasks-deadline-scan": {
        "task": "tasks.jobs.deadline_scan_task",
        "schedule": crontab(hour=6, minute=50),
    },
    # Daily at 07:00: one digest mail per user with the notifications not mailed yet (at most
    # one a day; none when there is nothing to say), after the 06:50 deadline scan.
    "notifications-daily-digest": {
        "task": "notifications.jobs.send_daily_digests_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Mondays at 07:30: the leadership summary mail (the province's task figures, the units
    # most overdue, the change since last week) to leadership and Home Affairs, once a week.
    "tasks-leadership-summary": {
        "task": "tasks.jobs.leadership_summary_task",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Nightly: delete notifications read more than NOTIFICATION_RETENTION_DAYS ago.
    "notifications-purge-read": {
        "task": "notifications.jobs.purge_read_notifications_task",
        "schedule": crontab(hour=3, minute=0),
    },
    # Nightly: rescore PAR-Index criteria computed from portal data (task and dossier rates)
    # on every assessment not yet final, so each line shows last night's figures.
    "recompute-computed-criteria": {
        "task": "indicators.jobs.recompute_computed_criteria_task",
        "schedule": crontab(hour=3, minute=0),
    },
    # Nightly at 03:40: compute the values of the KPI targets bound to a dossier figure (online,
    # on-time, paid-online shares) per unit for every period begun by today, from the rollup
    # the 15-minute job keeps fresh; once a day (run key), and safe to run again.
    "compute-kpi-measurements": {
        "task": "indicators.jobs.compute_kpi_measurements_task",
        "schedule": crontab(hour=3, minute=40),
    },
    # Nightly at 23:50: how far each plan year's tasks have got today, per province, unit,
    # directive and CCHC area, for the dashboards' trend chart (`run_job completion-snapshots`
    # with --kwargs '{"day": "2026-11-21"}' recomputes another day).
    "completion-snapshots": {
        "task": "reporting.jobs.compute_completion_snapshots_task",
        "schedule": crontab(hour=23, minute=50),
    },
    # Every minute: the analytics tables (assignment status as data) caught up: the new day,
    # the period ends that passed, any refresh that failed on commit (reporting.analytics).
    "analytics-catch-up": {
        "task": "reporting.jobs.analytics_catch_up_task",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Every minute: webhook deliveries whose next attempt is due (their delayed job may have
    # been lost with a worker) or whose worker died while sending, queued again.
    "requeue-webhook-deliveries": {
        "task": "integrations.jobs.requeue_webhook_deliveries_task",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
    # Nightly at 03:20: idempotency records past IDEMPOTENCY_KEY_HOURS and finished webhook
    # deliveries past WEBHOOK_RETENTION_DAYS deleted.
    "purge-integration-records": {
        "task": "integrations.jobs.purge_integration_records_task",
        "schedule": crontab(hour=3, minute=20),
    },
    # Monthly, on MONTHLY_BRIEF_DAY at 07:15: the leadership brief (the dashboard's figures and
    # the overdue tasks as a .docx) to leadership and Home Affairs, once per person per month.
    "periodic-reports-monthly-brief": {
        "task": "periodic_reports.jobs.send_monthly_briefs_task",
        "schedule": crontab(day_of_month=MONTHLY_BRIEF_DAY, hour=7, minute=15),
    },
    # Nightly at 00:20: the catch-up, then the analytics tables checked against the live
    # derivation; rebuilt (and logged) on any difference, e.g. a bulk write around the services.
    "analytics-nightly": {
        "task": "reporting.jobs.analytics_nightly_task",
        "schedule": crontab(hour=0, minute=20),
    },
    # Every minute: imports and exports whose worker died are taken over or failed (and their
    # owner told), lost messages re-sent, scratch files nobody will finish removed.
    "reap-background-jobs": {
        "task": "core.jobs.reap_background_jobs_task",
        "schedule": crontab(),
        "options": {"expires": 55},
    },
}

# --- Auth ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
# Local passwords can be switched off once everyone signs in through the province's identity
# service (the login page then shows only the single sign-on button).
LOCAL_PASSWORD_LOGIN = env_bool("LOCAL_PASSWORD_LOGIN", True)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.LocalPasswordBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "core.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "core.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "core.password_validation.CommonPasswordValidator"},
    {"NAME": "core.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True  # the timeout counts from the last request, not the login

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip"

# A password-reset link works for this many seconds (and once: a new password voids it).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60, minimum=60)

# Two-factor sign-in (TOTP, django-otp). Required for Home Affairs, leadership and site
# administrators when OTP_REQUIRED is on (the default in production); anyone may turn it on.
# (empty, as in .env.example, means the profile's default)
OTP_REQUIRED = env_bool("OTP_REQUIRED", PRODUCTION) if env_str("OTP_REQUIRED") else PRODUCTION
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Cổng CCHC")
OTP_TOTP_THROTTLE_FACTOR = 1  # each wrong code doubles the wait before the next try

# --- Single sign-on (OpenID Connect, mozilla-django-oidc) ---------------------------------
# Off unless OIDC_CLIENT_ID and either OIDC_ISSUER (endpoints read from its discovery document)
# or the explicit endpoints are set.
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT", "")
# The claim that names the person's portal account (preferred_username, email, sub, ...).
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
_OIDC_EXPLICIT = bool(OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT)
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID and (OIDC_ISSUER or _OIDC_EXPLICIT))
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
OIDC_CLOCK_LEEWAY = env_int("OIDC_CLOCK_LEEWAY", 60, minimum=0)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_REDIRECT_REQUIRE_HTTPS = PRODUCTION
OIDC_CALLBACK_CLASS = "accounts.oidc.CallbackView"
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.AuthenticationRequestView"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.PortalOIDCBackend")
elif not LOCAL_PASSWORD_LOGIN:
    raise ImproperlyConfigured(
        "LOCAL_PASSWORD_LOGIN=false needs single sign-on configured (OIDC_CLIENT_ID and "
        "OIDC_ISSUER or the endpoints): nobody could sign in."
    )
# "Forgot password" mails sent per client address and per hour (more are quietly not sent).
PASSWORD_RESET_RATE = env_int("PASSWORD_RESET_RATE", 5, minimum=1)
# How many reverse proxies stand in front of gunicorn; their X-Forwarded-For entries are trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# --- I18N ----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
# The portal speaks Vietnamese whatever the browser asks for: its users work in Vietnamese.
LANGUAGES = [("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# --- Files ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (evidence, imports) live outside static and are served only by views that
# check permissions; MEDIA_URL is deliberately not routed.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION or env_bool("STATIC_MANIFEST", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Dossier reports in the cut-off convention start on this day of the previous month (15/2-14/3).
DOSSIER_REPORT_CUTOFF_DAY = env_int("DOSSIER_REPORT_CUTOFF_DAY", 15, minimum=1)
if DOSSIER_REPORT_CUTOFF_DAY > 28:
    raise ImproperlyConfigured("DOSSIER_REPORT_CUTOFF_DAY must be between 1 and 28.")
# Dossier imports may be much larger than other uploads (1,000,000 rows is ~100 MB of CSV).
DOSSIER_IMPORT_MAX_BYTES = env_int("DOSSIER_IMPORT_MAX_BYTES", 200 * 1024 * 1024, minimum=1024)
# Largest batch the one-stop system may push in one request.
DOSSIER_PUSH_MAX = env_int("DOSSIER_PUSH_MAX", 1000, minimum=1)
# Seconds a dashboard panel's figures are kept in the shared cache (0: not cached).
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 120, minimum=0)
# Seconds the dashboards' PAR Index ranking is kept under the indicators' data version (it is
# recomputed at once after any change through the services; this bounds how long a change made
# around them can go unseen). 0: computed at every request.
PAR_RANKING_CACHE_SECONDS = env_int("PAR_RANKING_CACHE_SECONDS", 900, minimum=0)
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 30, minimum=1)
# Background rows (imports, exports): a running row whose lease is not renewed for this long
# has lost its worker and is taken over. The heartbeat renews it every third of it. On SQLite
# (one writer at a time) a heartbeat may wait for the job's own transaction, so the lease
# there covers the whole hard time limit.
JOB_LEASE_SECONDS = env_int(
    "JOB_LEASE_SECONDS",
    120 if DATABASES["default"]["ENGINE"].endswith("postgresql") else CELERY_TASK_TIME_LIMIT + 60,
    minimum=3,
)
# A row still queued this long after it was asked for has lost its message: it is sent again.
JOB_QUEUED_RESEND_SECONDS = env_int("JOB_QUEUED_RESEND_SECONDS", 600, minimum=10)
# Scratch files of running jobs (an export's workbook before it is stored).
JOB_TEMP_DIR = Path(env_str("JOB_TEMP_DIR", "") or VAR_DIR / "tmp")
# Size caps of a directive's attached file and of one evidence file of a progress report.
DIRECTIVE_FILE_MAX_BYTES = env_int("DIRECTIVE_FILE_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
# Exports up to this many rows download at once; larger ones run as a job ("My exports").
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 5000, minimum=1)
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7, minimum=1)
# The issuing body and place printed on the official reports' header block.
REPORT_ISSUER_PARENT = env_str("REPORT_ISSUER_PARENT", "UBND TỈNH AN HÒA")
REPORT_ISSUER = env_str("REPORT_ISSUER", "SỞ NỘI VỤ")
REPORT_PLACE = env_str("REPORT_PLACE", "An Hòa")
# LibreOffice's command for the periodic reports' PDF (Debian: libreoffice-writer-nogui); when it
# is not on the PATH the report page says PDF is not available on this machine.
SOFFICE_BINARY = env_str("SOFFICE_BINARY", "soffice")
SOFFICE_TIMEOUT_SECONDS = env_int("SOFFICE_TIMEOUT_SECONDS", 120, minimum=5)

# /healthz/ reports the disk as failing above this share used.
HEALTH_DISK_MAX_PERCENT = env_int("HEALTH_DISK_MAX_PERCENT", 95, minimum=1)

# --- Mail ----------------------------------------------------------------------------------
# Real mail goes through Django's SMTP backend, configured either as one URL (EMAIL_URL) or
# field by field (EMAIL_HOST and the rest). With neither, mails are printed on the console
# (`make run`), or written as files under EMAIL_FILE_PATH when that is set.
EMAIL_URL = env_str("EMAIL_URL", "")
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", "")
if EMAIL_URL and EMAIL_HOST:
    raise ImproperlyConfigured("Set EMAIL_URL or EMAIL_HOST, not both: they configure one server.")
if EMAIL_URL:
    vars().update(environ.Env.email_url_config(EMAIL_URL))
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)  # STARTTLS, port 587
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # implicit TLS, port 465
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (port 465) exclude each other: set one."
        )
    # A mail server that does not answer must not hold a worker for minutes.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
elif EMAIL_FILE_PATH:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cchc-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in mails are absolute: the address users reach the portal at.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
# Read notifications older than this are deleted by the nightly clean-up job.
# --- Integrations: API tokens, idempotent writes, outbound webhooks ------------------------
# How long an Idempotency-Key's first answer is kept (a retry after that writes again).
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24, minimum=1)
# Seconds a webhook receiver has to answer one attempt (connect and read).
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1)
# Attempts of one delivery before it is marked failed ("Gửi lại" still sends it by hand).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
# Backoff between attempts: base, 2 x base, 4 x base... capped at the maximum.
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30, minimum=1)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 3600, minimum=1)
# Delivered and failed deliveries (with their attempt log) are kept this many days.
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 30, minimum=1)

NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 90, minimum=1)

# --- API -----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: DRF answers an anonymous call with the first class's challenge, so a caller
    # without credentials gets 401 + WWW-Authenticate: Token (session auth has no challenge: 403).
    # The integration tokens Home Affairs makes (integrations/tokens.py: Bearer cchc_...) are
    # read first; the older 40-character tokens (drf_create_token) still work after them.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "integrations.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies get the size limit Django gives forms, and a nesting limit (core/api.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.PageSizePagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # One JSON error shape with Vietnamese messages: {"error": {"code", "message", "fields"}}
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_THROTTLE_USER", "2000/hour"),
        "anon": env_str("API_THROTTLE_ANON", "100/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CCHC portal API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # two choice sets named "role" (a person's, an assignment's): named here, no warning
    "ENUM_NAME_OVERRIDES": {
        "PersonRoleEnum": "core.roles.Role",
        "AssignmentRoleEnum": "tasks.models.AssignmentRole",
        "UnitKindEnum": "organizations.models.UnitKind",
    },
}

# --- Security ------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # the review queue frames the portal's own inline evidence (a PDF in the browser's
        # viewer); that response alone may be framed (core.http.evidence_response)
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # gunicorn sits behind a TLS-terminating proxy that sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The demo password of `load_demo` users (never used in production: load_demo refuses there).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "cchc@2026")
