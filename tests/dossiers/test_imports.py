"""CSV/XLSX imports: every bad row reported, all-or-nothing unless bad rows are skipped."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from core.models import JobStatus
from dossiers import services
from dossiers.models import Dossier
from dossiers.templates_xlsx import dossier_import_template
from tests.dossiers.factories import make_procedure
from tests.factories import OrgUnitFactory

HEADER = "Mã hồ sơ,Mã thủ tục,Mã đơn vị tiếp nhận,Hình thức nộp,Ngày tiếp nhận,Ngày hoàn thành\n"


def _csv(*lines):
    return SimpleUploadedFile("hs.csv", (HEADER + "\n".join(lines) + "\n").encode(), "text/csv")


def _import(user, uploaded, skip=False):
    record = services.dossier_import_start(uploaded=uploaded, user=user, skip_bad_rows=skip)
    services.dossier_import_run(import_id=record.pk)
    record.refresh_from_db()
    return record


def test_a_bad_row_stops_the_whole_import(procedure, unit_a, home_affairs):
    # Given one good row and two bad ones
    uploaded = _csv(
        "HS1,1.001,STC,Trực tuyến,16/03/2026 09:00,18/03/2026 10:00",
        "HS2,9.999,STC,truc tiep,16/03/2026 09:00,",
        "HS3,1.001,STC,fax,32/03/2026,",
    )
    # When imported without skipping
    record = _import(home_affairs, uploaded)
    # Then nothing is written and every problem is reported by row and column
    assert record.status == JobStatus.FAILED
    assert not Dossier.objects.exists()
    reported = {(error["row"], error["column"]) for error in record.errors}
    assert reported == {(3, "procedure"), (4, "channel"), (4, "received_at")}
    assert record.rows_bad == 2


def test_skipping_bad_rows_keeps_the_good_ones_and_upserts_by_code(procedure, unit_a, home_affairs):
    lines = (
        "HS1,1.001,STC,Trực tuyến,16/03/2026 09:00,18/03/2026 10:00",
        "HS2,1.001,STC,Bưu chính,16/03/2026 09:00,",
        "HS3,1.001,XXX,truc tiep,16/03/2026 09:00,",
    )
    record = _import(home_affairs, _csv(*lines), skip=True)
    assert record.status == JobStatus.SUCCEEDED
    assert record.rows_written == 2
    assert (
        record.errors == [{"row": 4, "column": "unit", "message": "Unknown unit code 'XXX'."}]
        or record.errors[0]["column"] == "unit"
    )
    # When the same file is imported again, the dossiers are updated, not duplicated
    _import(home_affairs, _csv(*lines), skip=True)
    assert Dossier.objects.count() == 2
    first = Dossier.objects.get(code="HS1")
    assert first.channel == "online"
    assert first.due_date.isoformat() == "2026-03-19"


def test_an_xlsx_file_imports_with_real_dates(procedure, unit_a, home_affairs):
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã hồ sơ", "Mã thủ tục", "Mã đơn vị", "Hình thức nộp", "Ngày tiếp nhận"])
    sheet.append(["X1", "1.001", "STC", "online", datetime.datetime(2026, 3, 16, 9)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = SimpleUploadedFile("hs.xlsx", buffer.getvalue())
    record = _import(home_affairs, uploaded)
    assert record.status == JobStatus.SUCCEEDED
    assert Dossier.objects.get(code="X1").received_date.isoformat() == "2026-03-16"


def test_a_file_without_the_required_columns_fails_readably(home_affairs):
    uploaded = SimpleUploadedFile("hs.csv", b"a,b\n1,2\n")
    record = _import(home_affairs, uploaded)
    assert record.status == JobStatus.FAILED
    assert record.errors[0]["row"] == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16/03/2026 09:05", "2026-03-16T09:05:00+07:00"),
        ("6/3/2026", "2026-03-06T00:00:00+07:00"),
        ("16/03/2026 09:05:07", "2026-03-16T09:05:07+07:00"),
        ("2026-03-16T02:05:00Z", "2026-03-16T02:05:00+00:00"),
        ("2026-03-16 09:05:00", "2026-03-16T09:05:00+07:00"),
        ("", None),
    ],
)
def test_moments_are_read_in_vietnam_time(text, expected):
    moment = services.parse_moment(text)
    assert (moment.isoformat() if moment else None) == expected


@pytest.mark.parametrize("text", ["32/03/2026", "16/13/2026 09:00", "hôm qua", "16-03-26"])
def test_unreadable_moments_are_refused(text):
    with pytest.raises(ValueError):
        services.parse_moment(text)


def test_the_template_imports_cleanly(procedure, home_affairs, db):
    # Given the demo's unit and procedure named in the example row
    OrgUnitFactory(code="X-DONGSON", level="commune", kind="commune")
    make_procedure("1.012001", level="commune", time_limit=0)
    uploaded = SimpleUploadedFile("mau.xlsx", dossier_import_template())
    # When the template is imported as it is
    record = _import(home_affairs, uploaded)
    # Then its example row is a valid dossier
    assert record.status == JobStatus.SUCCEEDED, record.errors
    dossier = Dossier.objects.get()
    assert dossier.state == "returned"
    assert dossier.due_date.isoformat() == "2026-03-16"


def test_rows_written_before_a_bad_row_are_rolled_back(
    procedure, unit_a, home_affairs, monkeypatch
):
    # Given batches of one row, so the good rows are written before the bad one is read
    monkeypatch.setattr("dossiers.services.imports.BATCH_SIZE", 1)
    uploaded = _csv(
        "HS1,1.001,STC,online,16/03/2026 09:00,",
        "HS2,1.001,STC,online,16/03/2026 09:00,",
        "HS3,1.001,STC,online,hôm qua,",
    )
    # When imported without skipping
    record = _import(home_affairs, uploaded)
    # Then the transaction is undone: nothing is written
    assert record.status == JobStatus.FAILED
    assert (record.rows_read, record.rows_bad, record.rows_written) == (3, 1, 0)
    assert not Dossier.objects.exists()


def test_the_import_page_names_each_bad_column_by_the_files_header(
    client_for, procedure, unit_a, home_affairs
):
    # Given an import refused for an unknown procedure
    record = _import(home_affairs, _csv("HS1,9.999,STC,Trực tuyến,16/03/2026 09:00,"))
    assert record.errors[0]["column"] == "procedure"  # the push's field name is kept
    # When Home Affairs opens it
    page = client_for(home_affairs).get(f"/ho-so/nhap/{record.pk}/").content.decode()
    # Then the column is the header of the uploaded file, in Vietnamese
    assert "<td>Mã thủ tục</td>" in page
    assert "<td>procedure</td>" not in page
