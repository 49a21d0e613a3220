"""Dossier imports from CSV or XLSX: streamed in one pass, written in batches.

Every row is checked and its errors collected (row, column, reason); good rows go to a
DossierWriter in batches of BATCH_SIZE inside one transaction (on PostgreSQL each batch COPYed
to a staging table and upserted by a writer thread while the next batch is parsed). Without
"skip bad rows" one bad row makes the whole import roll back: nothing is written. Memory stays
bounded: only the unit and procedure lookups, a few batches and the reported errors are held.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from core import background
from core.dispatch import send_on_commit
from core.tabular import ImportFailed, RowError, TableError, read_rows
from core.uploads import check_table, generated_name
from dossiers import policy
from dossiers.models import DossierImport
from dossiers.services.upserts import DossierWriter, Lookups, dossier_parse_row

BATCH_SIZE = 5000
MAX_REPORTED_ERRORS = 1000
PROGRESS_EVERY = 5000
MAX_ROWS = 1_000_000

# Field -> header spellings accepted (the first is the template's). Required fields first.
DOSSIER_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("Mã hồ sơ", "code"),
    "procedure": ("Mã thủ tục", "procedure"),
    "unit": ("Mã đơn vị tiếp nhận", "Mã đơn vị", "unit"),
    "channel": ("Hình thức nộp", "channel"),
    "received_at": ("Ngày tiếp nhận", "received_at"),
    "due_at": ("Ngày hẹn trả", "due_at"),
    "finished_at": ("Ngày hoàn thành", "finished_at"),
    "returned_at": ("Ngày trả kết quả", "returned_at"),
    "state": ("Trạng thái", "state"),
    "fee_required": ("Có phí", "fee_required"),
    "paid_online": ("Thanh toán trực tuyến", "paid_online"),
}
REQUIRED_COLUMNS = ("code", "procedure", "unit", "channel", "received_at")


def progress_key(import_id: int) -> str:
    return f"dossiers:import-progress:{import_id}"


def import_progress(record: DossierImport) -> dict[str, Any] | None:
    """What the running job last reported: {"rows": rows read, "bad": bad rows so far}."""
    return cache.get(progress_key(record.pk))


@transaction.atomic
def dossier_import_start(
    *, uploaded: UploadedFile, user, skip_bad_rows: bool = False, source: str = "import"
) -> DossierImport:
    policy.require(user, policy.DOSSIER_IMPORT)  # before the file is read
    checked = check_table(uploaded)  # size cap, XLSX or UTF-8 CSV by content, zip bomb
    record = DossierImport(
        original_name=checked.name,
        source=source,
        skip_bad_rows=skip_bad_rows,
        created_by=user,
    )
    record.file.save(generated_name(checked), uploaded, save=False)
    record.full_clean()
    record.save()
    from dossiers.jobs import run_dossier_import_task

    send_on_commit(run_dossier_import_task, record.pk)
    return record


def dossier_import_run(*, import_id: int) -> DossierImport | None:
    """Run one queued import (or take over one whose worker died); a second delivery of the
    job finds it claimed and does nothing. Claimed and finished through core.background."""
    record = background.claim(DossierImport, import_id)
    if record is None:
        return None
    try:
        with background.leased(record):
            _run(record)
    except TableError as exc:
        _fail(record, str(exc), [RowError(0, "", str(exc)).as_dict()])
    except ImportFailed as exc:  # rows pointing at a unit or procedure deleted meanwhile
        _fail(
            record,
            _("The file has errors; nothing was imported."),
            [_shown(error) for error in exc.errors],
        )
    except Exception as exc:  # the job must leave a readable state, then re-raise for the log
        message = _("The import failed: %(e)s") % {"e": exc}
        _fail(record, message, [RowError(0, "", message).as_dict()])
        raise
    finally:
        cache.delete(progress_key(import_id))
    return record


def _shown(error: RowError) -> dict:
    """A row error as stored: the column by its field (the push's error shape) and by the
    header the user's file has (the page shows that one)."""
    shown = error.as_dict()
    if error.column in DOSSIER_COLUMNS:
        shown["header"] = DOSSIER_COLUMNS[error.column][0]
    return shown


def _fail(
    record: DossierImport, summary: str, errors: list[dict], *, read: int = 0, bad: int = 0
) -> None:
    background.fail(
        record,
        error=summary,
        fields={"errors": errors, "rows_read": read, "rows_bad": bad, "rows_written": 0},
    )


class _RollBack(Exception):
    """Raised inside the import's transaction to undo it when a bad row forbids any write."""


def _run(record: DossierImport) -> None:
    """One pass: parse each row once, write good rows in batches inside one transaction.

    Without "skip bad rows" the first bad row stops the writing (the rest is still read, so
    every error is reported) and the transaction is rolled back: nothing is written.
    """
    lookups = Lookups.load()
    errors: list[dict] = []
    bad_rows = rows_read = 0
    try:
        with (
            transaction.atomic(),
            record.file.open("rb") as fileobj,
            # The writer upserts each batch while the next one is parsed (two cores at once).
            DossierWriter(source=record.source, batch_size=BATCH_SIZE, overlap=True) as writer,
        ):
            for number, raw in read_rows(
                fileobj, DOSSIER_COLUMNS, required=REQUIRED_COLUMNS, max_rows=MAX_ROWS
            ):
                rows_read += 1
                row, row_errors = dossier_parse_row(raw, row=number, lookups=lookups)
                if row_errors:
                    bad_rows += 1
                    if len(errors) < MAX_REPORTED_ERRORS:
                        errors.extend(_shown(error) for error in row_errors)
                elif bad_rows == 0 or record.skip_bad_rows:
                    writer.add(row)
                if rows_read % PROGRESS_EVERY == 0:
                    cache.set(progress_key(record.pk), {"rows": rows_read, "bad": bad_rows}, 3600)
            if bad_rows and not record.skip_bad_rows:
                raise _RollBack
            written = writer.finish().written
            # Inside the transaction: the rows and the row's success commit together, or neither.
            background.succeed(
                record,
                fields={
                    "rows_read": rows_read,
                    "rows_bad": bad_rows,
                    "rows_written": written,
                    "errors": errors[:MAX_REPORTED_ERRORS],
                },
            )
    except _RollBack:
        summary = _("%(bad)d of %(read)d rows have errors; nothing was written.") % {
            "bad": bad_rows,
            "read": rows_read,
        }
        _fail(record, summary, errors[:MAX_REPORTED_ERRORS], read=rows_read, bad=bad_rows)
        return
    from dossiers.jobs import update_dossier_rollups_task

    transaction.on_commit(update_dossier_rollups_task.delay)
