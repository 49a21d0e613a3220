import io

import pytest
from openpyxl import load_workbook

from reporting.models import Export, ExportStatus
from reporting.services import export_run, exports_purge_expired
from tests.factories import OrgUnitFactory


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_small_export_streams_exactly_the_filtered_rows(client_for, home_affairs, unit_a, unit_b):
    response = client_for(home_affairs).get("/bao-cao/xuat-excel/units/", {"q": "tai chinh"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="don-vi-')
    sheet = _sheet(response.content)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã", "Tên")
    assert [row[0] for row in rows[1:]] == [unit_a.code]
    assert sheet.freeze_panes == "A2"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$1"
    assert sheet["A1"].font.name == "Times New Roman"


def test_export_is_scoped_like_the_page(client_for, head_a, unit_b):
    response = client_for(head_a).get("/bao-cao/xuat-excel/units/")
    codes = [row[0] for row in list(_sheet(response.content).iter_rows(values_only=True))[1:]]
    assert codes == [head_a.unit.code]


def test_user_text_starting_with_formula_characters_stays_text(client_for, home_affairs, province):
    OrgUnitFactory(code="=1+1", name='=HYPERLINK("http://evil","x")', parent=province)
    OrgUnitFactory(code="@SUM", name="-2+3", parent=province)
    response = client_for(home_affairs).get("/bao-cao/xuat-excel/units/")
    sheet = _sheet(response.content)
    cells = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    for text in ('=HYPERLINK("http://evil","x")', "=1+1", "@SUM", "-2+3"):
        assert cells[text] == "s", text


def test_dates_are_typed_cells_in_vietnamese_format(client_for, home_affairs, province):
    import datetime

    OrgUnitFactory(code="H9", name="Huyện Chín", valid_to=datetime.date(2025, 6, 30))
    response = client_for(home_affairs).get("/bao-cao/xuat-excel/units/", {"q": "huyen chin"})
    sheet = _sheet(response.content)
    valid_to = sheet.cell(row=2, column=7)
    assert valid_to.value == datetime.datetime(2025, 6, 30)
    assert valid_to.number_format == "dd/mm/yyyy"


def test_large_export_runs_as_a_job_and_is_listed(
    client_for, home_affairs, province, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_MAX_ROWS = 5
    for number in range(12):
        OrgUnitFactory(code=f"L{number:02d}", parent=province)
    client = client_for(home_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/bao-cao/xuat-excel/units/", {"kind": "department"})
    assert response["Location"] == "/bao-cao/xuat-excel/"
    export = Export.objects.get()
    assert (export.status, export.rows_written) == (ExportStatus.SUCCEEDED, 13)
    assert export.params == {"kind": ["department"]}
    page = client.get("/bao-cao/xuat-excel/").content.decode()
    assert f"/bao-cao/xuat-excel/{export.pk}/tai-ve/" in page
    download = client.get(f"/bao-cao/xuat-excel/{export.pk}/tai-ve/")
    assert download["Content-Disposition"].startswith("attachment;")
    content = b"".join(download.streaming_content)
    assert len(list(_sheet(content).iter_rows())) == 14


def test_running_an_export_twice_writes_it_once(home_affairs, province):
    export = Export.objects.create(user=home_affairs, key="units", title="Đơn vị", params={})
    assert export_run(export_id=export.pk).status == ExportStatus.SUCCEEDED
    assert export_run(export_id=export.pk) is None


def test_another_users_export_gives_404(client_for, home_affairs, head_b, province):
    export = Export.objects.create(user=home_affairs, key="units", title="Đơn vị", params={})
    export_run(export_id=export.pk)
    assert client_for(head_b).get(f"/bao-cao/xuat-excel/{export.pk}/tai-ve/").status_code == 404


def test_unknown_list_gives_404(client_for, home_affairs):
    assert client_for(home_affairs).get("/bao-cao/xuat-excel/khong-co/").status_code == 404


def test_expired_files_are_purged(home_affairs, province, time_machine):
    time_machine.move_to("2026-11-01 09:00 +07:00", tick=False)
    export = Export.objects.create(user=home_affairs, key="units", title="Đơn vị", params={})
    export_run(export_id=export.pk)
    path = export.__class__.objects.get(pk=export.pk).file.path
    time_machine.move_to("2026-11-07 09:00 +07:00", tick=False)
    assert exports_purge_expired() == 0
    time_machine.move_to("2026-11-08 09:01 +07:00", tick=False)
    assert exports_purge_expired() == 1
    assert not Export.objects.exists()
    import os

    assert not os.path.exists(path)


@pytest.mark.parametrize("count", [3, 30])
def test_export_list_query_count_is_flat(
    client_for, home_affairs, django_assert_num_queries, count
):
    for _number in range(count):
        Export.objects.create(user=home_affairs, key="units", title="Đơn vị", params={})
    client = client_for(home_affairs)
    # session, user, exports page, their total (one COUNT), user's unit (navbar), session
    # save (3)
    with django_assert_num_queries(8):
        assert client.get("/bao-cao/xuat-excel/").status_code == 200
