"""Celery jobs of the tasks app: thin, each runs one service under a JobRun with a run key."""

from __future__ import annotations

import datetime

from celery import shared_task

from core.jobruns import JOB_TASK_OPTIONS, day_run_key, job_summary, parse_day, tracked_job
from tasks.services import reminders, summary

DEADLINE_SCAN_JOB = "tasks-deadline-scan"
LEADERSHIP_SUMMARY_JOB = "tasks-leadership-summary"


@tracked_job(DEADLINE_SCAN_JOB, run_key=lambda day: day_run_key(DEADLINE_SCAN_JOB, day))
def _deadline_scan(day: datetime.date) -> int:
    return reminders.assignments_remind_deadlines(day=day).total


# The week's run key is its Monday, so a rerun any day of the week sends nothing twice.
@tracked_job(
    LEADERSHIP_SUMMARY_JOB,
    run_key=lambda day: day_run_key(LEADERSHIP_SUMMARY_JOB, summary.week_start(day)),
)
def _leadership_summary(day: datetime.date) -> int:
    return summary.leadership_summaries_send(day=day)


@shared_task(**JOB_TASK_OPTIONS)
def deadline_scan_task(self, day: str | None = None) -> str:
    """Remind units of work due in 7, 3 and 1 days and tell them of newly overdue work; once per
    Vietnam day (run key), and every notification is keyed, so a retry inserts nothing twice."""
    return job_summary(_deadline_scan(parse_day(day)))


@shared_task(**JOB_TASK_OPTIONS)
def leadership_summary_task(self, day: str | None = None) -> str:
    """Mail the weekly summary to leadership and Home Affairs; once per week (run key) and once
    per recipient (a keyed notification claims each mail)."""
    return job_summary(_leadership_summary(parse_day(day)))
