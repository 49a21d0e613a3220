"""'Xuất Excel' on each list: the file holds exactly the rows the filtered, scoped page shows,
under the same column headers."""

import csv
import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from core.models import JobRun
from directives.models import CchcArea
from dossiers.models import Channel
from notifications.services import notification_send
from tests.dossiers.factories import at, make_procedure
from tests.dossiers.factories import make_dossier as dossier_for
from tests.tasks.factories import DirectiveFactory


def _rows(response):
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _page_headers(response) -> list[str]:
    """The column headers' text (a sortable header is a link with an arrow)."""
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', response.content.decode(), re.S)
    return [re.sub(r"<[^>]+>|[▲▼↕]", "", cell).strip() for cell in cells]


def test_directive_export_follows_the_search_and_the_page_columns(client_for, staff_a, province):
    # given two directives
    DirectiveFactory(number="5580/KH-UBND", summary="Kế hoạch cải cách hành chính")
    DirectiveFactory(number="12/CT-UBND", summary="Chỉ thị về kỷ luật hành chính")
    client = client_for(staff_a)
    # when the list is searched without accents and exported with the same filter
    page = client.get("/van-ban/", {"q": "chi thi"})
    rows = _rows(client.get("/bao-cao/xuat-excel/directives/", {"q": "chi thi"}))
    # then the sheet has the page's headers and only the directive the page shows
    assert rows[0][:6] == _page_headers(page)
    assert [row[0] for row in rows[1:]] == ["12/CT-UBND"]


def test_a_directive_with_cchc_areas_shows_them_on_the_list_and_in_its_export(
    client_for, staff_a, province
):
    # given a directive naming two CCHC areas (every demo directive names some)
    areas = [
        CchcArea.objects.get_or_create(code=code, defaults={"name": f"Lĩnh vực {code}"})[0]
        for code in (1, 3)
    ]
    directive = DirectiveFactory(number="15/KH-UBND")
    directive.areas.set(areas)
    client = client_for(staff_a)
    # when the list and its export are opened
    page = client.get("/van-ban/")
    rows = _rows(client.get("/bao-cao/xuat-excel/directives/"))
    # then both answer and show the areas' codes
    assert page.status_code == 200
    assert "1, 3" in page.content.decode()
    assert rows[1][0] == "15/KH-UBND" and rows[1][5] == "1, 3"
    assert rows[1][1] == datetime.datetime(2026, 1, 10)


def test_assignment_export_is_scoped_to_the_units_inbox(client_for, head_b, two_units_tasks):
    client = client_for(head_b)
    page = client.get("/nhiem-vu/")
    rows = _rows(client.get("/bao-cao/xuat-excel/assignments/"))
    # unit B cooperates on task 1 and leads task 2; unit A's share of task 1 is not there
    assert sorted((row[1], row[3]) for row in rows[1:]) == [("1", "Phối hợp"), ("2", "Chủ trì")]
    page_headers = _page_headers(page)
    # the sheet adds the role and the completion date to the page's columns
    assert [h for index, h in enumerate(rows[0]) if index not in (3, 8)] == page_headers
    assert page.content.decode().count("/nhiem-vu/") >= 2


def test_assignment_export_applies_the_status_and_unit_filters(
    client_for, home_affairs, unit_a, two_units_tasks
):
    client = client_for(home_affairs)
    query = {"unit": unit_a.pk, "status": "overdue"}
    rows = _rows(client.get("/bao-cao/xuat-excel/assignments/", query))
    assert [(row[1], row[7]) for row in rows[1:]] == [("1", "Đang thực hiện, quá hạn")]
    assert rows[1][5] == datetime.datetime(2026, 9, 15)
    assert rows[1][6] == 0


def test_review_queue_export_is_home_affairs_only(client_for, home_affairs, head_a, reported_done):
    rows = _rows(client_for(home_affairs).get("/bao-cao/xuat-excel/review-queue/"))
    assert [row[1] for row in rows[1:]] == ["3. Công khai thủ tục"]
    # the queue is Home Affairs' page: anyone else gets the headers and no row
    assert len(_rows(client_for(head_a).get("/bao-cao/xuat-excel/review-queue/"))) == 1


@pytest.fixture
def dossiers(unit_a, unit_b):
    procedure = make_procedure("1.000111")
    return [
        dossier_for(procedure, unit_a, received_at=at(2026, 3, 16), code="A-1"),
        dossier_for(
            procedure,
            unit_a,
            received_at=at(2026, 3, 17),
            code="=HYPERLINK(1)",
            channel=Channel.ONLINE,
        ),  # fmt: skip
        dossier_for(procedure, unit_b, received_at=at(2026, 3, 18), code="B-1"),
    ]


def test_dossier_export_matches_the_filtered_page(client_for, home_affairs, unit_a, dossiers):
    client = client_for(home_affairs)
    page = client.get("/ho-so/danh-sach/", {"unit": unit_a.pk})
    rows = _rows(client.get("/bao-cao/xuat-excel/dossiers/", {"unit": unit_a.pk}))
    assert rows[0] == _page_headers(page)
    assert [row[0] for row in rows[1:]] == ["=HYPERLINK(1)", "A-1"]
    assert rows[1][4] == datetime.datetime(2026, 3, 17, 9, 0)


def test_dossier_export_is_scoped_like_the_page(client_for, head_b, dossiers):
    rows = _rows(client_for(head_b).get("/bao-cao/xuat-excel/dossiers/"))
    assert [row[0] for row in rows[1:]] == ["B-1"]


def test_dossier_export_splits_across_sheets_past_the_row_limit(
    client_for, home_affairs, dossiers, monkeypatch
):
    monkeypatch.setattr("core.excel.MAX_DATA_ROWS_PER_SHEET", 2)
    response = client_for(home_affairs).get("/bao-cao/xuat-excel/dossiers/")
    workbook = load_workbook(io.BytesIO(response.content))
    assert [len(list(sheet.iter_rows())) for sheet in workbook.worksheets] == [3, 2]
    assert workbook.sheetnames == ["Hồ sơ TTHC", "Hồ sơ TTHC (2)"]


def test_dossier_csv_has_the_same_rows_and_is_formula_safe(
    client_for, home_affairs, unit_a, dossiers
):
    response = client_for(home_affairs).get(
        "/bao-cao/xuat-excel/dossiers/", {"unit": unit_a.pk, "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="ho-so-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[0][0] == "Mã hồ sơ"
    # a code starting with = is written as text: a spreadsheet will not evaluate it
    assert [line[0] for line in lines[1:]] == ["'=HYPERLINK(1)", "A-1"]
    assert lines[1][4] == "17/03/2026 09:00"


def test_csv_cells_starting_with_formula_characters_are_prefixed():
    from core.exports import csv_safe

    for text in ("=1+1", "+1", "-2", "@SUM(A1)"):
        assert csv_safe(text) == "'" + text
    assert csv_safe("Hồ sơ") == "Hồ sơ"
    assert csv_safe(-2) == "-2"  # numbers stay numbers
    assert csv_safe(datetime.date(2026, 3, 1)) == "01/03/2026"


def test_csv_is_only_offered_where_the_list_has_it(client_for, home_affairs):
    response = client_for(home_affairs).get("/bao-cao/xuat-excel/units/", {"format": "csv"})
    assert response.status_code == 404


def test_notification_export_is_the_persons_own_and_follows_unread(client_for, head_a, head_b):
    notification_send(recipient=head_a, kind="info", message="Đã đọc", dedupe_key="n:1")
    unread = notification_send(recipient=head_a, kind="info", message="Chưa đọc", dedupe_key="n:2")
    notification_send(recipient=head_b, kind="info", message="Của B", dedupe_key="n:3")
    from notifications.models import Notification
    from notifications.services import notification_mark_read

    notification_mark_read(notification=Notification.objects.get(message="Đã đọc"))
    client = client_for(head_a)
    every = _rows(client.get("/bao-cao/xuat-excel/notifications/"))
    assert sorted(row[2] for row in every[1:]) == ["Chưa đọc", "Đã đọc"]
    only_unread = _rows(client.get("/bao-cao/xuat-excel/notifications/", {"unread": "true"}))
    assert [row[2] for row in only_unread[1:]] == [unread.message]


def test_job_run_export_is_home_affairs_only_and_filtered(client_for, home_affairs, head_a):
    from django.utils import timezone

    JobRun.objects.create(job="purge", started_at=timezone.now(), outcome="succeeded", rows=3)
    JobRun.objects.create(job="digest", started_at=timezone.now(), outcome="failed", error="x")
    rows = _rows(
        client_for(home_affairs).get("/bao-cao/xuat-excel/job-runs/", {"outcome": "failed"})
    )
    assert [row[0] for row in rows[1:]] == ["digest"]
    assert len(_rows(client_for(head_a).get("/bao-cao/xuat-excel/job-runs/"))) == 1


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("/van-ban/", "directives"),
        ("/ho-so/danh-sach/", "dossiers"),
        ("/thong-bao/", "notifications"),
    ],
)
def test_each_list_offers_its_export_with_the_current_filter(client_for, home_affairs, url, key):
    page = client_for(home_affairs).get(url, {"q": "x"}).content.decode()
    assert f"/bao-cao/xuat-excel/{key}/" in page


def test_a_large_dossier_export_runs_as_a_job_with_the_same_rows(
    client_for, home_affairs, unit_a, dossiers, settings, django_capture_on_commit_callbacks
):
    from reporting.models import Export, ExportStatus

    settings.EXPORT_SYNC_MAX_ROWS = 1
    client = client_for(home_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/bao-cao/xuat-excel/dossiers/", {"unit": unit_a.pk})
    assert response.status_code == 302
    export = Export.objects.get()
    assert (export.status, export.rows_written) == (ExportStatus.SUCCEEDED, 2)
    content = b"".join(client.get(f"/bao-cao/xuat-excel/{export.pk}/tai-ve/").streaming_content)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["=HYPERLINK(1)", "A-1"]
