import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from core.dispatch import send
from core.models import JobStatus
from core.tabular import ImportFailed
from organizations.jobs import run_unit_import_task
from organizations.models import OrgUnit, UnitImport
from organizations.services import UNIT_COLUMNS, units_import
from organizations.templates_xlsx import unit_import_template

HEADER = [spellings[0] for spellings in UNIT_COLUMNS.values()]


def csv_bytes(rows, header=HEADER, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    [
        "UBND",
        "Ủy ban nhân dân tỉnh",
        "UBND",
        "provincial_committee",
        "province",
        "",
        "",
        "",
        "",
        "",
    ],
    ["H-A", "Huyện A", "", "district", "district", "UBND", "", "30/06/2025", "X-A1;X-A2", ""],
    ["X-A1", "Xã A1", "", "Xã, phường, đặc khu", "Cấp xã", "UBND", "01/07/2025", "", "", ""],
    ["X-A2", "Xã A2", "", "commune", "commune", "UBND", "01/07/2025", "", "", "a2@x.vn"],
]


@pytest.mark.django_db
def test_good_csv_creates_units_with_parents_and_successors():
    result = units_import(fileobj=io.BytesIO(csv_bytes(GOOD_ROWS)))
    assert (result.created, result.updated) == (4, 0)
    district = OrgUnit.objects.get(code="H-A")
    assert district.parent.code == "UBND"
    assert str(district.valid_to) == "2025-06-30"
    assert set(district.successors.values_list("code", flat=True)) == {"X-A1", "X-A2"}
    assert OrgUnit.objects.get(code="X-A1").kind == "commune"  # matched by Vietnamese label


@pytest.mark.django_db
def test_reimport_updates_changed_rows_only():
    units_import(fileobj=io.BytesIO(csv_bytes(GOOD_ROWS)))
    changed = [row[:] for row in GOOD_ROWS]
    changed[3][1] = "Xã A2 mới"
    result = units_import(fileobj=io.BytesIO(csv_bytes(changed, delimiter=";")))
    assert (result.created, result.updated) == (0, 1)
    assert OrgUnit.objects.get(code="X-A2").name == "Xã A2 mới"


@pytest.mark.django_db
def test_xlsx_with_real_dates_imports():
    import datetime

    rows = [row[:] for row in GOOD_ROWS]
    rows[1][7] = datetime.datetime(2025, 6, 30)
    units_import(fileobj=io.BytesIO(xlsx_bytes(rows)))
    assert str(OrgUnit.objects.get(code="H-A").valid_to) == "2025-06-30"


@pytest.mark.django_db
def test_every_bad_row_is_reported_and_nothing_is_written():
    bad = [
        GOOD_ROWS[0],
        ["", "Không mã", "", "department", "province", "", "", "", "", ""],
        ["S1", "Sở 1", "", "bogus-kind", "province", "NOPE", "31/02/2025", "", "", ""],
        ["S1", "Sở 1 lặp", "", "department", "province", "", "", "", "ZZZ", ""],
    ]
    with pytest.raises(ImportFailed) as failure:
        units_import(fileobj=io.BytesIO(csv_bytes(bad)))
    found = {(error.row, error.column) for error in failure.value.errors}
    assert (3, "Mã đơn vị") in found  # missing code
    assert (4, "Loại") in found  # unknown kind
    assert (4, "Hiệu lực từ") in found  # 31 February
    assert (5, "Mã đơn vị") in found  # duplicate code
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_unknown_references_are_reported_after_row_checks():
    rows = [["S1", "Sở 1", "", "department", "province", "NOPE", "", "", "ZZZ", ""]]
    with pytest.raises(ImportFailed) as failure:
        units_import(fileobj=io.BytesIO(csv_bytes(rows)))
    columns = {error.column for error in failure.value.errors}
    assert columns == {"Mã đơn vị cấp trên", "Mã đơn vị kế thừa"}
    assert OrgUnit.objects.count() == 0


@pytest.mark.django_db
def test_missing_header_and_wrong_file_type_are_file_level_errors():
    with pytest.raises(ImportFailed) as failure:
        units_import(fileobj=io.BytesIO(csv_bytes(GOOD_ROWS, header=["Mã", "Tên"])))
    assert "Tên đơn vị" in failure.value.errors[0].message
    with pytest.raises(ImportFailed):
        units_import(fileobj=io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00binary"))


@pytest.mark.django_db
def test_zip_bomb_disguised_as_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(ImportFailed) as failure:
        units_import(fileobj=io.BytesIO(buffer.getvalue()))
    assert failure.value.errors[0].row == 0


@pytest.mark.django_db
def test_template_round_trips_through_the_importer():
    workbook = load_workbook(io.BytesIO(unit_import_template()))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == HEADER
    sheet.append(GOOD_ROWS[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert units_import(fileobj=io.BytesIO(buffer.getvalue())).created == 1


@pytest.mark.django_db
def test_command_imports_and_reports_errors(tmp_path, capsys):
    good = tmp_path / "units.csv"
    good.write_bytes(csv_bytes(GOOD_ROWS))
    call_command("import_units", str(good))
    assert OrgUnit.objects.count() == 4
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([["X9", "", "", "commune", "commune", "", "", "", "", ""]]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_units", str(bad))


def test_upload_page_queues_the_job_and_shows_the_result(
    client_for, home_affairs, django_capture_on_commit_callbacks
):
    client = client_for(home_affairs)
    upload = SimpleUploadedFile("units.csv", csv_bytes(GOOD_ROWS), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post("/don-vi/nhap/", {"file": upload})
    # the job queued once, then (after the job's own commit) the notice to the person who
    # uploaded (the event's delivery, among the job's other on-commit work)
    jobs = [
        c for c in queued if getattr(c, "func", None) is send and c.args[0] is run_unit_import_task
    ]
    assert len(jobs) == 1
    record = UnitImport.objects.get()
    notice = home_affairs.notifications.get()
    assert notice.message == "Nhập danh sách đơn vị “units.csv” đã hoàn tất."
    assert notice.link == f"/don-vi/nhap/{record.pk}/"
    assert response.status_code == 302
    assert response["Location"] == f"/don-vi/nhap/{record.pk}/"
    # jobs run inline in tests (CELERY_TASK_ALWAYS_EAGER): the import is finished
    assert record.status == JobStatus.SUCCEEDED
    assert OrgUnit.objects.filter(code="X-A2").exists()
    page = client.get(response["Location"])
    # the fixtures' province already has code UBND: it is updated, not created
    assert "3 đơn vị được tạo, 1 đơn vị được cập nhật" in page.content.decode()


def test_upload_of_a_picture_is_refused_with_a_message(client_for, home_affairs):
    client = client_for(home_affairs)
    upload = SimpleUploadedFile(
        "units.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png"
    )
    response = client.post("/don-vi/nhap/", {"file": upload})
    assert response.status_code == 200
    assert UnitImport.objects.count() == 0
    assert "không phải" in response.content.decode()


def test_failed_import_lists_row_errors(
    client_for, home_affairs, django_capture_on_commit_callbacks
):
    client = client_for(home_affairs)
    rows = [["S1", "", "", "department", "province", "", "", "", "", ""]]
    upload = SimpleUploadedFile("units.csv", csv_bytes(rows), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/don-vi/nhap/", {"file": upload})
    record = UnitImport.objects.get()
    assert record.status == JobStatus.FAILED
    assert record.errors == [{"row": 2, "column": "Tên đơn vị", "message": "Ô này là bắt buộc."}]


def test_running_the_import_job_twice_imports_once(home_affairs):
    from organizations.services import unit_import_run

    record = UnitImport(original_name="u.csv", created_by=home_affairs)
    record.file.save("u.csv", io.BytesIO(csv_bytes(GOOD_ROWS)), save=False)
    record.save()
    assert unit_import_run(import_id=record.pk).status == JobStatus.SUCCEEDED
    assert unit_import_run(import_id=record.pk) is None
    record.refresh_from_db()
    assert (record.rows_created, record.rows_updated) == (3, 1)


@pytest.mark.parametrize("persona", ["leader", "head_a", "staff_a"])
def test_only_home_affairs_may_import(client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/don-vi/nhap/").status_code == 403
    assert client.get("/don-vi/nhap/mau.xlsx").status_code == 403
