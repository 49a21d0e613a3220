"""One lifecycle for background rows (core.background): claim under a lease, heartbeat, finish
only while owning the row, and the reaper that takes over or fails what a dead worker left."""

import datetime
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from core import background
from core.models import JobStatus
from dossiers.models import DossierImport
from organizations.models import OrgUnit, UnitImport
from organizations.services import unit_import_run
from reporting.models import Export

CSV = "Mã đơn vị,Tên đơn vị,Loại,Cấp\nS-L1,Sở Thử Lease,department,province\n"


def _unit_import(user) -> UnitImport:
    record = UnitImport(original_name="units.csv", created_by=user)
    record.file.save("units.csv", SimpleUploadedFile("units.csv", CSV.encode()), save=False)
    record.save()
    return record


def _as_if_its_worker_died(row, *, attempts: int = 1) -> None:
    type(row).objects.filter(pk=row.pk).update(
        status=JobStatus.RUNNING,
        attempts=attempts,
        started_at=timezone.now() - datetime.timedelta(minutes=30),
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1),
    )


def test_every_job_row_model_shares_the_one_lifecycle():
    registered = {kind.model for kind in background.kinds()}
    assert {UnitImport, DossierImport, Export} <= registered
    for model in registered:
        assert issubclass(model, background.BackgroundJob)


def test_a_queued_row_is_claimed_once_while_its_lease_lives(home_affairs):
    record = _unit_import(home_affairs)
    # when two deliveries of the job claim it
    first = background.claim(UnitImport, record.pk)
    second = background.claim(UnitImport, record.pk)
    # then only the first runs it, under a lease
    assert first is not None and second is None
    assert (first.status, first.attempts) == (JobStatus.RUNNING, 1)
    assert first.lease_expires_at > timezone.now()


def test_a_row_whose_lease_ran_out_is_taken_over_and_the_old_take_cannot_finish_it(home_affairs):
    record = _unit_import(home_affairs)
    old_take = background.claim(UnitImport, record.pk)
    _as_if_its_worker_died(record)
    # when a redelivery claims it
    new_take = background.claim(UnitImport, record.pk)
    # then it is taken over (a second attempt), and the dead take's late answer is ignored
    assert new_take is not None and new_take.attempts == 2
    assert background.fail(old_take, error="late") is False
    assert background.succeed(new_take) is True
    record.refresh_from_db()
    assert (record.status, record.error) == (JobStatus.SUCCEEDED, "")


def test_a_finished_row_is_never_claimed_again(home_affairs):
    record = _unit_import(home_affairs)
    assert unit_import_run(import_id=record.pk).status == JobStatus.SUCCEEDED
    assert unit_import_run(import_id=record.pk) is None
    assert OrgUnit.objects.filter(code="S-L1").count() == 1


def test_the_reaper_requeues_a_dead_workers_row_and_resends_its_job(
    home_affairs, django_capture_on_commit_callbacks
):
    record = _unit_import(home_affairs)
    background.claim(UnitImport, record.pk)
    _as_if_its_worker_died(record)
    with django_capture_on_commit_callbacks() as sent:
        counts = background.reap()
    assert counts["requeued"] == 1
    record.refresh_from_db()
    assert (record.status, record.lease_expires_at) == (JobStatus.QUEUED, None)
    assert len(sent) == 1  # the job sent again, after the commit
    # and running it again finishes it, exactly once
    assert unit_import_run(import_id=record.pk).status == JobStatus.SUCCEEDED
    assert OrgUnit.objects.filter(code="S-L1").count() == 1


def test_the_reaper_fails_a_row_tried_too_often_and_tells_its_owner(
    client, home_affairs, django_capture_on_commit_callbacks
):
    record = _unit_import(home_affairs)
    _as_if_its_worker_died(record, attempts=background.MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        counts = background.reap()
    assert counts["failed"] == 1
    record.refresh_from_db()
    assert record.status == JobStatus.FAILED
    assert "gián đoạn 3 lần" in record.error
    notice = home_affairs.notifications.get()
    assert notice.message.startswith("Nhập danh sách đơn vị “units.csv” không thành công")
    # and the import's page, where the notice links, says why
    client.force_login(home_affairs)
    page = client.get(notice.link).content.decode()
    assert "Tác vụ bị gián đoạn 3 lần" in page and "Thất bại" in page
    # a second reaper run changes nothing and tells nobody again
    with django_capture_on_commit_callbacks(execute=True):
        assert background.reap()["failed"] == 0
    assert home_affairs.notifications.count() == 1


def test_the_reaper_resends_a_row_whose_message_was_lost(
    home_affairs, settings, django_capture_on_commit_callbacks
):
    record = _unit_import(home_affairs)
    UnitImport.objects.filter(pk=record.pk).update(
        created_at=timezone.now()
        - datetime.timedelta(seconds=settings.JOB_QUEUED_RESEND_SECONDS + 5)
    )
    fresh = _unit_import(home_affairs)
    with django_capture_on_commit_callbacks() as sent:
        counts = background.reap()
    assert counts["resent"] == 1 and len(sent) == 1
    assert UnitImport.objects.get(pk=fresh.pk).status == JobStatus.QUEUED


def test_the_reaper_removes_scratch_files_nobody_will_finish(home_affairs, settings, tmp_path):
    settings.JOB_TEMP_DIR = tmp_path
    export = Export.objects.create(user=home_affairs, key="units", title="Đơn vị")
    stale = background.temp_path(export, ".xlsx")
    stale.write_bytes(b"half a workbook")
    old = time.time() - settings.CELERY_TASK_TIME_LIMIT - 120
    os.utime(stale, (old, old))
    live = tmp_path / "reporting-export-999.xlsx"
    live.write_bytes(b"being written")
    background.reap()
    assert not stale.exists() and live.exists()


def test_a_scratch_folder_is_fresh_for_each_take_gone_after_it_and_reaped_when_left(
    home_affairs, settings, tmp_path
):
    settings.JOB_TEMP_DIR = tmp_path
    export = Export.objects.create(user=home_affairs, key="units", title="Đơn vị")
    # given what a killed take left in the row's folder
    left = background.temp_path(export, "")
    left.mkdir()
    (left / "report.docx").write_bytes(b"half a conversion")
    # when the next take opens it, it starts empty, and the block's end removes it
    with background.scratch_dir(export) as folder:
        assert folder == left and list(folder.iterdir()) == []
        (folder / "profile").mkdir()
    assert not left.exists()
    # and a folder nobody will finish is removed by the reaper once it is old enough
    left.mkdir()
    (left / "report.docx").write_bytes(b"half a conversion")
    old = time.time() - settings.CELERY_TASK_TIME_LIMIT - 120
    os.utime(left, (old, old))
    background.reap()
    assert not left.exists()


def test_a_failed_export_leaves_no_scratch_file(home_affairs, settings, tmp_path):
    from reporting.services import export_run

    settings.JOB_TEMP_DIR = tmp_path
    export = Export.objects.create(user=home_affairs, key="no-such-list", title="?")
    assert export_run(export_id=export.pk).status == JobStatus.FAILED
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_long_job_alive(home_affairs, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the heartbeat's own connection needs a database shared across threads")
    settings.JOB_LEASE_SECONDS = 3  # a beat every second
    record = _unit_import(home_affairs)
    row = background.claim(UnitImport, record.pk)
    first_lease = row.lease_expires_at
    with background.leased(row):
        time.sleep(2.5)  # the job works past its first beats
        record.refresh_from_db()
        # then the lease moved forward, and no other delivery can take the row
        assert record.lease_expires_at > first_lease
        assert background.claim(UnitImport, record.pk) is None
    assert background.succeed(row)
