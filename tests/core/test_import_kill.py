"""Imports on a real worker process killed with SIGKILL in the middle (issue 18's acceptance):
under a visibility timeout shorter than the job and one longer, each import ends succeeded or
failed with a message, exactly once, and is never left "running" after its lease."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core import background
from core.models import JobStatus
from notifications.models import NotificationKind
from tests.notifications.test_worker import (  # noqa: F401 - real_broker is a fixture
    _kill,
    _start_worker_process,
    kill_while_running,
    real_broker,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 8
ROW_SECONDS = "1"  # each row of the import takes a second longer to check: ~8 s a run
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

    return UnitImport, record, effect


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

    return DossierImport, record, effect


@pytest.mark.parametrize("limits", [SHORT, LONG], ids=["visibility-shorter", "visibility-longer"])
@pytest.mark.parametrize("start", [_unit_import, _dossier_import], ids=["units", "dossiers"])
def test_an_import_whose_worker_is_killed_ends_once_and_never_stays_running(
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
    env = {
        "JOB_LEASE_SECONDS": "3",
        "JOB_TEMP_DIR": str(tmp_path),
        "CCHC_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CCHC_TEST_SLOW_IMPORT_ROW_SECONDS": ROW_SECONDS,
        **limits,
    }
    log = tmp_path / "worker.log"
    first = _start_worker_process(log, **env)
    second = None
    try:
        # given an import (queued on commit) running on a worker that renews a 3-second lease
        model, record, effect = start(home_affairs)
        # when its worker is killed in the middle
        kill_while_running(record, first, log)
        assert effect() == 0  # all or nothing: the killed take wrote nothing that stays
        # and a new worker starts, with the reaper running as beat runs it
        second = _start_worker_process(log, **env)

        def finished() -> bool:
            background.reap()
            return model.objects.filter(
                pk=record.pk, status__in=(JobStatus.SUCCEEDED, JobStatus.FAILED)
            ).exists()

        wait_for(finished, timeout=120, what=f"the import to finish (worker log: {log})")
        wait_for(
            home_affairs.notifications.filter(kind=NotificationKind.JOB).exists,
            timeout=10,
            what="the notice to the person who started the import",
        )
        time.sleep(2)  # a late redelivery, if any, would run now: it must find nothing to do
    finally:
        for process in (first, second):
            if process is not None:
                _kill(process)
    # then the import ended once: succeeded on the second take, every row written once, one
    # notice, no lease left, and a redelivery or another reap changes nothing
    record.refresh_from_db()
    assert (record.status, record.error) == (JobStatus.SUCCEEDED, "")
    assert record.attempts == 2
    assert record.lease_expires_at is None
    assert effect() == ROWS
    assert home_affairs.notifications.filter(kind=NotificationKind.JOB).count() == 1
    assert background.reap() == {"requeued": 0, "failed": 0, "resent": 0}
