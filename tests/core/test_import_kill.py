"""Background jobs a person asked for (the unit import, the dossier import, a periodic report's
PDF) on a real worker process killed with SIGKILL in the middle (issue 18's acceptance): under
a visibility timeout shorter than the job and one longer, each ends succeeded or failed with a
message, exactly once, is never left "running" after its lease, and leaves no scratch file.
The export's kill test is in tests/notifications/test_worker.py; both use tests/worker_harness."""

import datetime
import importlib
import shutil
import time
from dataclasses import dataclass

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core import background
from core.models import JobStatus
from notifications.models import NotificationKind
from tests.worker_harness import (  # noqa: F401 - real_broker is a fixture
    kill,
    kill_while_running,
    real_broker,
    start_worker_process,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 8
ROW_SECONDS = "1"  # each row of the import takes a second longer to check: ~8 s a run
PDF_SECONDS = "6"  # the PDF waits in its scratch folder before LibreOffice converts it
# Visibility shorter than the job: Redis hands the message to the new worker while the
# killed take still holds the row (the claim refuses it until the lease runs out; the reaper
# re-sends it). The settings refuse a visibility timeout at or below the hard time limit, so
# the limits go down with it (the solo pool does not enforce them; the lease is what counts).
SHORT = {
    "CELERY_VISIBILITY_TIMEOUT": "4",
    "CELERY_TASK_TIME_LIMIT": "3",
    "CELERY_TASK_SOFT_TIME_LIMIT": "2",
}
LONG = {"CELERY_VISIBILITY_TIMEOUT": "3600"}  # the broker never redelivers within the test


@dataclass
class Job:
    """A started job: its row, what it wrote that stays (a count) and what that should be."""

    model: type
    record: object
    owner: object
    effect: object  # () -> int
    expected: int


def _unit_import(user):
    from organizations.models import UnitImport
    from organizations.services import UNIT_COLUMNS, unit_import_start

    header = ",".join(spellings[0] for spellings in UNIT_COLUMNS.values())
    lines = [f"KILL-{n},Đơn vị {n},,department,province,,,,," for n in range(ROWS)]
    body = "\n".join([header, *lines]).encode()
    record = unit_import_start(uploaded=SimpleUploadedFile("dv.csv", body), user=user)

    def effect() -> int:
        from organizations.models import OrgUnit

        return OrgUnit.objects.filter(code__startswith="KILL-").count()

    return Job(UnitImport, record, user, effect, ROWS)


def _dossier_import(user):
    from dossiers.models import Dossier, DossierImport
    from dossiers.services import dossier_import_start
    from tests.dossiers.factories import make_procedure

    make_procedure("1.001", time_limit=3)
    header = "Mã hồ sơ,Mã thủ tục,Mã đơn vị tiếp nhận,Hình thức nộp,Ngày tiếp nhận"
    lines = [f"KILL-{n},1.001,{user.unit.code},Trực tuyến,16/03/2026 09:00" for n in range(ROWS)]
    body = "\n".join([header, *lines]).encode()
    record = dossier_import_start(uploaded=SimpleUploadedFile("hs.csv", body), user=user)

    def effect() -> int:
        return Dossier.objects.filter(code__startswith="KILL-").count()

    return Job(DossierImport, record, user, effect, ROWS)


def _report_pdf(user):
    from periodic_reports import services
    from periodic_reports.models import ReportKind, ReportPdf

    # the province's Q3 report, its figures taken as there (the empty-window check is apart);
    # the kinds and the eight areas are put back (an earlier transactional test flushed them)
    importlib.import_module("directives.migrations.0002_cchc_areas").seed(django_apps, None)
    services.report_kinds_seed()
    kind = ReportKind.objects.get(code="q3")
    round_ = services.round_open(actor=user, kind=kind, year=2026, day=datetime.date(2026, 10, 1))
    version = services.report_save(report=round_.reports.get(unit=None), actor=user)
    version.figures["has_data"] = True
    version.save()
    record = services.pdf_request(version=version, actor=user)

    def effect() -> int:
        row = ReportPdf.objects.get(pk=record.pk)
        return int(bool(row.file) and row.file.name.endswith(".pdf"))

    return Job(ReportPdf, record, user, effect, 1)


def _full_speed(env: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in env.items() if not name.startswith("CCHC_TEST_SLOW_")}


@pytest.mark.parametrize("limits", [SHORT, LONG], ids=["visibility-shorter", "visibility-longer"])
@pytest.mark.parametrize(
    "start", [_unit_import, _dossier_import, _report_pdf], ids=["units", "dossiers", "report-pdf"]
)
def test_a_job_whose_worker_is_killed_ends_once_and_never_stays_running(
    real_broker,  # noqa: F811
    home_affairs,
    tmp_path,
    settings,
    start,
    limits,
):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the kill test runs on Redis")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can share: set DATABASE_URL")
    if start is _report_pdf and shutil.which(settings.SOFFICE_BINARY) is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs it")
    env = {
        "JOB_LEASE_SECONDS": "3",
        "JOB_TEMP_DIR": str(tmp_path),
        "CCHC_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CCHC_TEST_SLOW_IMPORT_ROW_SECONDS": ROW_SECONDS,
        "CCHC_TEST_SLOW_PDF_SECONDS": PDF_SECONDS,
        **limits,
    }
    log = tmp_path / "worker.log"
    first = start_worker_process(log, **env)
    second = None
    try:
        # given a job (queued on commit) running on a worker that renews a 3-second lease
        job = start(home_affairs)
        model, record = job.model, job.record
        # when its worker is killed in the middle
        kill_while_running(record, first, log)
        assert job.effect() == 0  # all or nothing: the killed take wrote nothing that stays
        # and a new worker starts, with the reaper running as beat runs it (at full speed:
        # only the first take needs to be slow enough to be killed in the middle)
        second = start_worker_process(log, **_full_speed(env))

        def finished() -> bool:
            background.reap()
            return model.objects.filter(
                pk=record.pk, status__in=(JobStatus.SUCCEEDED, JobStatus.FAILED)
            ).exists()

        wait_for(finished, timeout=180, what=f"the job to finish (worker log: {log})")
        wait_for(
            job.owner.notifications.filter(kind=NotificationKind.JOB).exists,
            timeout=10,
            what="the notice to the person who started the job",
        )
        time.sleep(2)  # a late redelivery, if any, would run now: it must find nothing to do
    finally:
        for process in (first, second):
            if process is not None:
                kill(process)
    # then the job ended once: succeeded on the second take, every row (the file) written
    # once, one notice, no lease left, no scratch file, and a redelivery or another reap
    # changes nothing
    record.refresh_from_db()
    assert (record.status, record.error) == (JobStatus.SUCCEEDED, "")
    assert record.attempts == 2
    assert record.lease_expires_at is None
    assert job.effect() == job.expected
    assert job.owner.notifications.filter(kind=NotificationKind.JOB).count() == 1
    assert background.reap() == {"requeued": 0, "failed": 0, "resent": 0}
    assert [path.name for path in tmp_path.iterdir() if path != log] == []
