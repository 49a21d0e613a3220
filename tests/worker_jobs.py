"""A job for the real-worker tests only (loaded by the worker through CELERY_IMPORTS when
tests/settings.py sees CCHC_TEST_REAL_WORKER=true). Slow on purpose, so a test can kill the
worker in the middle; each step writes its effect once (a keyed notification)."""

import os
import time

from celery import shared_task
from django.contrib.auth import get_user_model

from core.jobruns import JOB_TASK_OPTIONS, job_summary, run_tracked
from notifications.models import NotificationKind
from notifications.services import notification_send


@shared_task(**JOB_TASK_OPTIONS)
def slow_steps_task(self, *, user_id: int, steps: int, seconds: float, run_key: str) -> str:
    def work() -> int:
        user = get_user_model().objects.get(pk=user_id)
        for step in range(1, steps + 1):
            time.sleep(seconds)
            notification_send(
                recipient=user,
                kind=NotificationKind.INFO,
                message=f"Bước {step}",
                dedupe_key=f"{run_key}:step-{step}",
            )
        return steps

    return job_summary(run_tracked("worker-test", work, run_key=run_key))


# A list export slow on purpose (a second a row) so a test can kill its worker in the middle.
SLOW_EXPORT_KEY = "slow-test-units"


def _slow_code(unit) -> str:
    time.sleep(1)
    return unit.code


def _register_slow_export() -> None:
    from core.excel import Column
    from core.exports import ExportSpec, register
    from organizations.models import OrgUnit

    register(
        ExportSpec(
            key=SLOW_EXPORT_KEY,
            title="Đơn vị (chậm)",
            columns=[Column("code", "Mã", value=_slow_code)],
            rows=lambda user, params: OrgUnit.objects.order_by("code"),
        )
    )


_register_slow_export()


@shared_task(**JOB_TASK_OPTIONS)
def return_report_event_task(self, *, report_id: int, actor_id: int, review_id: int, pause: float):
    """What a workflow service run by a job does: emit an event inside its transaction (here the
    'report returned' of a review already on record), then go on working for `pause` seconds,
    so a test can kill the worker after the commit and before the acknowledgement."""
    from django.db import transaction

    from notifications.events import emit
    from tasks.models import ProgressReport

    report = ProgressReport.objects.select_related("assignment__task__directive").get(pk=report_id)
    with transaction.atomic():
        emit(
            "report.returned",
            actor=get_user_model().objects.get(pk=actor_id),
            subject=report,
            occurrence=review_id,
            reason="Thiếu minh chứng",
        )
    time.sleep(pause)
    return review_id


def _slow_imports(seconds: float) -> None:
    """Each row of a unit or dossier import takes `seconds` longer to check, so a test can
    kill the worker in the middle of the import (CCHC_TEST_SLOW_IMPORT_ROW_SECONDS)."""
    import dossiers.services.imports as dossier_imports
    import organizations.services as unit_services

    check_unit, parse_dossier = unit_services._check_unit_row, dossier_imports.dossier_parse_row

    def slow_unit(row, seen):
        time.sleep(seconds)
        return check_unit(row, seen)

    def slow_dossier(raw, **kwargs):
        time.sleep(seconds)
        return parse_dossier(raw, **kwargs)

    unit_services._check_unit_row = slow_unit
    dossier_imports.dossier_parse_row = slow_dossier


if os.environ.get("CCHC_TEST_SLOW_IMPORT_ROW_SECONDS"):
    _slow_imports(float(os.environ["CCHC_TEST_SLOW_IMPORT_ROW_SECONDS"]))


def _slow_pdf(seconds: float) -> None:
    """A report's PDF waits `seconds` in its scratch folder before LibreOffice converts it, so
    a test can kill the worker in the middle of the job (CCHC_TEST_SLOW_PDF_SECONDS)."""
    import periodic_reports.services as report_services

    convert = report_services.convert_to_pdf

    def slow_convert(docx, workdir):
        time.sleep(seconds)
        return convert(docx, workdir)

    report_services.convert_to_pdf = slow_convert


if os.environ.get("CCHC_TEST_SLOW_PDF_SECONDS"):
    _slow_pdf(float(os.environ["CCHC_TEST_SLOW_PDF_SECONDS"]))
