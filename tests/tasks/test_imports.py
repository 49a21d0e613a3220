import datetime
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.tabular import ImportFailed
from tasks.models import Assignment, Task
from tasks.services import imports

D = datetime.date
HEADER = list(imports.HEADERS.values())


def _xlsx(rows, header=HEADER):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("ke-hoach.xlsx", buffer.getvalue())


def _row(item, title="Rà soát thủ tục", lead="STC", coop="", deadline="15/09/2026", **extra):
    values = {"recurrence": "", "output_kind": "Báo cáo", "expected_output": "Báo cáo",
              "area": "3", "is_key": ""} | extra  # fmt: skip
    return [item, title, "", lead, coop, deadline, values["recurrence"], values["output_kind"],
            values["expected_output"], values["area"], values["is_key"]]  # fmt: skip


def test_template_has_headers_unit_sheet_and_drop_downs(client_for, home_affairs, unit_a):
    response = client_for(home_affairs).get(reverse("tasks:task_import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Nhiem vu"]
    assert [c.value for c in sheet[1]] == HEADER
    assert ("STC", "Sở Tài chính") in [
        tuple(r) for r in workbook["Don vi"].iter_rows(values_only=True)
    ]
    assert len(sheet.data_validations.dataValidation) == 4


def test_good_file_previews_then_creates_everything(directive, home_affairs, unit_a, unit_b):
    upload = _xlsx([
        _row("1", coop="STP", deadline=datetime.datetime(2026, 9, 15)),
        _row("2", deadline="30/11/2026", is_key="x"),
        _row("3", deadline="", recurrence="Hằng quý", output_kind="Hoạt động (không có văn bản)"),
    ])  # fmt: skip
    preview = imports.task_import_preview(directive=directive, upload=upload, actor=home_affairs)
    assert preview.count == 3
    assert Task.objects.count() == 0
    created = imports.task_import_confirm(
        directive=directive, token=preview.token, actor=home_affairs
    )
    assert created == 3
    first = Task.objects.get(item_number="1")
    assert first.deadline == D(2026, 9, 15)
    assert first.area.code == 3
    assert set(first.assignments.values_list("unit__code", "role")) == {
        ("STC", "lead"),
        ("STP", "cooperating"),
    }
    assert Task.objects.get(item_number="2").is_key
    third = Task.objects.get(item_number="3")
    assert third.recurrence == "quarterly"
    assert third.assignments.get().periods.count() == 4


def test_each_kind_of_bad_row_is_reported_by_row_and_column(directive, home_affairs, unit_a):
    upload = _xlsx([
        _row("1", lead="KHONGCO"),
        _row("2", deadline="31/02/2026"),
        _row("3", title=""),
        _row("1"),
        _row("5", area="9"),
    ])  # fmt: skip
    with pytest.raises(ImportFailed) as caught:
        imports.task_import_preview(directive=directive, upload=upload, actor=home_affairs)
    errors = {(e.row, e.column): str(e.message) for e in caught.value.errors}
    assert "Không có đơn vị mã KHONGCO" in errors[(2, "Đơn vị chủ trì")]
    assert "không phải là ngày" in errors[(3, "Thời hạn")]
    assert "chưa có nội dung" in errors[(4, "Tên nhiệm vụ")]
    assert "đã có ở dòng 2" in errors[(5, "STT")]
    assert (6, "Lĩnh vực CCHC") in errors
    assert Task.objects.count() == 0


def test_missing_header_and_wrong_file_type_are_refused(directive, home_affairs):
    with pytest.raises(ImportFailed):
        imports.task_import_preview(
            directive=directive, upload=_xlsx([["1"]], header=["STT"]), actor=home_affairs
        )
    with pytest.raises(ImportFailed):
        imports.task_import_preview(
            directive=directive,
            upload=SimpleUploadedFile("x.xlsx", b"\x00\x01binary"),
            actor=home_affairs,
        )


def test_a_bad_token_or_another_users_token_creates_nothing(directive, home_affairs, unit_a):
    from tests.factories import UserFactory

    preview = imports.task_import_preview(
        directive=directive, upload=_xlsx([_row("1")]), actor=home_affairs
    )
    other = UserFactory(role="home_affairs", unit=None)
    for token, actor in (("../../etc", home_affairs), (preview.token, other)):
        with pytest.raises(ImportFailed):
            imports.task_import_confirm(directive=directive, token=token, actor=actor)
    assert Task.objects.count() == 0


def test_import_pages_end_to_end(client_for, home_affairs, directive, unit_a):
    client = client_for(home_affairs)
    url = reverse("tasks:task_import", args=[directive.pk])
    response = client.post(url, {"file": _xlsx([_row("1"), _row("2")])})
    assert response.status_code == 200
    token = response.context["preview"].token
    response = client.post(url, {"token": token})
    assert response.status_code == 302
    assert Task.objects.count() == 2
    response = client.post(url, {"file": _xlsx([_row("1")])})
    assert "đã có nhiệm vụ số 1" in response.content.decode()


def test_import_page_is_for_home_affairs_only(client_for, head_a, directive):
    url = reverse("tasks:task_import", args=[directive.pk])
    assert client_for(head_a).get(url).status_code == 403


def test_five_thousand_rows(directive, home_affairs, unit_a, unit_b):
    rows = [_row(str(n), title=f"Nhiệm vụ {n}", coop="STP") for n in range(1, 5001)]
    upload = _xlsx(rows)
    started = time.monotonic()
    preview = imports.task_import_preview(directive=directive, upload=upload, actor=home_affairs)
    created = imports.task_import_confirm(
        directive=directive, token=preview.token, actor=home_affairs
    )
    elapsed = time.monotonic() - started
    assert created == 5000
    assert Assignment.objects.filter(task__directive=directive).count() == 10000
    assert elapsed < 60
