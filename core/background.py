"""One lifecycle for rows of background work (core.models.BackgroundJob): imports, exports,
generated reports. Each service that runs such a row does::

    row = background.claim(UnitImport, import_id)
    if row is None:
        return None                      # done, or running under a live lease elsewhere
    with background.leased(row):         # a heartbeat keeps the lease while the work runs
        result = ...the work...
    background.succeed(row, fields={"rows_created": result.created})
    # or background.fail(row, error=_("..."), fields={...})

Rules:
- claim: a queued row, or a running row whose lease ran out (its worker died: SIGKILL, a lost
  machine), is taken with one conditional UPDATE, so of two deliveries only one runs; attempts
  counts the takes.
- the lease is pushed forward by a heartbeat thread on its own database connection, so it is
  seen even while the work holds one long transaction; a live job is never taken over however
  long it runs, and a dead one is taken over a lease later, not a visibility timeout later.
- succeed / fail write only while this take still owns the row (same attempts, still running):
  a worker that lost its lease cannot overwrite the row another worker took.
- reap (a beat job, every minute): a running row past its lease is queued again and its task
  re-sent, or failed with a message once it has been tried MAX_ATTEMPTS times; a queued row
  whose message was lost is re-sent. The person who asked is told (hooks below).
Models register with `register()` in their app's ready(); apps that want to hear about finished
rows (notifications) add a hook with `on_finished()`, so core imports no domain app.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dispatch import send_on_commit
from core.models import BackgroundJob, JobStatus

__all__ = ["BackgroundJob", "JobKind", "JobStatus", "MAX_ATTEMPTS"]

logger = logging.getLogger(__name__)

# A row taken this many times without finishing is failed by the reaper, not retried again.
MAX_ATTEMPTS = 3
ERROR_MAX_CHARS = 4000


@dataclass(frozen=True)
class JobKind:
    model: type[BackgroundJob]
    task: str  # the Celery task's name; it takes the row's pk as its one argument
    label: str  # what the row is, for people: "Nhập danh sách đơn vị"
    url: Callable[[BackgroundJob], str] | None = None  # the row's page, for notifications


_KINDS: dict[str, JobKind] = {}
_FINISHED_HOOKS: list[Callable[[JobKind, BackgroundJob], None]] = []


def register(
    model: type[BackgroundJob],
    *,
    task: str,
    label: str,
    url: Callable[[BackgroundJob], str] | None = None,
) -> None:
    _KINDS[model._meta.label] = JobKind(model=model, task=task, label=label, url=url)


def kinds() -> list[JobKind]:
    return list(_KINDS.values())


def kind_of(row: BackgroundJob) -> JobKind | None:
    return _KINDS.get(row._meta.label)


def on_finished(hook: Callable[[JobKind, BackgroundJob], None]) -> None:
    """Call hook(kind, row) after a row succeeded or failed (after the commit)."""
    if hook not in _FINISHED_HOOKS:
        _FINISHED_HOOKS.append(hook)


def lease_duration() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def claim(model: type[BackgroundJob], pk: int) -> BackgroundJob | None:
    """Take a queued row, or a running one whose lease ran out. None when there is nothing to
    take (the row is finished, or a live worker holds it)."""
    now = timezone.now()
    taken = model.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now),
        pk=pk,
    ).update(
        status=JobStatus.RUNNING,
        started_at=now,
        finished_at=None,
        lease_expires_at=now + lease_duration(),
        attempts=F("attempts") + 1,
        error="",
    )
    return model.objects.get(pk=pk) if taken else None


def _owned(row: BackgroundJob):
    return type(row).objects.filter(pk=row.pk, attempts=row.attempts, status=JobStatus.RUNNING)


def heartbeat(row: BackgroundJob) -> bool:
    """Push the lease forward. False when this take no longer owns the row."""
    return bool(_owned(row).update(lease_expires_at=timezone.now() + lease_duration()))


@contextmanager
def leased(row: BackgroundJob) -> Iterator[BackgroundJob]:
    """Keep the row's lease alive while the block runs: a thread beats every third of the
    lease on its own connection (outside the work's transaction)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_LEASE_SECONDS / 3):
                try:
                    if not heartbeat(row):
                        return  # taken over or finished: nothing left to keep alive
                except DatabaseError as exc:  # a busy SQLite, a blip: the next beat tries again
                    logger.warning("heartbeat of %s %s failed: %s", row._meta.label, row.pk, exc)
        finally:
            if connection.connection is not None:
                connection.close()

    thread = threading.Thread(target=beat, name=f"lease-{row._meta.label}-{row.pk}", daemon=True)
    thread.start()
    try:
        yield row
    finally:
        stop.set()
        thread.join(timeout=10)


def _finish(row: BackgroundJob, status: str, error: str, fields: dict) -> bool:
    now = timezone.now()
    values = {
        "status": status,
        "finished_at": now,
        "lease_expires_at": None,
        "error": error[:ERROR_MAX_CHARS],
        **fields,
    }
    # Only the take that still owns the row writes; a worker that lost its lease cannot.
    # A stored file is written as its name (update() bypasses the field's pre_save).
    written = _owned(row).update(
        **{
            name: value.name if isinstance(value, FieldFile) else value
            for name, value in values.items()
        }
    )
    if not written:
        return False
    for name, value in values.items():
        setattr(row, name, value)
    _announce(row)
    return True


def succeed(row: BackgroundJob, *, fields: dict | None = None) -> bool:
    return _finish(row, JobStatus.SUCCEEDED, "", fields or {})


def fail(row: BackgroundJob, *, error: str, fields: dict | None = None) -> bool:
    return _finish(row, JobStatus.FAILED, str(error), fields or {})


def _announce(row: BackgroundJob) -> None:
    kind = kind_of(row)
    if kind is None:
        return
    for hook in _FINISHED_HOOKS:
        transaction.on_commit(lambda hook=hook: hook(kind, row))


def _send(kind: JobKind, pk: int) -> None:
    send_on_commit(kind.task, pk)


def reap(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Take care of rows whose worker died or whose message was lost. Safe to run twice and
    on several workers: every change is a conditional update."""
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    lost_message_after = now - datetime.timedelta(seconds=settings.JOB_QUEUED_RESEND_SECONDS)
    for kind in kinds():
        model = kind.model
        stalled = model.objects.filter(status=JobStatus.RUNNING, lease_expires_at__lt=now)
        for pk, attempts in stalled.values_list("pk", "attempts"):
            same_take = model.objects.filter(
                pk=pk, attempts=attempts, status=JobStatus.RUNNING, lease_expires_at__lt=now
            )
            if attempts >= MAX_ATTEMPTS:
                message = _(
                    "The job stopped %(count)d times before it finished (its worker was lost); "
                    "it was not completed. Start it again."
                ) % {"count": attempts}
                if same_take.update(
                    status=JobStatus.FAILED, finished_at=now, lease_expires_at=None, error=message
                ):
                    counts["failed"] += 1
                    _announce(model.objects.get(pk=pk))
            elif same_take.update(status=JobStatus.QUEUED, lease_expires_at=None):
                counts["requeued"] += 1
                _send(kind, pk)
        for pk in model.objects.filter(
            status=JobStatus.QUEUED, created_at__lt=lost_message_after
        ).values_list("pk", flat=True):
            # claim() is conditional: if the first message arrives too, only one runs
            counts["resent"] += 1
            _send(kind, pk)
    _purge_temp_files(now)
    return counts


def temp_path(row: BackgroundJob, suffix: str) -> Path:
    """A scratch file for one row's work, named after the row: a take-over overwrites what a
    dead worker left, and the reaper removes what nobody will."""
    folder = Path(settings.JOB_TEMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{row._meta.label_lower.replace('.', '-')}-{row.pk}{suffix}"


@contextmanager
def scratch_dir(row: BackgroundJob) -> Iterator[Path]:
    """A scratch folder for one row's work (a converter's input, output and profile), named
    after the row like temp_path: a take-over starts it afresh over what a dead worker left,
    the block's end removes it, and the reaper removes one nobody will finish."""
    path = temp_path(row, "")
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _purge_temp_files(now: datetime.datetime) -> int:
    folder = Path(settings.JOB_TEMP_DIR)
    if not folder.is_dir():
        return 0
    # Older than the hard time limit: no live job can still be writing it.
    limit = now.timestamp() - settings.CELERY_TASK_TIME_LIMIT - 60
    removed = 0
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime >= limit:
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
