"""Exports: small ones stream in the response, large ones run as a job with an Export row."""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook

from core import background
from core.db import replica_reads
from core.dispatch import send_on_commit
from core.excel import write_list_sheet
from core.exports import ExportSpec, csv_lines, get_spec
from reporting import policy
from reporting.models import Export

PROGRESS_EVERY = 2000


@dataclass
class ExportOutcome:
    """Either the finished file (small exports) or the queued Export row (large ones)."""

    content: bytes | None = None
    filename: str = ""
    export: Export | None = None


def _spec_or_404(key: str) -> ExportSpec:
    spec = get_spec(key)
    if spec is None:
        raise Http404
    return spec


def _params_to_querydict(params: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, values)
    return query


def _filename(spec: ExportSpec, extension: str = "xlsx") -> str:
    return f"{slugify(spec.file_stem)}-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def _write_workbook(spec: ExportSpec, rows, path: Path, on_progress=None) -> int:
    workbook = Workbook(write_only=True)

    def counted(iterable):
        for number, row in enumerate(iterable, start=1):
            yield row
            if on_progress and number % PROGRESS_EVERY == 0:
                on_progress(number)

    # The rows are pure reads: a replica serves them (progress is written to the primary).
    with replica_reads():
        written = write_list_sheet(workbook, str(spec.title), spec.columns, counted(rows))
    workbook.save(path)
    return written


def export_request(*, user, key: str, params: QueryDict) -> ExportOutcome:
    """Export the rows the user's filtered list shows; large lists become a background job."""
    policy.require(user, policy.EXPORT_START)
    spec = _spec_or_404(key)
    queryset = spec.rows(user, params)
    limit = settings.EXPORT_SYNC_MAX_ROWS
    total_probe = len(queryset.values_list("pk", flat=True)[: limit + 1])
    if total_probe <= limit:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
            _write_workbook(spec, queryset.iterator(chunk_size=1000), Path(handle.name))
            return ExportOutcome(content=Path(handle.name).read_bytes(), filename=_filename(spec))
    return ExportOutcome(export=_export_queue(user=user, spec=spec, params=params))


def export_csv(*, user, key: str, params: QueryDict):
    """The filtered list as CSV lines, streamed whatever its size (a list that offers CSV);
    the same rows as the Excel export."""
    policy.require(user, policy.EXPORT_START)
    spec = _spec_or_404(key)
    if not spec.csv:
        raise Http404
    rows = spec.rows(user, params).iterator(chunk_size=2000)
    return csv_lines(spec.columns, rows), _filename(spec, "csv")


@transaction.atomic
def _export_queue(*, user, spec: ExportSpec, params: QueryDict) -> Export:
    from reporting.jobs import run_export_task

    export = Export(user=user, key=spec.key, title=str(spec.title), params=dict(params.lists()))
    export.full_clean()
    export.save()
    send_on_commit(run_export_task, export.pk)
    return export


def export_run(*, export_id: int) -> Export | None:
    """Write one queued export. Safe to run twice: the row is claimed through core.background,
    which also takes over a row whose worker died (its lease ran out) and fails it after a few
    tries; its scratch workbook is named after the row, so a take-over overwrites it."""
    export = background.claim(Export, export_id)
    if export is None:
        return None
    export = Export.objects.select_related("user").get(pk=export.pk)
    spec = get_spec(export.key)
    scratch = background.temp_path(export, ".xlsx")
    try:
        if spec is None:
            raise LookupError(f"unknown export {export.key}")
        queryset = spec.rows(export.user, _params_to_querydict(export.params))
        total = queryset.count()
        Export.objects.filter(pk=export.pk).update(rows_total=total, rows_written=0)

        def progress(done: int) -> None:
            Export.objects.filter(pk=export.pk).update(rows_written=done)

        with background.leased(export):
            written = _write_workbook(
                spec, queryset.iterator(chunk_size=PROGRESS_EVERY), scratch, progress
            )
            with open(scratch, "rb") as produced:
                export.file.save(_filename(spec), File(produced), save=False)
    except Exception as exc:  # the row must say why; the job itself does not retry a bad export
        background.fail(export, error=str(exc)[:2000])
        return export
    finally:
        scratch.unlink(missing_ok=True)
    finished = timezone.now()
    background.succeed(
        export,
        fields={
            "rows_written": written,
            "rows_total": written,
            "file": export.file,
            "expires_at": finished + datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS),
        },
    )
    return export


def exports_purge_expired() -> int:
    """Delete export files past their expiry (7 days by default) and their rows."""
    purged = 0
    for export in Export.objects.filter(expires_at__lt=timezone.now()).only("pk", "file"):
        if export.file:
            export.file.delete(save=False)
        export.delete()
        purged += 1
    return purged
