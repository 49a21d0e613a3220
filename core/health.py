"""/healthz/: database, cache, storage, disk, and Celery workers where a real broker is set."""

from __future__ import annotations

from django.conf import settings
from health_check.views import HealthCheckView


class PortalHealthCheckView(HealthCheckView):
    # No DNS or mail checks: the province's network is closed and has no resolver to ask.
    @property
    def checks(self):
        checks: list = [
            "health_check.checks.Database",
            "health_check.checks.Cache",
            "health_check.checks.Storage",
            (
                "health_check.contrib.psutil.Disk",
                {
                    "path": str(settings.BASE_DIR),
                    "max_disk_usage_percent": settings.HEALTH_DISK_MAX_PERCENT,
                },
            ),
        ]
        if settings.REDIS_URL:
            checks.append("health_check.contrib.celery.Ping")
        return checks
