"""Queue a Celery job once the request's transaction commits, without failing the request when
the broker cannot be reached.

Every job the portal queues this way has a sweep that sends it again once the broker is back,
so the person's work (already committed) is never lost and never answers 500:
- job rows (imports, exports, report PDFs) stay "queued" and the reaper re-sends them after
  JOB_QUEUED_RESEND_SECONDS (core.background.reap);
- an immediate mail's notification stays unmailed and goes out in the morning's digest;
- an assessment's or KPI's computed figures are recomputed by the nightly jobs;
- a webhook delivery stays pending and the every-minute requeue sends it.
Use `send_on_commit` instead of Celery's `delay_on_commit`, which raises into the request.
"""

from __future__ import annotations

import logging
from functools import partial

from celery import Task, current_app
from django.db import transaction
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# Told to a person who asked for a recomputation now while the broker cannot be reached.
QUEUE_DOWN_MESSAGE = gettext_lazy(
    "The background queue cannot be reached just now, so this was not started: the nightly "
    "job recomputes these figures. Try again later to have them at once."
)


def send_on_commit(task: Task | str, *args, **kwargs) -> None:
    """Queue `task` (a task, or a task's name) with these arguments after the commit."""
    # a partial, not a lambda: tests that capture on-commit work can tell which job it queues
    transaction.on_commit(partial(send, task, *args, **kwargs))


def send(task: Task | str, *args, **kwargs) -> bool:
    """Queue `task` now; False (and a warning in the log) when the broker cannot be reached."""
    name = task if isinstance(task, str) else task.name
    try:
        if isinstance(task, str):
            current_app.send_task(
                task, args=args, kwargs=kwargs, ignore_result=current_app.conf.task_ignore_result
            )
        else:
            task.apply_async(args, kwargs)  # honours CELERY_TASK_ALWAYS_EAGER (tests)
    except (OperationalError, OSError) as exc:
        logger.warning(
            "broker unavailable: %s%r not queued, its sweep sends it later (%s)", name, args, exc
        )
        return False
    return True
