"""/healthz/: database, cache, storage, disk, and Celery workers where a real broker is set.

The answer is one short JSON document in every case: 200 when all checks pass, 503 when one
fails (a load balancer reads "unavailable", not a server error). Anonymous callers see only
which dependency is down; the detail (error text, which may name paths or hosts) is for Home
Affairs and site administrators.
"""

from __future__ import annotations

import asyncio

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import JsonResponse
from health_check.views import HealthCheckView

from core.roles import Role, has_role

# The check classes' names as a monitoring tool reads them.
CHECK_NAMES = {
    "Database": "database",
    "Cache": "cache",
    "Storage": "storage",
    "Disk": "disk",
    "Ping": "celery",
}


def _name(check) -> str:
    class_name = type(check).__name__
    return CHECK_NAMES.get(class_name, class_name.lower())


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

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        # request.user is lazy and reads the session from the database: resolve it off the loop
        detailed = await sync_to_async(has_role)(request.user, Role.HOME_AFFAIRS)
        body: dict = {
            "status": "unavailable" if any(result.error for result in results) else "ok",
            "checks": {
                _name(result.check): "unavailable" if result.error else "ok" for result in results
            },
        }
        if detailed:
            body["detail"] = {
                _name(result.check): str(result.error) for result in results if result.error
            }
        return JsonResponse(body, status=503 if body["status"] != "ok" else 200)
