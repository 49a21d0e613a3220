from celery import shared_task

from core.jobruns import JOB_TASK_OPTIONS, parse_day, run_tracked
from periodic_reports import brief, services


@shared_task(bind=True, max_retries=3, retry_backoff=True, autoretry_for=(OSError,))
def make_report_pdf_task(self, pdf_id: int) -> str:
    """One report PDF (LibreOffice); safe to run twice: the row is claimed first."""
    row = services.pdf_run(pdf_id=pdf_id)
    return row.status if row else "skipped"


@shared_task(**JOB_TASK_OPTIONS)
def send_monthly_briefs_task(self, day: str | None = None) -> str:
    """The monthly brief to leadership and Home Affairs, once per person per month (the
    BriefDelivery row is the claim, so a second beat or a retry mails nobody twice)."""
    day = parse_day(day)
    run = run_tracked("periodic-reports-monthly-brief", lambda: brief.briefs_send(day=day))
    return run.summary()
