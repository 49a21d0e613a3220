from celery import shared_task
from django.conf import settings

from core.jobruns import JOB_TASK_OPTIONS, day_run_key, job_summary, parse_day, run_tracked
from notifications import services

DIGEST_JOB = "notifications-daily-digest"
PURGE_JOB = "notifications-purge-read"


@shared_task(**JOB_TASK_OPTIONS)
def send_daily_digests_task(self, day: str | None = None) -> str:
    """One digest mail per user for the day (Vietnam time); once per day (run key), and each
    user and notification is claimed, so a retry or a second beat sends nothing twice."""
    digest_day = parse_day(day)
    run = run_tracked(
        DIGEST_JOB,
        lambda: services.digests_send(day=digest_day),
        run_key=day_run_key(DIGEST_JOB, digest_day),
    )
    return job_summary(run)


@shared_task(**JOB_TASK_OPTIONS)
def send_immediate_mails_task(self, recipient_ids: list[int] | None = None) -> int:
    """Mail new overdue notifications at once; each is claimed, so a rerun mails nothing more.
    Queued on commit by the send services, so not recorded as a JobRun (it runs very often)."""
    return services.notifications_mail_immediate(recipient_ids=recipient_ids)


@shared_task(**JOB_TASK_OPTIONS)
def purge_read_notifications_task(self) -> str:
    """Delete notifications read long ago; running it twice deletes nothing more."""
    run = run_tracked(
        PURGE_JOB,
        lambda: services.notifications_purge_read(
            older_than_days=settings.NOTIFICATION_RETENTION_DAYS
        ),
    )
    return job_summary(run)
