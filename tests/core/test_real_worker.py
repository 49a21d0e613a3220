"""A real Celery worker on the configured broker (filesystem embedded, Redis in CI) runs a job
queued by a service, and its effect lands in the database."""

import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from cchc_portal.celery import app
from core.models import JobStatus
from organizations.models import OrgUnit, UnitImport
from organizations.services import unit_import_start

CSV = "Mã đơn vị,Tên đơn vị,Loại,Cấp\nS-W1,Sở Thử Worker,department,province\n"


@pytest.fixture
def real_broker(settings):
    """Switch off the eager mode of the test settings for this test only, after clearing what
    earlier runs left in the file-system broker's folders (a half-written file of a killed run
    would stop the worker)."""
    if not settings.REDIS_URL:
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "control_folder"):
            for leftover in Path(options[key]).glob("*"):
                if leftover.is_file():
                    leftover.unlink(missing_ok=True)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = previous


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_job_queued_by_a_service_runs_on_a_real_worker(real_broker, home_affairs):
    # given a worker consuming the configured broker
    with start_worker(real_broker, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        # when the web side uploads a file (the service queues the job after commit)
        upload = SimpleUploadedFile("units.csv", CSV.encode(), content_type="text/csv")
        record = unit_import_start(uploaded=upload, user=home_affairs)
        # then the worker imports it
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                record.refresh_from_db()
            except OperationalError:
                # SQLite's shared in-memory test database locks a table while the worker
                # thread writes to it (no busy wait in shared-cache mode): look again.
                time.sleep(0.2)
                continue
            if record.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
                break
            time.sleep(0.2)
    assert record.status == JobStatus.SUCCEEDED, record.errors
    assert OrgUnit.objects.get(code="S-W1").name == "Sở Thử Worker"
    assert UnitImport.objects.count() == 1
