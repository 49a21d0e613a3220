"""Pages of periodic reports: scoping (another unit's report is a 404), who may write, the
reporting-rate links whose lists total the figure, and what a mistake shows."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from periodic_reports import brief, services
from periodic_reports.models import BriefDelivery, ReportKind, ReportRound, ReportTemplate
from tests.listpage import read_list_page

pytestmark = pytest.mark.django_db

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _url(name, report, **kwargs):
    return reverse(f"periodic_reports:{name}", args=[report.pk], kwargs=kwargs or None)


def test_another_units_report_is_a_404_on_every_page(client_for, report_a, staff_a, head_b):
    services.report_save(report=report_a, actor=staff_a)
    client = client_for(head_b)
    for name in ("report_detail", "report_docx", "report_xlsx"):
        assert client.get(_url(name, report_a)).status_code == 404, name
    for name in ("report_save", "report_submit", "report_pdf"):
        assert client.post(_url(name, report_a)).status_code == 404, name


def test_leaders_read_every_report_and_write_none(client_for, q3_round, report_a, staff_a, leader):
    services.report_save(report=report_a, actor=staff_a)
    client = client_for(leader)
    assert client.get(_url("report_detail", report_a)).status_code == 200
    province = q3_round.reports.get(unit=None)
    assert client.get(_url("report_detail", province)).status_code == 200
    assert (
        client.get(reverse("periodic_reports:round_detail", args=[q3_round.pk])).status_code == 200
    )
    assert client.post(_url("report_save", report_a)).status_code == 403
    assert client.post(reverse("periodic_reports:round_open")).status_code == 403


def test_only_home_affairs_opens_rounds_and_replaces_templates(
    client_for, kinds, home_affairs, head_a, leader
):
    for user in (head_a, leader):
        client = client_for(user)
        assert client.post(reverse("periodic_reports:round_open"), {"year": "x"}).status_code == 403
        assert client.get(reverse("periodic_reports:template")).status_code == 403
        upload = SimpleUploadedFile("m.docx", b"x")
        assert (
            client.post(reverse("periodic_reports:template"), {"file": upload}).status_code == 403
        )
    assert not ReportRound.objects.exists() and not ReportTemplate.objects.exists()


def test_opening_a_round_twice_says_so_beside_the_field(client_for, kinds, home_affairs, unit_a):
    client = client_for(home_affairs)
    data = {"kind": kinds["h1"].pk, "year": "2026"}
    with time_machine.travel(datetime.datetime(2026, 6, 10, 9, tzinfo=VN), tick=False):
        assert client.post(reverse("periodic_reports:round_open"), data).status_code == 302
        again = client.post(reverse("periodic_reports:round_open"), data)
    assert again.status_code == 400
    assert "Kỳ Báo cáo 6 tháng 2026 đã được mở." in again.content.decode()


def test_a_bad_template_upload_shows_the_message(client_for, home_affairs):
    client = client_for(home_affairs)
    response = client.post(
        reverse("periodic_reports:template"), {"file": SimpleUploadedFile("mau.xlsx", b"PK\x03")}
    )
    assert response.status_code == 400
    assert "Tệp không phải là văn bản Word (.docx)." in response.content.decode()


def test_the_unit_sees_its_due_report_in_its_inbox_and_submits_it(
    client_for, report_a, staff_a, head_a
):
    inbox = client_for(head_a).get(reverse("tasks:inbox")).content.decode()
    assert 'id="due-periodic-reports"' in inbox and "Báo cáo quý III 2026" in inbox
    client = client_for(head_a)
    client.post(_url("report_save", report_a), {"recompute": "1"})
    response = client.post(_url("report_submit", report_a), follow=True)
    assert "Đã gửi báo cáo tới Sở Nội vụ." in response.content.decode()
    assert 'id="due-periodic-reports"' not in client.get(reverse("tasks:inbox")).content.decode()


def test_reporting_rate_figures_link_lists_of_exactly_those_reports(
    client_for, q3_round, report_a, staff_a, head_a, home_affairs
):
    services.report_save(report=report_a, actor=staff_a)
    services.report_submit(report=report_a, actor=head_a)
    client = client_for(home_affairs)
    page = client.get(reverse("periodic_reports:round_detail", args=[q3_round.pk]))
    figures = page.context["figures"]
    assert (figures["expected"].rows, figures["submitted"].rows) == (4, 1)
    for key in ("expected", "submitted", "on_time"):
        listed = read_list_page(client.get(figures[key].url))
        assert listed.total == figures[key].rows, key


@override_settings(SOFFICE_BINARY="no-such-soffice")
def test_without_libreoffice_the_page_says_pdf_is_unavailable(client_for, report_a, staff_a):
    services.report_save(report=report_a, actor=staff_a)
    page = client_for(staff_a).get(_url("report_detail", report_a)).content.decode()
    assert "PDF không khả dụng trên máy này" in page and 'id="make-pdf"' not in page


def test_the_monthly_brief_goes_once_per_person_per_month(leader, home_affairs, unit_a):
    import datetime

    day = datetime.date(2026, 11, 3)
    for user in (leader, home_affairs):
        user.email = f"{user.username}@anhoa.example"
        user.save()
    assert brief.briefs_send(day=day) == 2
    assert brief.briefs_send(day=day) == 0  # a second beat or a retry mails nobody again
    assert len(mail.outbox) == 2 and BriefDelivery.objects.count() == 2
    message = mail.outbox[0]
    assert message.subject == "Bản tin CCHC tháng 11/2026"
    assert message.attachments[0][0] == "ban-tin-cchc-2026-11.docx"


def test_home_affairs_moves_a_due_day_and_a_bad_one_is_refused(client_for, kinds, home_affairs):
    client = client_for(home_affairs)
    kind = kinds["q3"]
    prefix = f"k{kind.pk}"
    data = {
        "kind": kind.pk,
        f"{prefix}-name": kind.name,
        f"{prefix}-start_day": "15",
        f"{prefix}-start_month": "6",
        f"{prefix}-end_day": "14",
        f"{prefix}-end_month": "9",
        f"{prefix}-unit_due_day": "18",
        f"{prefix}-due_day": "22",
    }
    assert client.post(reverse("periodic_reports:kind_list"), data).status_code == 302
    kind.refresh_from_db()
    assert kind.due_date(2026).day == 22 and kind.unit_due_date(2026).day == 18
    bad = client.post(reverse("periodic_reports:kind_list"), data | {f"{prefix}-end_day": "31"})
    assert bad.status_code == 400
    assert "không tạo thành ngày hợp lệ" in bad.content.decode()
    kind.refresh_from_db()
    assert kind.end_day == 14


def test_the_leader_dashboards_reporting_rate_links_lists_of_its_numbers(
    client_for, settings, q3_round, report_a, staff_a, head_a, leader
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    services.report_save(report=report_a, actor=staff_a)
    services.report_submit(report=report_a, actor=head_a)
    client = client_for(leader)
    page = client.get(reverse("reporting:leadership_dashboard"), {"year": 2026})
    html = page.content.decode()
    assert 'id="reporting-rate-panel"' in html and "Báo cáo quý III 2026" in html
    figures = page.context["panels"]["reporting_rate"]["figures"]
    assert (figures["expected"].rows, figures["submitted"].rows) == (4, 1)
    for key in ("expected", "submitted", "on_time"):
        assert f'data-figure="{figures[key].rows}"' in html
        assert read_list_page(client.get(figures[key].url)).total == figures[key].rows, key


def test_a_unit_report_not_started_reads_as_a_report_state(client_for, report_a, head_a):
    # given a round just opened: unit A's report is not started
    # when its head opens the reports page and the report
    index = client_for(head_a).get(reverse("periodic_reports:index")).content.decode()
    detail = client_for(head_a).get(_url("report_detail", report_a)).content.decode()
    # then the state says no report was written yet, not the task status "Chưa triển khai"
    assert "Chưa lập báo cáo" in index and "Chưa lập báo cáo" in detail
    assert "Chưa triển khai" not in index and "Chưa triển khai" not in detail


def test_opening_a_round_past_its_due_day_warns_and_asks_to_confirm(
    client_for, kinds, home_affairs, unit_a
):
    # given the H1 2026 round, whose units had to report by 17/06/2026, opened on 10/07/2026
    client = client_for(home_affairs)
    data = {"kind": kinds["h1"].pk, "year": "2026"}
    with time_machine.travel(datetime.datetime(2026, 7, 10, 9, tzinfo=VN), tick=False):
        # when Home Affairs opens it
        warned = client.post(reverse("periodic_reports:round_open"), data)
        # then nothing is opened: the page says the period and the due day are past
        page = warned.content.decode()
        assert warned.status_code == 400 and not ReportRound.objects.exists()
        assert "Thời gian lấy số liệu đã kết thúc ngày 14/06/2026" in page
        assert "hạn gửi của đơn vị là 17/06/2026 đã qua" in page
        assert 'type="checkbox" name="confirm_past_due"' in page
        # when the officer ticks the box, the round opens
        confirmed = client.post(
            reverse("periodic_reports:round_open"), {**data, "confirm_past_due": "on"}
        )
        assert confirmed.status_code == 302 and ReportRound.objects.count() == 1


def test_a_later_due_day_opens_a_round_whose_kind_day_is_past(
    client_for, kinds, home_affairs, unit_a
):
    client = client_for(home_affairs)
    data = {"kind": kinds["h1"].pk, "year": "2026", "unit_due_date": "20/06/2026"}
    with time_machine.travel(datetime.datetime(2026, 6, 18, 9, tzinfo=VN), tick=False):
        response = client.post(reverse("periodic_reports:round_open"), data)
    assert response.status_code == 302
    assert ReportRound.objects.get().unit_due_date == datetime.date(2026, 6, 20)


def test_a_due_day_before_the_period_starts_is_refused(client_for, kinds, home_affairs, unit_a):
    client = client_for(home_affairs)
    data = {"kind": kinds["q3"].pk, "year": "2026", "unit_due_date": "10/06/2026"}
    with time_machine.travel(datetime.datetime(2026, 6, 20, 9, tzinfo=VN), tick=False):
        response = client.post(reverse("periodic_reports:round_open"), data)
    page = response.content.decode()
    assert response.status_code == 400 and not ReportRound.objects.exists()
    assert "Hạn gửi 10/06/2026 ở trước ngày bắt đầu lấy số liệu (15/06/2026)" in page


def test_a_report_kind_with_a_four_digit_id_posts_its_own_id(client_for, kinds, home_affairs):
    # given a report kind whose id is 1234 (localized, it would print "1.234")
    ReportKind.objects.filter(pk=kinds["q3"].pk).update(id=1234)
    # when Home Affairs opens the kinds page
    page = client_for(home_affairs).get(reverse("periodic_reports:kind_list")).content.decode()
    # then its form posts 1234 back
    assert '<input type="hidden" name="kind" value="1234">' in page
