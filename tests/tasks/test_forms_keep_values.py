"""Forms keep what the user typed after any error, with a summary on top and each message beside
its field (templates/includes/form_fields.html), here on the assignment page's forms."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from dossiers.forms import AggregateRowForm
from tasks.forms import ReportForm
from tasks.models import DeadlineExtension, ProgressReport


def _report_url(assignment):
    return reverse("tasks:report_create", args=[assignment.pk])


def _summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_a_refused_evidence_file_keeps_the_percentage_and_the_text(
    client_for, staff_a, assignment_a
):
    # given staff fill the report and attach a file that is not a PDF, Word, Excel or image
    bad = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a document", "application/pdf")
    data = {"percent": "70", "text": "Đã rà soát 12 thủ tục", "evidence": bad, "draft": "1"}
    # when they save the draft
    response = client_for(staff_a).post(_report_url(assignment_a), data)
    html = response.content.decode()
    # then the page comes back with what they typed, nothing saved
    assert response.status_code == 200
    assert 'name="percent" value="70"' in html
    assert "Đã rà soát 12 thủ tục</textarea>" in html
    assert not ProgressReport.objects.filter(assignment=assignment_a).exists()
    # with a summary on top linking to the file field, the message beside it naming it,
    # and a request to choose the file again (a browser cannot keep it)
    summary = _summary(html)
    assert "Có 1 lỗi cần sửa" in summary
    assert 'href="#id_evidence"' in summary
    assert re.search(r'id="id_evidence_error">Tệp minh chứng: [^<]+', html)
    assert "Vui lòng chọn lại tệp" in html


def test_two_errors_are_counted_linked_and_named(client_for, staff_a, assignment_a):
    data = {"percent": "abc", "text": "", "draft": "1"}
    html = client_for(staff_a).post(_report_url(assignment_a), data).content.decode()
    summary = _summary(html)
    assert "Có 2 lỗi cần sửa" in summary
    assert 'href="#id_percent"' in summary and 'href="#id_text"' in summary
    assert re.search(r'id="id_percent_error">Tiến độ \(%\): ', html)
    assert 'name="percent" value="abc"' in html
    assert "is-invalid" in html


def test_required_fields_are_marked(client_for, staff_a, assignment_a):
    html = client_for(staff_a).get(reverse("tasks:assignment_detail", args=[assignment_a.pk]))
    text = html.content.decode()
    percent_label = re.search(r'<label class="form-label" for="id_percent">(.*?)</label>', text)
    evidence_label = re.search(r'<label class="form-label" for="id_evidence">(.*?)</label>', text)
    assert "*" in percent_label.group(1)
    assert "*" not in evidence_label.group(1)


def test_a_refused_extension_request_keeps_the_date_and_the_reason(
    client_for, head_a, assignment_a
):
    # given the head asks for a new deadline typed wrongly
    url = reverse("tasks:extension_request", args=[assignment_a.pk])
    data = {"requested_deadline": "31/02/2027", "reason": "Chờ ý kiến của Bộ"}
    html = client_for(head_a).post(url, data).content.decode()
    # then nothing is sent and the form shows what was typed, the message beside the date
    assert not DeadlineExtension.objects.exists()
    assert 'value="31/02/2027"' in html
    assert "Chờ ý kiến của Bộ</textarea>" in html
    assert re.search(r'id="id_requested_deadline_error">Thời hạn mới: ', html)


def test_the_form_dates_read_and_show_dd_mm_yyyy_with_the_picker():
    with translation.override("vi"):
        from tasks.forms import ExtensionRequestForm

        form = ExtensionRequestForm({"requested_deadline": "05/03/2027", "reason": "x"})
        assert form.is_valid()
        assert form.cleaned_data["requested_deadline"].isoformat() == "2027-03-05"
        html = str(form["requested_deadline"])
    assert 'value="05/03/2027"' in html
    assert "data-datepicker" in html
    assert 'type="text"' in html


@pytest.mark.parametrize(("typed", "expected"), [("1.234", 1234), ("70", 70), ("70,0", 70)])
def test_counts_are_typed_the_vietnamese_way(typed, expected):
    with translation.override("vi"):
        form = AggregateRowForm({"received_online": typed})
        form.is_valid()
    assert form.cleaned_data["received_online"] == expected


def test_a_percentage_reads_a_decimal_comma():
    with translation.override("vi"):
        form = ReportForm({"percent": "70,0", "text": "Đã làm"})
        assert form.is_valid()
    assert form.cleaned_data["percent"] == 70


def test_a_fraction_where_a_whole_number_is_needed_is_refused_with_a_message():
    with translation.override("vi"):
        form = ReportForm({"percent": "70,5", "text": "x"})
        assert not form.is_valid()
        assert form.errors["percent"]


def test_a_year_is_shown_without_a_thousands_dot():
    from reporting.dashboards.forms import DashboardFilterForm

    with translation.override("vi"):
        html = str(DashboardFilterForm(initial={"year": 2026})["year"])
    assert 'value="2026"' in html
