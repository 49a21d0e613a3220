"""Official reports: each file is reopened with openpyxl and read like a person would: the
header block, merged ranges, number formats, print settings, and totals that equal both hand
counts of the fixtures and the dashboards' own figures for the same filter."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.text import natural_key
from directives.models import CchcArea
from dossiers.metrics import calendar_period, dossier_figures
from dossiers.services import aggregate_row_save
from tasks import services
from tasks.models import AssignmentRole
from tasks.selectors import assignments_visible_to, completion_summary

D = datetime.date
AS_OF = D(2026, 11, 20)


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-11-21 09:00 +07:00", tick=False)


def _open(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content)).active


def _row_starting(sheet, text):
    """The last row whose first cell is `text` (an area's summary line comes after its
    heading in the detail)."""
    found = [row for row in sheet.iter_rows() if row[0].value == text]
    assert found, f"no row starts with {text!r}"
    return found[-1]


def _done(assignment, head, home_affairs, on):
    report = services.report_draft(
        assignment=assignment, author=head, percent=100, text="Đã hoàn thành", reports_done=True
    )
    services.report_submit(report=report, actor=head, on=on)
    services.assignment_confirm(assignment=assignment, actor=home_affairs)


@pytest.fixture
def tasks_of_the_plan(today, plan, unit_a, unit_b, head_a, head_b, home_affairs):
    """Unit A: one task done on time, one done late (area 1), one overdue and one in progress
    (area 2); unit B: one not started (area 1), and it cooperates on the first."""
    area_1, area_2 = CchcArea.objects.get(code=1), CchcArea.objects.get(code=2)

    def task(number, title, unit, deadline, area, **extra):
        made = services.task_create(
            directive=plan, item_number=number, title=title, lead_unit=unit, deadline=deadline,
            area=area, output_kind="activity", **extra,
        )  # fmt: skip
        return made.assignments.get(role=AssignmentRole.LEAD)

    on_time = task(
        "1", "Ban hành kế hoạch", unit_a, D(2026, 6, 30), area_1, cooperating_units=[unit_b]
    )
    late = task("2", "Rà soát thủ tục", unit_a, D(2026, 5, 31), area_1)
    task("3", "Số hóa hồ sơ", unit_a, D(2026, 9, 30), area_2)
    going = task("4", "Tuyên truyền", unit_a, D(2026, 12, 31), area_2)
    task("5", "Đào tạo công chức", unit_b, D(2026, 12, 31), area_1)
    _done(on_time, head_a, home_affairs, D(2026, 6, 20))
    _done(late, head_a, home_affairs, D(2026, 7, 10))
    report = services.report_draft(assignment=going, author=head_a, percent=40, text="Đang làm")
    services.report_submit(report=report, actor=head_a, on=D(2026, 10, 1))
    return plan


def _task_report(client, plan, **extra):
    query = {"nhiem-vu-directive": plan.pk, "nhiem-vu-as_of": "20/11/2026", **extra}
    return _open(client.get("/bao-cao/mau/nhiem-vu/", query))


def test_task_report_has_the_official_header_and_layout(
    client_for, home_affairs, tasks_of_the_plan
):
    sheet = _task_report(client_for(home_affairs), tasks_of_the_plan)
    assert sheet["A1"].value == "UBND TỈNH AN HÒA"
    assert sheet["A2"].value == "SỞ NỘI VỤ"
    assert sheet["D1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["D2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert sheet["D3"].value == "An Hòa, ngày 21 tháng 11 năm 2026"
    assert sheet["A5"].value == "BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH"
    assert "5580/KH-UBND" in sheet["A6"].value and "20/11/2026" in sheet["A6"].value
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"A1:C1", "D1:I1", "A5:I5", "A8:A9", "G8:I8"} <= merged
    assert (sheet["G8"].value, sheet["G9"].value, sheet["I9"].value) == (
        "Kết quả thực hiện", "Tình trạng", "Kết quả, minh chứng",
    )  # fmt: skip
    assert sheet.freeze_panes == "A10"
    assert sheet.print_title_rows == "$8:$9"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert {cell.font.name for row in sheet.iter_rows() for cell in row if cell.value} == {
        "Times New Roman"
    }


def test_task_report_groups_by_area_with_typed_dates_and_statuses(
    client_for, home_affairs, tasks_of_the_plan
):
    sheet = _task_report(client_for(home_affairs), tasks_of_the_plan)
    heading = "I. " + CchcArea.objects.get(code=1).name
    area_row = next(row for row in sheet.iter_rows() if row[0].value == heading)
    first = sheet[area_row[0].row + 1]
    assert first[1].value == "1. Ban hành kế hoạch"
    assert first[4].value == "Sở Tài chính" or first[4].value  # the cooperating unit's name
    assert first[5].value == datetime.datetime(2026, 6, 30)
    assert first[5].number_format == "dd/mm/yyyy"
    assert first[6].value == "Đã hoàn thành đúng hạn"
    assert first[7].value == datetime.datetime(2026, 6, 20)
    assert first[8].value == "Đã hoàn thành"
    titles = [row[1].value for row in sheet.iter_rows(min_row=10) if row[1].value]
    assert titles.index("3. Số hóa hồ sơ") > titles.index("5. Đào tạo công chức")


def _summary(sheet, label):
    row = _row_starting(sheet, label)
    return [cell.value for cell in row[2:9]], row[8].number_format


def test_task_report_totals_equal_hand_counts_and_the_completion_summary(
    client_for, home_affairs, tasks_of_the_plan
):
    sheet = _task_report(client_for(home_affairs), tasks_of_the_plan)
    values, rate_format = _summary(sheet, "Tổng cộng")
    # total, done, on time, late, in progress (incl. not started), overdue, completion rate
    assert values == [5, 2, 1, 1, 2, 1, pytest.approx(0.4)]
    assert rate_format == "0.0%"
    summary = completion_summary(
        assignments_visible_to(home_affairs).filter(role=AssignmentRole.LEAD), AS_OF
    )
    assert values[:6] == [
        summary.total, summary.done, summary.done_on_time, summary.done_late,
        summary.in_progress, summary.overdue,
    ]  # fmt: skip
    area_1, _rate = _summary(sheet, "I. " + CchcArea.objects.get(code=1).name)
    assert area_1[:6] == [3, 2, 1, 1, 1, 0]


def test_a_unit_gets_its_own_tasks_under_its_own_name(
    client_for, head_a, unit_a, tasks_of_the_plan
):
    sheet = _task_report(client_for(head_a), tasks_of_the_plan)
    assert sheet["A2"].value == unit_a.name.upper()
    values, _format = _summary(sheet, "Tổng cộng")
    assert values == [4, 2, 1, 1, 1, 1, pytest.approx(0.5)]


def test_task_report_rejects_a_reversed_period(client_for, home_affairs):
    response = client_for(home_affairs).get(
        "/bao-cao/mau/nhiem-vu/",
        {"nhiem-vu-period_from": "31/12/2026", "nhiem-vu-period_to": "01/01/2026"},
    )
    assert response.status_code == 400
    assert "Kỳ báo cáo phải bắt đầu trước khi kết thúc." in response.content.decode()


def test_report_page_lists_the_reports_of_the_role(client_for, home_affairs, head_a):
    page = client_for(home_affairs).get("/bao-cao/").content.decode()
    for key in ("nhiem-vu", "xep-hang", "ho-so"):
        assert f"/bao-cao/mau/{key}/" in page
    unit_page = client_for(head_a).get("/bao-cao/").content.decode()
    assert "/bao-cao/mau/xep-hang/" not in unit_page
    assert client_for(head_a).get("/bao-cao/mau/xep-hang/").status_code == 404


def test_unit_ranking_has_completion_rates_scores_and_bands(
    client_for, home_affairs, unit_a, unit_b, tasks_of_the_plan
):
    sheet = _open(
        client_for(home_affairs).get("/bao-cao/mau/xep-hang/", {"xep-hang-as_of": "20/11/2026"})
    )
    assert sheet["A5"].value == "KẾT QUẢ XẾP HẠNG CẢI CÁCH HÀNH CHÍNH CÁC ĐƠN VỊ"
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"C8:F8", "G8:J8", "B8:B9"} <= merged
    lines = {row[1].value: [cell.value for cell in row[2:6]] for row in sheet.iter_rows(min_row=10)}
    assert lines[unit_a.name] == [4, 2, 1, pytest.approx(0.5)]
    assert lines[unit_b.name] == [1, 0, 0, 0]
    assert sheet["F10"].number_format == "0.0%"


@pytest.fixture
def quarter_rows(unit_a, unit_b):
    q1 = {"period_start": D(2026, 1, 1), "period_end": D(2026, 3, 31)}
    aggregate_row_save(
        unit=unit_a, **q1, carried_over=2, received_online=5, received_offline=3,
        finished_early=4, finished_on_time=3, finished_late=1, pending_within=1,
        pending_overdue=1,
    )  # fmt: skip
    aggregate_row_save(
        unit=unit_b, **q1, received_offline=4, finished_on_time=2, finished_late=1,
        pending_within=1,
    )  # fmt: skip


def test_dossier_statistics_in_the_standard_layout(
    client_for, home_affairs, unit_a, unit_b, quarter_rows, today
):
    query = {"ho-so-year": 2026, "ho-so-quarter": 1}
    sheet = _open(client_for(home_affairs).get("/bao-cao/mau/ho-so/", query))
    assert sheet["A5"].value == "THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH"
    assert sheet["A6"].value == "Kỳ báo cáo: từ ngày 01/01/2026 đến ngày 31/03/2026"
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"C8:F8", "G8:J8", "K8:M8", "N8:O8", "A8:A9"} <= merged
    assert [sheet.cell(9, column).value for column in range(3, 7)] == [
        "Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính", "Kỳ trước chuyển qua",
    ]  # fmt: skip
    total = [cell.value for cell in _row_starting(sheet, "Tổng cộng")[2:15]]
    # received 14 (online 5, in person 7, carried over 2); finished 11 (4 early, 5 on time,
    # 2 late); pending 3 (2 within, 1 overdue); on time 9/11; online 5/12
    assert total[:11] == [14, 5, 7, 2, 11, 4, 5, 2, 3, 2, 1]
    assert total[11] == pytest.approx(0.8182, abs=1e-4)
    assert total[12] == pytest.approx(0.4167, abs=1e-4)
    figures = dossier_figures(calendar_period(2026, quarter=1))[None]
    assert total[:4] == [figures.received, figures.received_online, figures.received_offline,
                         figures.carried_over]  # fmt: skip
    unit_line = _row_starting(sheet, 1)
    assert unit_line[2].number_format == "#,##0"
    assert unit_line[13].number_format == "0.0%"


def test_a_unit_gets_its_own_dossier_statistics(client_for, head_b, unit_b, quarter_rows):
    query = {"ho-so-year": 2026, "ho-so-quarter": 1}
    sheet = _open(client_for(head_b).get("/bao-cao/mau/ho-so/", query))
    names = [row[1].value for row in sheet.iter_rows(min_row=10) if isinstance(row[0].value, int)]
    assert names == [unit_b.name]
    assert [cell.value for cell in _row_starting(sheet, "Tổng cộng")[2:6]] == [4, 0, 4, 0]


NUMBERS_AS_TYPED = ["1", "2", "3", "39", "4", "40", "2.1", "10", "2.10", "2.2"]
NUMBERS_IN_ORDER = ["1", "2", "2.1", "2.2", "2.10", "3", "4", "10", "39", "40"]


def test_task_report_sorts_task_numbers_as_numbers(today, client_for, home_affairs, plan, unit_a):
    area = CchcArea.objects.get(code=1)
    for number in NUMBERS_AS_TYPED:
        services.task_create(
            directive=plan, item_number=number, title=f"Việc {number}", lead_unit=unit_a,
            deadline=D(2026, 12, 31), area=area,
        )  # fmt: skip

    sheet = _task_report(client_for(home_affairs), plan)

    titles = [row[1].value for row in sheet.iter_rows(min_row=10) if row[1].value]
    assert [title.split(". ")[0] for title in titles] == NUMBERS_IN_ORDER
    # the STT column counts the rows in that order
    first = next(row for row in sheet.iter_rows(min_row=10) if row[1].value)
    assert (first[0].value, first[1].value) == (1, "1. Việc 1")


def test_lists_of_a_plans_tasks_sort_numbers_as_numbers(client_for, home_affairs, plan, unit_a):
    for number in NUMBERS_AS_TYPED:
        services.task_create(directive=plan, item_number=number, title=f"Việc {number}",
                             lead_unit=unit_a)  # fmt: skip
    client = client_for(home_affairs)

    plan_entry = client.get(reverse("tasks:plan_entry", args=[plan.pk]))
    detail = client.get(reverse("directives:directive_detail", args=[plan.pk]))

    assert [task.item_number for task in plan_entry.context["tasks"]] == NUMBERS_IN_ORDER
    assert [task.item_number for task, _rows in detail.context["rows"]] == NUMBERS_IN_ORDER


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (["10", "9", "1"], ["1", "9", "10"]),
        (["2.10", "2.9", "2"], ["2", "2.9", "2.10"]),
        (["1b", "1a", "1"], ["1", "1a", "1b"]),
    ],
)
def test_natural_key_orders_numbers_inside_text(numbers, expected):
    assert sorted(numbers, key=natural_key) == expected
