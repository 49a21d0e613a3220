"""The list component (templates/includes/filter_bar.html, list_header.html, core/filterbar.py)
as a user meets it on the assignment list: every filter rendered, labelled and pre-filled,
removable tags, "Tất cả" defaults, dd/mm/yyyy dates, the total, whitelisted sorting."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from organizations.models import UnitKind, UnitLevel
from tasks.filters import AssignmentFilter
from tasks.status import Status
from tests.listpage import read_list_page
from tests.tasks.factories import AssignmentFactory, TaskFactory

D = datetime.date
LIST = "/nhiem-vu/tat-ca/"


def _query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


@pytest.fixture
def two_tasks(assignment_a, assignment_b):
    """Unit A's task is due 15/09/2026, unit B's 01/10/2026."""
    return assignment_a, assignment_b


def test_every_filter_is_rendered_labelled_and_pre_filled_from_the_url(
    client_for, home_affairs, two_tasks, directive, unit_a, unit_b
):
    # given a URL that sets every filter of the list (a dashboard link sends the ISO date)
    params = {
        "q": "rà soát",
        "status": ["overdue", "in_progress"],
        "directive": str(directive.pk),
        "unit": [str(unit_a.pk), str(unit_b.pk)],
        "period": "year",
        "year": "2026",
        "deadline_from": "01/09/2026",
        "deadline_to": "2026-09-30",
        "unit_kind": UnitKind.DEPARTMENT,
        "unit_level": UnitLevel.PROVINCE,
        "sort": "-deadline",
    }
    # when the list opens
    page = read_list_page(client_for(home_affairs).get(LIST, params))
    # then every field of the FilterSet is in the bar, each with a visible label
    names = set(AssignmentFilter().form.fields)
    assert names <= set(page.fields)
    for name in names - {"sort"}:
        assert page.labels.get(page.control_ids[name]), f"{name} has no label"
    # and each holds the value the URL gave, dates as dd/mm/yyyy
    assert page.fields["q"] == ["rà soát"]
    assert sorted(page.fields["status"]) == ["in_progress", "overdue"]
    assert page.fields["directive"] == [str(directive.pk)]
    assert sorted(page.fields["unit"]) == sorted([str(unit_a.pk), str(unit_b.pk)])
    assert page.fields["period"] == ["year"]
    assert page.fields["year"] == ["2026"]
    assert page.fields["deadline_from"] == ["01/09/2026"]
    assert page.fields["deadline_to"] == ["30/09/2026"]
    assert page.fields["unit_kind"] == [UnitKind.DEPARTMENT]
    assert page.fields["unit_level"] == [UnitLevel.PROVINCE]
    # the sort order travels with the form, and the button says "Lọc"
    assert page.fields["sort"] == ["-deadline"]
    assert page.submit_text == "Lọc"


def test_the_as_of_day_a_dashboard_link_names_is_a_field_the_filter_button_keeps(
    client_for, home_affairs, two_tasks
):
    # as_of is a filter of the list (drill-down contract): shown as a tag, kept by the form
    page = read_list_page(client_for(home_affairs).get(LIST, {"as_of": "2026-06-30"}))
    assert page.fields["as_of"] == ["30/06/2026"]
    assert [tag["param"] for tag in page.tags] == ["as_of"]


def test_active_filters_are_tags_people_can_read_each_removing_only_itself(
    client_for, home_affairs, two_tasks, unit_a, unit_b
):
    # given the list filtered by two units, a status and a date, sorted by deadline
    params = {
        "unit": [str(unit_a.pk), str(unit_b.pk)],
        "status": "in_progress",
        "deadline_from": "01/09/2026",
        "sort": "-deadline",
        "page": "1",
    }
    page = read_list_page(client_for(home_affairs).get(LIST, params))
    # then each filter is one tag with its label and its value as people read it
    tags = {tag["param"]: tag for tag in page.tags}
    assert set(tags) == {"unit", "status", "deadline_from"}
    assert tags["unit"]["text"] == "Đơn vị: Sở Tài chính, Sở Tư pháp ×"
    assert tags["deadline_from"]["text"] == "Thời hạn từ ngày: 01/09/2026 ×"
    assert tags["status"]["text"].startswith("Trạng thái: Đang thực hiện")
    # and each tag's link drops its own filter, keeps the others and the sort, restarts paging
    unit_link = _query(tags["unit"]["href"])
    assert "unit" not in unit_link and "page" not in unit_link
    assert unit_link["status"] == ["in_progress"]
    assert unit_link["deadline_from"] == ["01/09/2026"]
    assert unit_link["sort"] == ["-deadline"]
    # and "Xóa tất cả" drops every filter but keeps the order
    assert _query(page.clear_all) == {"sort": ["-deadline"]}


def test_no_tag_and_no_clear_all_link_without_a_filter(client_for, home_affairs, two_tasks):
    page = read_list_page(client_for(home_affairs).get(LIST))
    assert page.tags == []
    assert page.clear_all is None


def test_selects_default_to_tat_ca_and_yes_no_filters_to_tat_ca_co_khong(
    client_for, home_affairs, two_tasks
):
    # given the assignment list and the unit list (whose "existing today" filter is yes/no)
    client = client_for(home_affairs)
    tasks = client.get(LIST)
    units = client.get(reverse("organizations:unit_list"))
    # then single selects open on "Tất cả" and no "---------" or "Chưa xác định" is offered
    page = read_list_page(tasks)
    for name in ("directive", "area", "period", "unit_kind", "unit_level"):
        assert page.options[name][0] == ("", "Tất cả"), name
    for response in (tasks, units):
        text = response.content.decode()
        assert "---------" not in text
        assert "Chưa xác định" not in text
    assert read_list_page(units).options["current"] == [
        ("", "Tất cả"),
        ("true", "Có"),
        ("false", "Không"),
    ]


def test_units_are_a_searchable_multi_select(client_for, home_affairs, two_tasks):
    html = client_for(home_affairs).get(LIST).content.decode()
    assert 'name="unit" data-multiselect=""' in html
    assert "vendor/tom-select/tom-select.complete.min.js" in html
    assert "vendor/datepicker/datepicker-full.min.js" in html


def test_date_filters_accept_dd_mm_yyyy(client_for, home_affairs, two_tasks):
    client = client_for(home_affairs)
    # unit A's task is due 15/09/2026, unit B's 01/10/2026
    after_a = read_list_page(client.get(LIST, {"deadline_from": "16/09/2026"}))
    assert after_a.total == 1
    both = read_list_page(client.get(LIST, {"deadline_to": "01/10/2026"}))
    assert both.total == 2


def test_a_bad_date_is_named_beside_its_field_and_the_list_is_not_narrowed(
    client_for, home_affairs, two_tasks
):
    response = client_for(home_affairs).get(LIST, {"deadline_from": "31/02/2026"})
    page = read_list_page(response)
    assert response.status_code == 200
    assert page.total == 2
    assert "Thời hạn từ ngày: " in response.content.decode()
    assert page.fields["deadline_from"] == ["31/02/2026"]


def test_the_total_counts_the_filtered_rows_not_the_page(
    client_for, home_affairs, unit_a, unit_b, directive
):
    # given 53 tasks for unit A (more than a page of 50) and 2 for unit B
    for n in range(53):
        AssignmentFactory(unit=unit_a, task=TaskFactory(directive=directive, item_number=n))
    for n in range(53, 55):
        AssignmentFactory(unit=unit_b, task=TaskFactory(directive=directive, item_number=n))
    client = client_for(home_affairs)
    # then the total follows the filter, whatever the page
    assert read_list_page(client.get(LIST, {"unit": unit_a.pk})).total == 53
    assert read_list_page(client.get(LIST, {"unit": unit_a.pk, "page": 2})).total == 53
    both = read_list_page(client.get(LIST, {"unit": [unit_a.pk, unit_b.pk]}))
    assert both.total == 55
    assert both.total_text.startswith("55 nhiệm vụ")


def test_the_total_reads_the_vietnamese_way(rf):
    request = RequestFactory().get("/")
    template = Template('{% include "includes/list_header.html" with total=1256 noun="nhiệm vụ" %}')
    with translation.override("vi"):
        html = template.render(Context({"request": request}))
    assert 'data-total="1256"' in html
    assert "1.256 nhiệm vụ" in html


def test_sorting_by_a_header_keeps_the_filters_and_toggles_the_direction(
    client_for, home_affairs, two_tasks, unit_a, unit_b
):
    client = client_for(home_affairs)
    params = {"unit": [unit_a.pk, unit_b.pk]}
    page = read_list_page(client.get(LIST, params))
    ascending = _query(page.sort_links["deadline"])
    assert ascending["sort"] == ["deadline"]
    assert sorted(ascending["unit"]) == sorted([str(unit_a.pk), str(unit_b.pk)])
    sorted_page = client.get(LIST, {**params, "sort": "deadline"})
    assert _query(read_list_page(sorted_page).sort_links["deadline"])["sort"] == ["-deadline"]
    rows = list(sorted_page.context["page"])
    assert [row.eff_deadline for row in rows] == [D(2026, 9, 15), D(2026, 10, 1)]
    latest_first = list(client.get(LIST, {**params, "sort": "-deadline"}).context["page"])
    assert [row.eff_deadline for row in latest_first] == [D(2026, 10, 1), D(2026, 9, 15)]


@pytest.mark.parametrize("evil", ["evil", "-task__unit__users__password", "deadline;drop"])
def test_an_unknown_sort_keeps_the_default_order(client_for, home_affairs, two_tasks, evil):
    client = client_for(home_affairs)
    default = [row.pk for row in client.get(LIST).context["page"]]
    response = client.get(LIST, {"sort": evil})
    assert response.status_code == 200
    assert [row.pk for row in response.context["page"]] == default


def test_one_unit_from_a_link_still_filters(client_for, home_affairs, two_tasks, unit_a):
    page = read_list_page(client_for(home_affairs).get(LIST, {"unit": unit_a.pk}))
    assert page.total == 1
    assert [tag["param"] for tag in page.tags] == ["unit"]


def test_the_export_link_carries_the_filters_and_the_order(
    client_for, home_affairs, two_tasks, unit_a
):
    html = client_for(home_affairs).get(LIST, {"unit": unit_a.pk, "sort": "-deadline"})
    text = html.content.decode()
    assert f"/bao-cao/xuat-excel/assignments/?unit={unit_a.pk}&amp;sort=-deadline" in text


def test_the_export_holds_the_rows_of_the_page_in_its_order_on_its_day(
    client_for, home_affairs, two_tasks, unit_a, unit_b
):
    import io

    from openpyxl import load_workbook

    # given the list of both units, latest deadline first, read as of 20/09/2026 (unit A's task
    # is then overdue, unit B's in progress)
    params = {"unit": [unit_a.pk, unit_b.pk], "sort": "-deadline", "as_of": "2026-09-20"}
    client = client_for(home_affairs)
    page = client.get(LIST, params)
    # when the list is exported with the same query
    sheet = client.get("/bao-cao/xuat-excel/assignments/", params)
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    # then the sheet's rows are the page's, in the page's order, with the page's statuses
    shown = [(row.task.item_number, str(Status(row.status).label)) for row in page.context["page"]]
    status_col = rows[0].index("Trạng thái")
    assert [(str(row[1]), row[status_col]) for row in rows[1:]] == shown
    assert [number for number, _status in shown] == ["2", "1"]
