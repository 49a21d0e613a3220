"""Every run of a background job leaves a JobRun row; once-a-day jobs run once a day.

Use it around the service a Celery job calls::

    @shared_task(**JOB_TASK_OPTIONS)
    def send_daily_digests_task(self, day: str | None = None) -> str:
        day = parse_day(day)
        run = run_tracked(
            "notifications-daily-digest",
            lambda: services.digests_send(day=day),
            run_key=day_run_key("notifications-daily-digest", day),
        )
        return run.summary()

or as a decorator: ``@tracked_job("name", run_key=lambda day=None: day_run_key("name", day))``;
the decorated function then returns the JobRun instead of its own result (an int is the row
count).

Claim rules for a run_key (e.g. "notifications-daily-digest:2026-11-21", the day in Vietnam time):
- no row with the key: insert it (the unique constraint decides between two racing beats) and run;
- a row that succeeded (or is being run by another live task): skip, and record the skip on a row
  of its own, without a key;
- a failed row, a running row older than the hard time limit (its worker died), or a running row
  of the same Celery task id (the broker redelivered the message of a killed worker): take it
  over with a conditional update and run again.
So a crash or failure is retried (by Celery's bounded retries, a redelivery, the next beat or
`run_job`), and a success is never repeated on the same key. Jobs must still be idempotent
inside: a retry re-runs the work a failed attempt had half done.
"""

from __future__ import annotations

import datetime
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any

from celery import current_app, current_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import JobRun, JobRunOutcome

# Celery options for every tracked job: bounded retries with exponential backoff and jitter
# (30 s, 60 s, 120 s... capped at 10 min). acks_late, reject_on_worker_lost and the time limits
# come from settings for every task.
JOB_TASK_OPTIONS: dict[str, Any] = {
    "bind": True,
    "autoretry_for": (Exception,),
    "max_retries": 3,
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
}
ERROR_MAX_CHARS = 4000


def day_run_key(job: str, day: datetime.date | None = None) -> str:
    """'job:YYYY-MM-DD' with today's date in Vietnam time (TIME_ZONE) by default."""
    return f"{job}:{(day or timezone.localdate()).isoformat()}"


def parse_day(value: str | datetime.date | None) -> datetime.date:
    """A job argument 'YYYY-MM-DD' (JSON has no dates), or today in Vietnam time."""
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value) if value else timezone.localdate()


def stale_after() -> datetime.timedelta:
    """A run still 'running' after the hard time limit (plus a margin) has lost its worker."""
    return datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _current_task_id() -> str:
    request = getattr(current_task, "request", None)
    return str(getattr(request, "id", None) or "")


def job_run_claim(*, job: str, run_key: str | None = None) -> JobRun:
    """Claim a run. Returns the JobRun to work under (outcome running), or a row with outcome
    skipped when the key is done or taken by a live run."""
    now = timezone.now()
    task_id = _current_task_id()
    if run_key is None:
        return JobRun.objects.create(job=job, started_at=now, task_id=task_id)
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job, run_key=run_key, started_at=now, task_id=task_id)
    except IntegrityError:
        pass
    existing = JobRun.objects.get(run_key=run_key)
    reclaimable = existing.outcome == JobRunOutcome.FAILED or (
        existing.outcome == JobRunOutcome.RUNNING
        and (existing.started_at < now - stale_after() or (task_id and existing.task_id == task_id))
    )
    if reclaimable:
        # Conditional on what we read, so of two takers only one wins.
        taken = JobRun.objects.filter(
            pk=existing.pk, outcome=existing.outcome, started_at=existing.started_at
        ).update(
            outcome=JobRunOutcome.RUNNING,
            started_at=now,
            finished_at=None,
            rows=0,
            error="",
            task_id=task_id,
        )
        if taken:
            existing.refresh_from_db()
            return existing
        existing.refresh_from_db()
    return JobRun.objects.create(
        job=job,
        started_at=now,
        finished_at=now,
        outcome=JobRunOutcome.SKIPPED,
        task_id=task_id,
        error=f"{run_key}: {existing.get_outcome_display()}"
        f" ({timezone.localtime(existing.started_at):%H:%M:%S %d/%m/%Y})",
    )


def _job_run_finish(run: JobRun, *, outcome: str, rows: int = 0, error: str = "") -> None:
    run.outcome, run.rows, run.error = outcome, rows, error[-ERROR_MAX_CHARS:]
    run.finished_at = timezone.now()
    # Only the row we still own: a run taken over meanwhile (stale) is not overwritten.
    JobRun.objects.filter(pk=run.pk, task_id=run.task_id, started_at=run.started_at).update(
        outcome=run.outcome, rows=run.rows, error=run.error, finished_at=run.finished_at
    )


def run_tracked(job: str, func: Callable[[], Any], *, run_key: str | None = None) -> JobRun:
    """Claim, run `func`, record the outcome. An int result is the number of rows touched.
    A failure is recorded and re-raised, so Celery's retries apply."""
    run = job_run_claim(job=job, run_key=run_key)
    if run.outcome == JobRunOutcome.SKIPPED:
        return run
    try:
        result = func()
    except Exception as exc:
        _job_run_finish(
            run,
            outcome=JobRunOutcome.FAILED,
            error=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}",
        )
        raise
    rows = result if isinstance(result, int) and not isinstance(result, bool) else 0
    _job_run_finish(run, outcome=JobRunOutcome.SUCCEEDED, rows=rows)
    return run


def tracked_job(
    job: str, *, run_key: str | Callable[..., str | None] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., JobRun]]:
    """Decorator form of run_tracked; `run_key` may be a callable of the function's arguments."""

    def decorator(func: Callable[..., Any]) -> Callable[..., JobRun]:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> JobRun:
            key = run_key(*args, **kwargs) if callable(run_key) else run_key
            return run_tracked(job, lambda: func(*args, **kwargs), run_key=key)

        return wrapper

    return decorator


def job_summary(run: JobRun) -> str:
    """A short JSON-safe result for the Celery task."""
    return f"{run.outcome}: {run.rows}"


def job_registry() -> dict[str, str]:
    """Job name -> Celery task name, for `run_job`: every beat entry under its name, and every
    task of the project under its full name and, when unambiguous, its function name."""
    current_app.loader.import_default_modules()  # autodiscovers every app's jobs.py
    registry = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    task_names = sorted(name for name in current_app.tasks if not name.startswith("celery."))
    short: dict[str, list[str]] = {}
    for name in task_names:
        registry.setdefault(name, name)
        short.setdefault(name.rsplit(".", 1)[-1], []).append(name)
    for alias, names in short.items():
        if len(names) == 1:
            registry.setdefault(alias, names[0])
    return registry
