"""Celery jobs of the dossiers app: thin, idempotent, each calls one service."""

import logging

from celery import shared_task

from dossiers import rollups, services

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def update_dossier_rollups_task(self) -> int:
    return rollups.rollup_incremental()


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def alert_overdue_dossiers_task(self) -> int:
    """Claim newly overdue dossiers and late ones still without an apology, once each.

    The notifications app is wired in later; until then the claimed dossiers are logged.
    """
    overdue = services.dossiers_claim_overdue_alerts()
    apologies = services.dossiers_claim_apology_alerts()
    for dossier in overdue:
        logger.info("overdue dossier %s at unit %s", dossier.code, dossier.unit.code)
    for dossier in apologies:
        logger.info("late dossier %s without apology at unit %s", dossier.code, dossier.unit.code)
    return len(overdue) + len(apologies)


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def run_dossier_import_task(self, import_id: int) -> str:
    record = services.dossier_import_run(import_id=import_id)
    return record.status if record else "skipped"
