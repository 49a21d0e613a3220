"""Celery jobs of the dossiers app: thin, idempotent, each calls one service."""

from celery import shared_task

from core.jobruns import run_tracked
from dossiers import rollups, services
from dossiers.services import alert_notices

ALERT_JOB = "alert-overdue-dossiers"


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def update_dossier_rollups_task(self) -> int:
    return rollups.rollup_incremental()


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def alert_overdue_dossiers_task(self) -> int:
    """Claim newly overdue dossiers and late ones still without an apology, once each, and
    notify their receiving units' head and staff. Returns how many dossiers were claimed."""
    run = run_tracked(ALERT_JOB, lambda: alert_notices.dossier_alerts_notify().claimed)
    return run.rows


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def run_dossier_import_task(self, import_id: int) -> str:
    record = services.dossier_import_run(import_id=import_id)
    return record.status if record else "skipped"
