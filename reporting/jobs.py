from celery import shared_task

from reporting import services


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def run_export_task(self, export_id: int) -> str:
    export = services.export_run(export_id=export_id)
    return export.status if export else "skipped"


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def purge_expired_exports_task(self) -> int:
    return services.exports_purge_expired()
