import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks import services
from tasks.models import AssignmentTransfer, ExtensionState, ReportState, Review
from tasks.status import Status, WorkflowState
from tests.factories import OrgUnitFactory

D = datetime.date


def _done_report(assignment, staff, pdf_file):
    return services.report_draft(
        assignment=assignment,
        author=staff,
        percent=100,
        text="Đã hoàn thành, gửi kèm báo cáo.",
        reports_done=True,
        files=[pdf_file()],
    )


def test_staff_drafts_and_head_submits_progress(assignment_a, staff_a, head_a):
    # given a draft by staff
    report = services.report_draft(
        assignment=assignment_a, author=staff_a, percent=40, text="Đang rà soát"
    )
    assert report.state == ReportState.DRAFT
    # when the head submits it
    services.report_submit(report=report, actor=head_a, on=D(2026, 5, 2))
    # then the assignment is in progress from that day
    assignment_a.refresh_from_db()
    assert assignment_a.started_on == D(2026, 5, 2)
    assert assignment_a.progress_percent == 40
    assert assignment_a.state == WorkflowState.OPEN


def test_staff_cannot_submit(assignment_a, staff_a):
    report = services.report_draft(assignment=assignment_a, author=staff_a, percent=10, text="x")
    with pytest.raises(PermissionDenied):
        services.report_submit(report=report, actor=staff_a)


def test_other_unit_cannot_draft_a_report(assignment_a, head_b, home_affairs):
    for actor in (head_b, home_affairs):
        with pytest.raises(PermissionDenied):
            services.report_draft(assignment=assignment_a, author=actor, percent=10, text="x")


def test_submitted_report_cannot_be_submitted_again_nor_get_files(assignment_a, head_a, pdf_file):
    report = services.report_draft(assignment=assignment_a, author=head_a, percent=10, text="x")
    services.report_submit(report=report, actor=head_a)
    with pytest.raises(ValidationError):
        services.report_submit(report=report, actor=head_a)
    with pytest.raises(ValidationError):
        services.evidence_add(report=report, upload=pdf_file(), actor=head_a)


def test_done_needs_evidence_when_the_output_is_a_document(assignment_a, head_a):
    report = services.report_draft(
        assignment=assignment_a, author=head_a, percent=100, text="Xong", reports_done=True
    )
    with pytest.raises(ValidationError, match="minh chứng"):
        services.report_submit(report=report, actor=head_a)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_done_without_evidence_is_fine_for_an_activity(assignment_b, unit_b):
    from tests.factories import UserFactory

    head = UserFactory(role="unit_head", unit=unit_b)
    report = services.report_draft(
        assignment=assignment_b, author=head, percent=100, text="Xong", reports_done=True
    )
    services.report_submit(report=report, actor=head, on=D(2026, 9, 1))
    assignment_b.refresh_from_db()
    assert assignment_b.state == WorkflowState.AWAITING_CONFIRMATION


def test_evidence_is_checked_by_content_and_hashed(assignment_a, staff_a):
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError):
        services.report_draft(
            assignment=assignment_a, author=staff_a, percent=5, text="x", files=[fake]
        )
    good = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 body", "text/plain")
    report = services.report_draft(
        assignment=assignment_a, author=staff_a, percent=5, text="x", files=[good]
    )
    evidence = report.evidence.get()
    assert evidence.content_type == "application/pdf"
    assert len(evidence.sha256) == 64
    assert evidence.size == len(b"%PDF-1.4 body")
    assert "bao-cao" not in evidence.file.name


def test_confirmation_keeps_the_reported_date_as_completion(
    assignment_a, staff_a, head_a, home_affairs, pdf_file
):
    # given the unit reported done on the deadline day and Home Affairs confirms a week later
    services.report_submit(
        report=_done_report(assignment_a, staff_a, pdf_file), actor=head_a, on=D(2026, 9, 15)
    )
    services.assignment_confirm(assignment=assignment_a, actor=home_affairs)
    # then it is done on time
    assignment_a.refresh_from_db()
    assert assignment_a.completed_on == D(2026, 9, 15)
    assert assignment_a.state == WorkflowState.CONFIRMED
    from tasks.models import Assignment

    row = Assignment.objects.with_status(as_of=D(2026, 9, 22)).get(pk=assignment_a.pk)
    assert row.status == Status.DONE_ON_TIME


def test_only_home_affairs_confirms_and_only_what_awaits(
    assignment_a, staff_a, head_a, leader, home_affairs, pdf_file
):
    with pytest.raises(ValidationError):
        services.assignment_confirm(assignment=assignment_a, actor=home_affairs)
    services.report_submit(report=_done_report(assignment_a, staff_a, pdf_file), actor=head_a)
    for actor in (head_a, leader):
        with pytest.raises(PermissionDenied):
            services.assignment_confirm(assignment=assignment_a, actor=actor)


def test_return_needs_a_reason_and_reopens_the_work(
    assignment_a, staff_a, head_a, home_affairs, pdf_file
):
    services.report_submit(
        report=_done_report(assignment_a, staff_a, pdf_file), actor=head_a, on=D(2026, 9, 10)
    )
    with pytest.raises(ValidationError):
        services.assignment_return(assignment=assignment_a, actor=home_affairs, reason=" ")
    services.assignment_return(
        assignment=assignment_a, actor=home_affairs, reason="Thiếu số liệu quý III"
    )
    assignment_a.refresh_from_db()
    assert assignment_a.state == WorkflowState.RETURNED
    assert assignment_a.completed_on is None
    assert Review.objects.get().reason == "Thiếu số liệu quý III"
    # and the unit can report again
    services.report_submit(
        report=_done_report(assignment_a, staff_a, pdf_file), actor=head_a, on=D(2026, 9, 20)
    )
    assignment_a.refresh_from_db()
    assert assignment_a.state == WorkflowState.AWAITING_CONFIRMATION
    assert assignment_a.completed_on == D(2026, 9, 20)


def test_no_report_after_reporting_done(assignment_a, staff_a, head_a, pdf_file):
    services.report_submit(report=_done_report(assignment_a, staff_a, pdf_file), actor=head_a)
    with pytest.raises(ValidationError):
        services.report_draft(assignment=assignment_a, author=staff_a, percent=50, text="x")


def test_extension_approved_moves_the_effective_deadline(assignment_a, staff_a, home_affairs):
    extension = services.extension_request(
        assignment=assignment_a,
        actor=staff_a,
        requested_deadline=D(2026, 10, 15),
        reason="Chờ số liệu của Bộ",
    )
    with pytest.raises(ValidationError):  # one pending request at a time
        services.extension_request(
            assignment=assignment_a,
            actor=staff_a,
            requested_deadline=D(2026, 10, 30),
            reason="again",
        )
    services.extension_approve(extension=extension, actor=home_affairs)
    assignment_a.refresh_from_db()
    assert assignment_a.extended_deadline == D(2026, 10, 15)
    assert assignment_a.deadline == D(2026, 9, 15)
    with pytest.raises(ValidationError):
        services.extension_refuse(extension=extension, actor=home_affairs, note="late")


def test_extension_refused_keeps_the_deadline(assignment_a, head_a, home_affairs):
    extension = services.extension_request(
        assignment=assignment_a, actor=head_a, requested_deadline=D(2026, 10, 15), reason="r"
    )
    with pytest.raises(PermissionDenied):
        services.extension_approve(extension=extension, actor=head_a)
    with pytest.raises(ValidationError):
        services.extension_refuse(extension=extension, actor=home_affairs, note="")
    services.extension_refuse(extension=extension, actor=home_affairs, note="Không có căn cứ")
    extension.refresh_from_db()
    assignment_a.refresh_from_db()
    assert extension.state == ExtensionState.REFUSED
    assert assignment_a.extended_deadline is None


def test_extension_must_be_later_and_from_the_unit(assignment_a, head_a, head_b):
    with pytest.raises(ValidationError):
        services.extension_request(
            assignment=assignment_a, actor=head_a, requested_deadline=D(2026, 9, 1), reason="r"
        )
    with pytest.raises(PermissionDenied):
        services.extension_request(
            assignment=assignment_a, actor=head_b, requested_deadline=D(2026, 12, 1), reason="r"
        )


def test_transfer_of_a_merged_away_unit_to_its_successor(home_affairs, province):
    # given a district abolished on 30/6/2025 with a successor commune, and its task of a 2024
    # plan
    from tests.tasks.factories import DirectiveFactory

    directive = DirectiveFactory(number="100/KH-UBND", issue_date=D(2024, 3, 1))
    district = OrgUnitFactory(
        code="H-X", name="Huyện X", kind="district", level="district",
        valid_to=D(2025, 6, 30), parent=province,
    )  # fmt: skip
    commune = OrgUnitFactory(code="X-Y", name="Xã Y", kind="commune", level="commune")
    other = OrgUnitFactory(code="X-Z", name="Xã Z", kind="commune", level="commune")
    district.successors.set([commune])
    task = services.task_create(directive=directive, item_number="9", title="t", lead_unit=district)
    assignment = task.assignments.get()
    # a unit that is not its successor is refused
    with pytest.raises(ValidationError):
        services.assignment_transfer(assignment=assignment, to_unit=other, actor=home_affairs)
    # when transferred
    services.unit_transfer_open_assignments(unit=district, to_unit=commune, actor=home_affairs)
    # then the assignment is the commune's and the move is recorded
    assignment.refresh_from_db()
    assert assignment.unit == commune
    record = AssignmentTransfer.objects.get()
    assert (record.from_unit, record.to_unit) == (district, commune)
    assert assignment.history.count() >= 2


def test_transfer_refused_for_a_unit_that_still_exists(assignment_a, unit_b, home_affairs, head_a):
    with pytest.raises(PermissionDenied):
        services.assignment_transfer(assignment=assignment_a, to_unit=unit_b, actor=head_a)
    with pytest.raises(ValidationError):
        services.assignment_transfer(assignment=assignment_a, to_unit=unit_b, actor=home_affairs)


def test_suspend_resume_cancel(assignment_a, home_affairs, head_a):
    with pytest.raises(PermissionDenied):
        services.assignment_suspend(assignment=assignment_a, actor=head_a)
    services.assignment_suspend(assignment=assignment_a, actor=home_affairs)
    assert assignment_a.state == WorkflowState.SUSPENDED
    services.assignment_resume(assignment=assignment_a, actor=home_affairs)
    with pytest.raises(ValidationError):
        services.assignment_resume(assignment=assignment_a, actor=home_affairs)
    with pytest.raises(ValidationError):
        services.assignment_cancel(assignment=assignment_a, actor=home_affairs, reason=" ")
    services.assignment_cancel(
        assignment=assignment_a, actor=home_affairs, reason="Nhiệm vụ đã được thay thế"
    )
    assert assignment_a.history.latest().history_change_reason == "Nhiệm vụ đã được thay thế"
    assert assignment_a.state == WorkflowState.CANCELLED
