from celery import shared_task
from django.utils import timezone

from reporting import services, snapshots


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def run_export_task(self, export_id: int) -> str:
    export = services.export_run(export_id=export_id)
    return export.status if export else "skipped"


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def purge_expired_exports_task(self) -> int:
    return services.exports_purge_expired()


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def compute_completion_snapshots_task(self, day: str | None = None) -> int:
    """Nightly: today's completion snapshots (an ISO date recomputes another day). Safe to run
    twice: the rows are upserted by scope, key, year and day."""
    import datetime

    as_of = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return snapshots.snapshots_compute(day=as_of)


@shared_task(bind=True, max_retries=1, autoretry_for=(OSError,))
def warm_leadership_dashboard_task(self) -> int:
    """Every minute: the leadership dashboard's default panels, recomputed onto the cache
    before they expire. Safe anywhere and twice: it only overwrites cache entries."""
    from django.conf import settings
    from django.utils import translation

    from core.roles import Role
    from organizations.models import User
    from reporting.dashboards.panels import warm_leadership_panels

    viewer = (
        User.objects.filter(is_active=True, role__in=[Role.LEADER, Role.HOME_AFFAIRS])
        .order_by("role", "pk")
        .first()
    )
    if viewer is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):  # the keys carry the page's language
        return warm_leadership_panels(viewer)
