"""Dossier pages: scoping (404 for other units), the apology, imports, pinned query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers import rollups
from dossiers.models import AggregateRow, Dossier, DossierImport
from dossiers.services import AGGREGATE_COLUMNS
from tests.dossiers.factories import at, make_dossier, make_procedure


def test_a_unit_sees_its_own_dossier_and_gets_404_for_another(
    client_for, procedure, unit_a, unit_b, head_a
):
    own = make_dossier(procedure, unit_a)
    other = make_dossier(procedure, unit_b)
    client = client_for(head_a)
    assert client.get(reverse("dossiers:dossier_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("dossiers:dossier_detail", args=[other.pk])).status_code == 404
    page = client.get(reverse("dossiers:dossier_list")).content.decode()
    assert own.code in page
    assert other.code not in page
    response = client.post(
        reverse("dossiers:dossier_apology", args=[other.pk]), {"new_due_date": "01/04/2026"}
    )
    assert response.status_code == 404


def test_leaders_and_home_affairs_see_every_unit(client_for, procedure, unit_a, unit_b, leader):
    make_dossier(procedure, unit_a)
    other = make_dossier(procedure, unit_b)
    client = client_for(leader)
    assert client.get(reverse("dossiers:dossier_detail", args=[other.pk])).status_code == 200


def test_staff_register_an_apology_from_the_detail_page(client_for, procedure, unit_a, staff_a):
    dossier = make_dossier(procedure, unit_a)  # open and overdue since 20/3/2026
    client = client_for(staff_a)
    page = client.get(reverse("dossiers:dossier_detail", args=[dossier.pk])).content.decode()
    assert 'name="new_due_date"' in page
    response = client.post(
        reverse("dossiers:dossier_apology", args=[dossier.pk]),
        {"new_due_date": "31/12/2099", "note": "Hẹn lại"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.apology_new_due_at.isoformat() == "2099-12-31"


def test_a_refused_apology_says_which_field_is_wrong(client_for, procedure, unit_a, staff_a):
    dossier = make_dossier(procedure, unit_a)
    url = reverse("dossiers:dossier_apology", args=[dossier.pk])
    client = client_for(staff_a)
    # a good date with a note too long: the note is named, not the date
    page = client.post(url, {"new_due_date": "31/12/2099", "note": "x" * 501}, follow=True)
    text = page.content.decode()
    assert "Ghi chú: " in text and "500" in text
    assert "Ngày hẹn trả mới: " not in text
    # a wrong date: the date is named
    page = client.post(url, {"new_due_date": "31/02/2099", "note": ""}, follow=True)
    assert "Ngày hẹn trả mới: " in page.content.decode()
    dossier.refresh_from_db()
    assert dossier.apology_new_due_at is None


def test_the_list_filters_and_pages_by_keyset(
    client_for, procedure, unit_a, home_affairs, monkeypatch
):
    for day in range(2, 12):
        make_dossier(procedure, unit_a, received_at=at(2026, 3, day), code=f"K{day:02d}")
    client = client_for(home_affairs)
    url = reverse("dossiers:dossier_list")
    monkeypatch.setattr("dossiers.views.PAGE_SIZE", 4)
    first = client.get(url)
    assert [row.code for row in first.context["rows"]] == ["K11", "K10", "K09", "K08"]
    second = client.get(f"{url}?{first.context['next_query']}")
    assert [row.code for row in second.context["rows"]] == ["K07", "K06", "K05", "K04"]
    assert "after" not in second.context["first_query"]
    online = client.get(url, {"channel": "online"})
    assert list(online.context["rows"]) == []


@pytest.mark.parametrize("count", [3, 15])
def test_list_query_count_is_pinned(
    client_for, procedure, unit_a, head_a, django_assert_num_queries, count
):
    for n in range(count):
        make_dossier(procedure, unit_a, received_at=at(2026, 3, 2, 8 + n % 8))
    client = client_for(head_a)
    client.get(reverse("dossiers:dossier_list"))
    # session, user (+ unit for the menu), filter choices: units, fields, units again (the
    # "unit and its sub-units" filter); the page of dossiers; the total (one COUNT over the
    # filtered set); then the session saved: savepoint, update, release
    with django_assert_num_queries(11):
        response = client.get(reverse("dossiers:dossier_list"))
    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [3, 15])
def test_dashboard_query_count_is_pinned(
    client_for, procedure, unit_a, unit_b, home_affairs, django_assert_num_queries, count
):
    for n in range(count):
        make_dossier(procedure, unit_a if n % 2 else unit_b, finished_at=at(2026, 3, 18))
    rollups.rollup_rebuild()
    client = client_for(home_affairs)
    client.get(reverse("dossiers:dashboard"))
    # session, user, unit; is the half-month rollup built (asked once); one half-month sum by
    # (unit, level) and one aggregate-row read; unit names; late dossiers and their count (a
    # running count of the rollup); the monthly trend (whole half-months, then the days of the
    # unfinished one); the unit choices of the form; session save (savepoint, update, release)
    with django_assert_num_queries(15):
        response = client.get(reverse("dossiers:dashboard"), {"year": 2026, "month": 3})
    assert response.context["total"].finished == count


def test_unit_dashboard_groups_by_field(client_for, procedure, unit_a, unit_b, head_a):
    make_dossier(procedure, unit_a, finished_at=at(2026, 3, 18))
    make_dossier(procedure, unit_b, finished_at=at(2026, 3, 18))
    rollups.rollup_rebuild()
    response = client_for(head_a).get(reverse("dossiers:dashboard"), {"year": 2026})
    assert response.context["group"] == "field"
    assert response.context["total"].finished == 1
    assert "dossier-chart-data" in response.content.decode()


def test_home_affairs_uploads_an_import_and_sees_its_status(
    client_for, procedure, unit_a, home_affairs, django_capture_on_commit_callbacks
):
    client = client_for(home_affairs)
    content = (
        "Mã hồ sơ,Mã thủ tục,Mã đơn vị,Hình thức nộp,Ngày tiếp nhận\n"
        "I1,1.001,STC,online,16/03/2026\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dossiers:import_list"),
            {"file": SimpleUploadedFile("a.csv", content.encode())},
        )
    record = DossierImport.objects.get()
    assert response.status_code == 302
    assert Dossier.objects.filter(code="I1").exists()
    detail = client.get(reverse("dossiers:import_detail", args=[record.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in detail.content.decode()  # finished: no more polling


def test_unit_staff_cannot_import(client_for, staff_a):
    assert client_for(staff_a).get(reverse("dossiers:import_list")).status_code == 403


def test_home_affairs_enters_an_unbalanced_report_line_and_sees_the_flag(
    client_for, unit_a, home_affairs
):
    client = client_for(home_affairs)
    data = {
        "unit": unit_a.pk,
        "period_start": "01/01/2026",
        "period_end": "30/06/2026",
        "received_online": 513,
        "received_offline": 877,
        "carried_over": 0,
        "received_total": 1380,
        "finished_early": 1000,
        "finished_on_time": 390,
        "finished_late": 0,
        "pending_within": 0,
        "pending_overdue": 0,
        "fee_required": 0,
        "paid_online": 0,
    }
    response = client.post(reverse("dossiers:aggregate_row_list"), data)
    assert response.status_code == 302
    page = client.get(reverse("dossiers:aggregate_row_list")).content.decode()
    assert "1380 ≠ 1390 (-10)" in page.replace(".", "")
    # the flag names the sum in words, not the check's key
    assert "Tiếp nhận = đã giải quyết + đang giải quyết: 1.380 ≠ 1.390 (-10)" in page
    assert "received = finished + pending" not in page


def _aggregate_csv(*lines):
    header = ",".join(f'"{spellings[0]}"' for spellings in AGGREGATE_COLUMNS.values())
    return SimpleUploadedFile("lines.csv", "\n".join([header, *lines]).encode())


def test_report_lines_import_all_or_nothing(client_for, unit_a, unit_b, home_affairs):
    client = client_for(home_affairs)
    url = reverse("dossiers:aggregate_row_import")
    good = "STC,01/01/2026,30/06/2026,,513,877,0,1380,1000,390,0,,0,0,,0,0"
    bad = "NOPE,01/01/2026,30/06/2026,,1,x,0,,0,0,0,,0,0,,0,0"
    # When a file with one bad line is uploaded, nothing is saved and both errors are listed
    response = client.post(url, {"file": _aggregate_csv(good, bad)})
    assert response.status_code == 200
    assert {(e.row, e.column) for e in response.context["import_errors"]} == {
        (3, "unit"),
        (3, "received_offline"),
    }
    assert not AggregateRow.objects.exists()
    # When the good line alone is uploaded, it is saved and flagged (1,380 against 1,390)
    response = client.post(url, {"file": _aggregate_csv(good)})
    assert response.status_code == 302
    row = AggregateRow.objects.get()
    assert row.imbalance[0]["difference"] == -10


def test_province_users_open_one_units_dashboard(client_for, procedure, unit_a, unit_b, leader):
    make_dossier(procedure, unit_a, finished_at=at(2026, 3, 18))
    make_dossier(procedure, unit_b, finished_at=at(2026, 3, 18))
    rollups.rollup_rebuild()
    client = client_for(leader)
    response = client.get(reverse("dossiers:dashboard"), {"year": 2026, "unit": unit_b.pk})
    assert response.context["group"] == "field"
    assert response.context["total"].finished == 1
    assert client.get(reverse("dossiers:dashboard"), {"year": 2026}).context["total"].finished == 2


def test_the_timeline_names_who_registered_the_apology(client_for, procedure, unit_a, staff_a):
    dossier = make_dossier(procedure, unit_a)
    client = client_for(staff_a)
    client.post(
        reverse("dossiers:dossier_apology", args=[dossier.pk]), {"new_due_date": "31/12/2099"}
    )
    page = client.get(reverse("dossiers:dossier_detail", args=[dossier.pk])).content.decode()
    assert staff_a.get_full_name() in page
    assert dossier.history.count() == 2  # created, apology


@pytest.mark.parametrize("count", [2, 12])
def test_procedure_catalogue_searches_without_accents(
    client_for, land, staff_a, django_assert_num_queries, count
):
    for n in range(count):
        make_procedure(f"2.{n:06d}", field=land)
    client = client_for(staff_a)
    client.get(reverse("dossiers:procedure_list"))
    # session, user, unit (menu), field choices, page count, the page; session save (3)
    with django_assert_num_queries(9):
        response = client.get(reverse("dossiers:procedure_list"), {"q": "bien dong"})
    assert len(response.context["page"].object_list) == count
    other = client.get(reverse("dossiers:procedure_list"), {"q": "khai sinh"})
    assert list(other.context["page"].object_list) == []


def test_a_quarter_in_the_cutoff_convention_runs_from_the_15th_to_the_14th(settings):
    import datetime

    from dossiers.forms import PeriodForm

    settings.DOSSIER_REPORT_CUTOFF_DAY = 15
    # given the first quarter in the reporting convention; when the dashboard reads its period
    form = PeriodForm({"year": 2026, "quarter": 1, "convention": "cutoff"})
    period = form.period()
    # then it runs from 15/12 of the year before to 14/03
    assert (period.start, period.end) == (datetime.date(2025, 12, 15), datetime.date(2026, 3, 14))
    # and the calendar quarter stays 01/01-31/03
    calendar = PeriodForm({"year": 2026, "quarter": 1}).period()
    assert (calendar.start, calendar.end) == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))


def test_a_union_of_timeliness_classes_lists_both(client_for, procedure, unit_a, leader):
    from dossiers import services as dossier_services

    # given three dossiers received on 02/03/2026: one finished early, two still open
    dossiers = [make_dossier(procedure, unit_a, received_at=at(2026, 3, 2)) for _ in range(3)]
    dossier_services.dossier_finish(dossier=dossiers[0], finished_at=at(2026, 3, 2, 10))
    client = client_for(leader)
    url = reverse("dossiers:dossier_list")
    # when the list is filtered by early or pending overdue, then both classes are listed
    response = client.get(f"{url}?timeliness=early&timeliness=pending_overdue")
    assert response.context["total"] == 3
    assert client.get(f"{url}?timeliness=early").context["total"] == 1
