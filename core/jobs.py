from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(Exception,))
def clear_expired_sessions_task(self) -> int:
    """Delete expired sessions; running it twice deletes nothing more."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(Exception,))
def reap_background_jobs_task(self) -> dict[str, int]:
    """Imports and exports whose worker died: taken over or failed; lost messages re-sent."""
    from core import background

    return background.reap()
