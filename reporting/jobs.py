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
def analytics_catch_up_task(self) -> dict:
    """Every minute: the analytics tables' running day moved to today, the period ends that
    passed frozen, the assignments whose refresh on commit failed refreshed. Safe anywhere and
    twice (one advisory lock)."""
    from reporting.analytics import status

    return status.catch_up()


@shared_task(bind=True, max_retries=1, autoretry_for=(OSError,))
def analytics_nightly_task(self) -> dict:
    """Nightly: the catch-up, then the check; a rebuild on any difference."""
    from reporting.analytics import status

    return status.nightly()
