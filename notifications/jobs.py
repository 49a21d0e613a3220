from celery import shared_task

from notifications import services


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(Exception,))
def send_immediate_mails_task(self, recipient_ids: list[int] | None = None) -> int:
    """Mail new overdue notifications at once; each is claimed, so a rerun mails nothing more."""
    return services.notifications_mail_immediate(recipient_ids=recipient_ids)
