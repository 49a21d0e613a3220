"""Periodic reports: windows as data, rounds and their obligations, drafts and versions, the
submit / confirm / return workflow with its notifications, and template checks."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from organizations.models import UnitKind, UnitLevel
from periodic_reports import document, services
from periodic_reports.default_template import build_default_template
from periodic_reports.models import PeriodicReport, ReportState, ReportTemplate, ReportVersion
from tests.factories import OrgUnitFactory, UserFactory
from tests.periodic_reports.conftest import DAY

pytestmark = pytest.mark.django_db
D = datetime.date


def test_the_windows_follow_the_cut_off_convention_and_are_data(kinds):
    assert kinds["q1"].window(2026) == (D(2025, 12, 15), D(2026, 3, 14))
    assert kinds["h1"].window(2026) == (D(2025, 12, 15), D(2026, 6, 14))
    assert kinds["q3"].window(2026) == (D(2026, 6, 15), D(2026, 9, 14))
    assert kinds["year"].window(2026) == (D(2025, 12, 15), D(2026, 12, 14))
    assert kinds["q3"].due_date(2026) == D(2026, 9, 20)
    # Home Affairs moves the due day: the next round follows
    kinds["q3"].due_day = 22
    kinds["q3"].save()
    assert kinds["q3"].due_date(2026) == D(2026, 9, 22)


def test_a_round_has_one_report_per_department_and_commune_valid_that_day(
    kinds, home_affairs, unit_a, unit_b, commune, province, django_capture_on_commit_callbacks
):
    # given a district abolished before the day and a staff member of unit A
    OrgUnitFactory(
        code="H-OLD",
        name="Huyện Cũ",
        kind=UnitKind.DISTRICT,
        level=UnitLevel.DISTRICT,
        parent=province,
        valid_to=D(2025, 6, 30),
    )
    ended = OrgUnitFactory(
        code="S-OLD", name="Sở Đã Nhập", parent=province, valid_to=D(2025, 2, 28)
    )
    staff = UserFactory(username="staff_x", role="unit_staff", unit=unit_a)
    # when Home Affairs opens the Q3 round
    with django_capture_on_commit_callbacks(execute=True):
        round_ = services.round_open(actor=home_affairs, kind=kinds["q3"], year=2026, day=DAY)
    # then every department and commune of the day has a report, and the province its own
    units = set(round_.reports.exclude(unit=None).values_list("unit__code", flat=True))
    assert units == {"SNV", "STC", "STP", "X-A"}
    assert ended.code not in units
    assert round_.reports.filter(unit=None).count() == 1
    assert (round_.start, round_.end, round_.unit_due_date) == (
        D(2026, 6, 15),
        D(2026, 9, 14),
        D(2026, 9, 17),
    )
    # and the unit's people are told, in Vietnamese, with the due date
    note = Notification.objects.get(recipient=staff)
    assert "17/09/2026" in note.message and "Báo cáo quý III 2026" in note.message


def test_only_home_affairs_opens_a_round_and_only_once(kinds, home_affairs, leader, head_a):
    for actor in (leader, head_a):
        with pytest.raises(PermissionDenied):
            services.round_open(actor=actor, kind=kinds["q3"], year=2026, day=DAY)
    services.round_open(actor=home_affairs, kind=kinds["q3"], year=2026, day=DAY)
    with pytest.raises(ValidationError) as error:
        services.round_open(actor=home_affairs, kind=kinds["q3"], year=2026, day=DAY)
    assert "đã được mở" in str(error.value)


def test_a_round_of_a_period_not_begun_is_refused(kinds, home_affairs):
    with pytest.raises(ValidationError) as error:
        services.round_open(actor=home_affairs, kind=kinds["q3"], year=2027, day=DAY)
    assert "15/06/2027" in str(error.value)


def test_each_save_is_a_version_and_a_stale_save_is_refused(report_a, staff_a, head_a):
    # the first save computes the figures and pre-fills every area
    first = services.report_save(report=report_a, actor=staff_a)
    assert first.number == 1 and set(first.sections) >= {str(code) for code in range(1, 9)}
    assert first.sections["1"]["results"].startswith("Trong kỳ, đơn vị")
    # an edit keeps the figures and the edited text
    sections = {**first.sections, "1": {**first.sections["1"], "results": "Đã sửa."}}
    second = services.report_save(
        report=report_a, actor=head_a, sections=sections, expected_version=1
    )
    assert second.number == 2 and second.sections["1"]["results"] == "Đã sửa."
    assert second.figures == first.figures
    # a page opened on version 1 cannot overwrite version 2
    with pytest.raises(ValidationError):
        services.report_save(report=report_a, actor=staff_a, sections=sections, expected_version=1)
    # reopening version 1 makes it the draft again, as version 3
    third = services.report_reopen_version(report=report_a, actor=staff_a, version=first)
    assert third.number == 3 and third.sections == first.sections
    assert ReportVersion.objects.filter(report=report_a).count() == 3


def test_another_unit_and_leaders_cannot_write_a_units_report(
    report_a, head_b, leader, home_affairs
):
    for actor in (head_b, leader, home_affairs):
        with pytest.raises(PermissionDenied):
            services.report_save(report=report_a, actor=actor)


def test_submit_confirm_and_return_with_their_notifications(
    report_a, staff_a, head_a, home_affairs, django_capture_on_commit_callbacks
):
    services.report_save(report=report_a, actor=staff_a)
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report_a, actor=staff_a)  # staff drafts, the head submits
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=report_a, actor=head_a)
    report_a.refresh_from_db()
    assert report_a.state == ReportState.SUBMITTED and report_a.submitted_on is not None
    assert Notification.objects.filter(
        recipient=home_affairs, dedupe_key__startswith="periodic_report.submitted"
    ).exists()
    # a return needs a reason
    with pytest.raises(ValidationError):
        services.report_return(report=report_a, actor=home_affairs, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.report_return(report=report_a, actor=home_affairs, reason="Thiếu số liệu xã.")
    report_a.refresh_from_db()
    assert report_a.state == ReportState.RETURNED and report_a.submitted_on is None
    returned = Notification.objects.get(
        recipient=head_a, dedupe_key__startswith="periodic_report.returned"
    )
    assert "Thiếu số liệu xã." in returned.message
    # the unit fixes it and submits again; Home Affairs confirms
    services.report_save(report=report_a, actor=staff_a)
    services.report_submit(report=report_a, actor=head_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_confirm(report=report_a, actor=home_affairs)
    report_a.refresh_from_db()
    assert report_a.state == ReportState.CONFIRMED
    with pytest.raises(ValidationError):
        services.report_save(report=report_a, actor=staff_a)  # a confirmed report is closed


def test_the_province_report_consolidates_the_units(
    q3_round, report_a, staff_a, head_a, home_affairs
):
    version = services.report_save(report=report_a, actor=staff_a)
    sections = {
        **version.sections,
        "2": {**version.sections["2"], "results": "Rà soát 12 văn bản."},
    }
    services.report_save(report=report_a, actor=staff_a, sections=sections)
    services.report_submit(report=report_a, actor=head_a)
    province = q3_round.reports.get(unit=None)
    draft = services.report_save(report=province, actor=home_affairs)
    units = draft.figures["units"]
    assert (units["expected"], units["submitted"]) == (4, 1)
    assert "Sở Tài chính: Rà soát 12 văn bản." in draft.sections["2"]["results"]


def test_an_empty_window_issues_nothing(report_a, staff_a):
    version = services.report_save(report=report_a, actor=staff_a)
    assert version.figures["has_data"] is False
    for render in (document.render_docx, document.render_xlsx):
        with pytest.raises(ValidationError) as error:
            render(report_a, version)
        assert "15/06/2026" in str(error.value) and "chưa có số liệu" in str(error.value)
    with pytest.raises(ValidationError):
        services.pdf_request(version=version, actor=staff_a)
    assert not version.pdfs.exists()


def _docx_with(tmp_path, *texts: str) -> bytes:
    from docx import Document

    document_ = Document()
    for text in texts:
        document_.add_paragraph(text)
    path = tmp_path / "mau.docx"
    document_.save(path)
    return path.read_bytes()


REQUIRED = [
    "{{ coquan }}",
    "{{ sokyhieu }}",
    "{{ diadanhngay }}",
    "{{ trichyeu }}",
    "{{ chucvunguoiky }}",
]


@pytest.mark.parametrize(
    ("name", "texts", "message"),
    [
        ("mau.pdf", None, "không phải là văn bản Word"),
        ("mau.docx", None, "không phải là văn bản Word"),  # a .docx name on other bytes
        ("mau.docx", [*REQUIRED, "{{ sohieu }}"], "{{ sohieu }}"),  # misspelt
        ("mau.docx", REQUIRED[1:], "thiếu các trường bắt buộc: {{ coquan }}"),  # missing
        ("mau.docx", [*REQUIRED, "{% for x in %}"], "Không đọc được"),  # broken syntax
    ],
)
def test_a_bad_template_is_refused_with_a_vietnamese_message_and_not_stored(
    tmp_path, home_affairs, name, texts, message
):
    data = _docx_with(tmp_path, *texts) if texts else b"%PDF-1.4 not a word file"
    upload = SimpleUploadedFile(name, data)
    with pytest.raises(ValidationError) as error:
        services.template_upload(actor=home_affairs, upload=upload)
    assert message in " ".join(error.value.messages)
    assert not ReportTemplate.objects.exists()


def test_a_good_template_is_stored_and_used(tmp_path, report_a, staff_a, home_affairs, head_a):
    data = _docx_with(tmp_path, *REQUIRED, "Tổng số nhiệm vụ: {{ tongnhiemvu.total }}")
    with pytest.raises(PermissionDenied):
        services.template_upload(actor=head_a, upload=SimpleUploadedFile("m.docx", data))
    services.template_upload(actor=home_affairs, upload=SimpleUploadedFile("mau.docx", data))
    assert ReportTemplate.objects.count() == 1
    assert document.template_bytes() == data


def test_the_default_template_passes_its_own_check(tmp_path):
    path = build_default_template(tmp_path / "default.docx")
    document.check_template(path.read_bytes())
    # and the committed file is the one the builder writes (same placeholders)
    assert document.template_variables(path.read_bytes()) == document.template_variables(
        document.DEFAULT_TEMPLATE.read_bytes()
    )


def test_reports_of_units_created_later_are_not_added_to_an_open_round(q3_round, province):
    OrgUnitFactory(code="X-NEW", name="Xã Mới", kind=UnitKind.COMMUNE, parent=province)
    assert not PeriodicReport.objects.filter(round=q3_round, unit__code="X-NEW").exists()


def test_annex_text_that_looks_like_a_formula_stays_text(report_a):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = document._sheet(
        workbook,
        "PL",
        report_a,
        "PHỤ LỤC",
        [("Nhiệm vụ", 30), ("Số", 8), ("Ghi chú", 10), ("Đơn vị", 10)],
        [("=1+1", 3, "", "")],
    )
    text, number = sheet.cell(row=sheet.max_row, column=1), sheet.cell(sheet.max_row, 2)
    assert (text.value, text.data_type) == ("=1+1", "s")
    assert (number.value, number.data_type) == (3, "n")
