from celery import shared_task
from django.conf import settings

from organizations import services


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def run_unit_import_task(self, import_id: int) -> str:
    record = services.unit_import_run(import_id=import_id)
    return record.status if record else "skipped"


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def purge_old_unit_import_files_task(self) -> int:
    return services.unit_imports_purge(older_than_days=settings.IMPORT_RETENTION_DAYS)
