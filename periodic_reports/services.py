"""Writes of periodic reports: opening a round, saving a draft (each save a version), the
unit head's submission, Home Affairs' confirmation or return, template uploads and PDF jobs.

Each write asks periodic_reports/policy.py first: the actor (PermissionDenied) and the state
(ValidationError, in Vietnamese), then acts; history rows are written by django-simple-history
in the same transaction, notifications through notify.emit_event after the change is saved."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import background
from core.dispatch import send_on_commit
from organizations.models import OrgUnit, UnitKind
from organizations.selectors import units_valid_on
from periodic_reports import document, policy
from periodic_reports.figures import compute_figures
from periodic_reports.models import (
    PeriodicReport,
    ReportKind,
    ReportPdf,
    ReportRound,
    ReportState,
    ReportTemplate,
    ReportVersion,
)
from periodic_reports.narrative import SECTION_KEYS, generate_sections
from periodic_reports.notify import emit_event

# The units that report: departments and communes (the province's two levels since 2025).
REPORTING_KINDS = (UnitKind.DEPARTMENT, UnitKind.COMMUNE)
EDITABLE = policy.EDITABLE
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024

DEFAULT_KINDS = [
    # code, name, start (month, day, previous year), end (month, day), due, units due, KPI period
    ("q1", "Báo cáo quý I", (12, 15, True), (3, 14), 20, 17, "q1", 1),
    ("h1", "Báo cáo 6 tháng", (12, 15, True), (6, 14), 20, 17, "h1", 2),
    ("q3", "Báo cáo quý III", (6, 15, False), (9, 14), 20, 17, "m9", 3),
    ("year", "Báo cáo năm", (12, 15, True), (12, 14), 20, 17, "year", 4),
]


def report_kinds_seed() -> int:
    """The four kinds of the Ministry's guidance as provinces quote it; rows Home Affairs
    changed are left as they are. Safe to run again."""
    created = 0
    for code, name, start, end, due, unit_due, kpi_period, order in DEFAULT_KINDS:
        _kind, new = ReportKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "start_month": start[0],
                "start_day": start[1],
                "start_in_previous_year": start[2],
                "end_month": end[0],
                "end_day": end[1],
                "due_day": due,
                "unit_due_day": unit_due,
                "kpi_period": kpi_period,
                "order": order,
            },
        )
        created += new
    return created


def _save(row) -> None:
    row.full_clean()
    row.save()


KIND_FIELDS = (
    "name",
    "start_month",
    "start_day",
    "start_in_previous_year",
    "end_month",
    "end_day",
    "unit_due_day",
    "due_day",
)


@transaction.atomic
def report_kind_update(*, actor, kind: ReportKind, data: dict) -> ReportKind:
    """Home Affairs moves a window or a due day (rounds already open keep theirs)."""
    policy.require(actor, policy.KIND_EDIT)
    for field in KIND_FIELDS:
        if field in data:
            setattr(kind, field, data[field])
    errors = {}
    try:
        start, end = kind.window(2024)  # a leap year: 29/02 is a day
        kind.due_date(2024)
        kind.unit_due_date(2024)
    except ValueError:
        errors["end_day"] = _("These days do not form dates (check each day against its month).")
    else:
        if start >= end:
            errors["end_day"] = _("The window must end after it starts.")
        elif kind.unit_due_day > kind.due_day:
            errors["unit_due_day"] = _("Units must report no later than the province.")
        elif kind.unit_due_day <= kind.end_day:
            errors["unit_due_day"] = _("Units report after the window ends.")
    if errors:
        raise ValidationError(errors)
    _save(kind)
    return kind


# --- Rounds ----------------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    actor,
    kind: ReportKind,
    year: int,
    unit_due_date: datetime.date | None = None,
    day: datetime.date | None = None,
) -> ReportRound:
    """Open the round of one kind and year: one report per reporting unit valid on the opening
    day (departments and communes), plus the province's own report."""
    policy.require(actor, policy.ROUND_OPEN)
    day = day or timezone.localdate()
    if ReportRound.objects.filter(kind=kind, year=year).exists():
        raise ValidationError(
            {"kind": _("The round %(round)s is already open.") % {"round": f"{kind.name} {year}"}}
        )
    start, end = kind.window(year)
    if start > day:
        raise ValidationError(
            {
                "year": _("The period starts on %(day)s: it cannot be reported on yet.")
                % {"day": f"{start:%d/%m/%Y}"}
            }
        )
    due = kind.due_date(year)
    unit_due = unit_due_date or kind.unit_due_date(year)
    if unit_due < start:
        raise ValidationError(
            {
                "unit_due_date": _(
                    "The due day %(due)s is before the period starts (%(start)s): units report "
                    "on a period after it has begun."
                )
                % {"due": f"{unit_due:%d/%m/%Y}", "start": f"{start:%d/%m/%Y}"}
            }
        )
    if unit_due > due:
        raise ValidationError(
            {
                "unit_due_date": _(
                    "Units must report by %(day)s at the latest (the province's due date)."
                )
                % {"day": f"{due:%d/%m/%Y}"}
            }
        )
    round_ = ReportRound(
        kind=kind,
        year=year,
        start=start,
        end=end,
        unit_due_date=unit_due,
        due_date=due,
        opened_by=actor,
    )
    try:
        with transaction.atomic():  # two officers opening the same round at once: one wins
            _save(round_)
    except IntegrityError as exc:
        raise ValidationError(
            {"kind": _("The round %(round)s is already open.") % {"round": f"{kind.name} {year}"}}
        ) from exc
    units = units_valid_on(day, OrgUnit.objects.filter(kind__in=REPORTING_KINDS)).order_by("code")
    reports = [PeriodicReport(round=round_, unit=unit) for unit in units]
    reports.append(PeriodicReport(round=round_, unit=None))
    PeriodicReport.objects.bulk_create(reports)
    for report in PeriodicReport.objects.filter(round=round_, unit__isnull=False):
        emit_event("periodic_report.round_opened", actor=actor, report=report, occurrence=round_.pk)
    return round_


# --- Drafts and versions -------------------------------------------------------------------------


def _consolidation(report: PeriodicReport) -> dict:
    """The province's report quotes the units': their state, whether on time, and each area's
    results as the unit wrote them (latest version of a submitted or confirmed report)."""
    rows, quotes = [], {}
    siblings = (
        PeriodicReport.objects.filter(round=report.round, unit__isnull=False)
        .select_related("unit")
        .order_by("unit__code")
    )
    latest = {}
    for version in ReportVersion.objects.filter(
        report__round=report.round,
        report__unit__isnull=False,
        report__state__in=[ReportState.SUBMITTED, ReportState.CONFIRMED],
    ).order_by("report_id", "-number"):
        latest.setdefault(version.report_id, version)
    for sibling in siblings:
        rows.append(
            {
                "unit": sibling.unit.name,
                "state": sibling.state,
                "state_label": str(sibling.get_state_display()),
                "submitted": sibling.submitted_on.isoformat() if sibling.submitted_on else None,
                "on_time": sibling.on_time,
            }
        )
        version = latest.get(sibling.pk)
        if version is None:
            continue
        for code, section in version.sections.items():
            text = (section.get("results") or "").strip()
            if code.isdigit() and text:
                quotes.setdefault(code, []).append({"unit": sibling.unit.name, "text": text[:400]})
    return {
        "rows": rows,
        "quotes": quotes,
        "expected": len(rows),
        "submitted": sum(1 for row in rows if row["submitted"]),
        "on_time": sum(1 for row in rows if row["on_time"]),
    }


def report_figures(*, report: PeriodicReport, actor) -> dict:
    round_ = report.round
    figures = compute_figures(
        user=actor,
        kind_code=round_.kind.code,
        kpi_period=round_.kind.kpi_period,
        year=round_.year,
        start=round_.start,
        end=round_.end,
        unit=report.unit,
    )
    if report.unit_id is None:
        figures["units"] = _consolidation(report)
    return figures


def _clean_sections(sections: dict) -> dict:
    clean = {}
    for code, section in (sections or {}).items():
        clean[str(code)] = {key: str(section.get(key, "") or "").strip() for key in SECTION_KEYS}
        if code == "general":
            clean["general"]["intro"] = str(section.get("intro", "") or "").strip()
    return clean


@transaction.atomic
def report_save(
    *,
    report: PeriodicReport,
    actor,
    sections: dict | None = None,
    header: dict | None = None,
    recompute: bool = False,
    expected_version: int | None = None,
    note: str = "",
) -> ReportVersion:
    """Save the draft as a new version. The first save (or `recompute`) computes the figures of
    the window now and pre-fills every section left empty from them; later saves keep the
    figures of the version they edit. A save from a stale page (another save came in between)
    is refused rather than silently overwriting it."""
    policy.require_person(actor, policy.REPORT_WRITE, report=report)
    report = PeriodicReport.objects.select_for_update().get(pk=report.pk)
    policy.require(actor, policy.REPORT_WRITE, report=report)
    last = report.versions.order_by("-number").first()
    if expected_version is not None and (last.number if last else 0) != expected_version:
        raise ValidationError(
            _(
                "Someone saved this report after you opened it (version %(number)s). Reopen it and "
                "make your changes again."
            )
            % {"number": last.number if last else 0}
        )
    if last is None or recompute:
        figures = report_figures(report=report, actor=actor)
    else:
        figures = last.figures
    whom = "đơn vị" if report.unit_id else "tỉnh"
    generated = generate_sections(figures, whom=whom, quotes=figures.get("units", {}).get("quotes"))
    base = _clean_sections(sections if sections is not None else (last.sections if last else {}))
    merged = {}
    for code, section in generated.items():
        given = base.get(code, {})
        merged[code] = {key: given.get(key) or section[key] for key in SECTION_KEYS}
    if "general" in base:
        merged["general"] = base["general"]
    for field, value in (header or {}).items():
        if field in ("number", "issue_date", "signer_title", "signer_name", "recipients"):
            setattr(report, field, value if value is not None else "")
    if report.issue_date == "":
        report.issue_date = None
    if report.state == ReportState.NOT_STARTED:
        report.state = ReportState.DRAFT
    _save(report)
    version = ReportVersion(
        report=report,
        number=(last.number if last else 0) + 1,
        figures=figures,
        sections=merged,
        created_by=actor,
        note=note[:255],
    )
    _save(version)
    return version


@transaction.atomic
def report_reopen_version(
    *, report: PeriodicReport, actor, version: ReportVersion
) -> ReportVersion:
    """Make an earlier version the current draft again (saved as a new version)."""
    policy.require(actor, policy.REPORT_WRITE, report=report)
    if version.report_id != report.pk:
        raise ValidationError(_("This version belongs to another report."))
    last = report.versions.order_by("-number").first()
    copy = ReportVersion(
        report=report,
        number=last.number + 1,
        figures=version.figures,
        sections=version.sections,
        created_by=actor,
        note=_("Reopened from version %(number)s") % {"number": version.number},
    )
    _save(copy)
    return copy


# --- Workflow --------------------------------------------------------------------------------


@transaction.atomic
def report_submit(*, report: PeriodicReport, actor) -> PeriodicReport:
    policy.require_person(actor, policy.REPORT_SUBMIT, report=report)
    report = PeriodicReport.objects.select_for_update().get(pk=report.pk)
    policy.require(actor, policy.REPORT_SUBMIT, report=report)
    if not report.versions.exists():
        raise ValidationError(_("Save a draft before submitting."))
    now = timezone.now()
    report.state = ReportState.SUBMITTED
    report.submitted_at = now
    report.submitted_on = timezone.localtime(now).date()
    report.submitted_by = actor
    report.return_reason = ""
    _save(report)
    emit_event(
        "periodic_report.submitted",
        actor=actor,
        report=report,
        occurrence=report.versions.aggregate(n=Max("number"))["n"],
    )
    return report


@transaction.atomic
def report_confirm(*, report: PeriodicReport, actor) -> PeriodicReport:
    policy.require_person(actor, policy.REPORT_CONFIRM, report=report)
    report = PeriodicReport.objects.select_for_update().get(pk=report.pk)
    policy.require(actor, policy.REPORT_CONFIRM, report=report)
    report.state = ReportState.CONFIRMED
    report.decided_at = timezone.now()
    _save(report)
    emit_event(
        "periodic_report.confirmed",
        actor=actor,
        report=report,
        occurrence=report.versions.aggregate(n=Max("number"))["n"],
    )
    return report


@transaction.atomic
def report_return(*, report: PeriodicReport, actor, reason: str) -> PeriodicReport:
    policy.require_person(actor, policy.REPORT_RETURN, report=report)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the report is returned.")})
    report = PeriodicReport.objects.select_for_update().get(pk=report.pk)
    policy.require(actor, policy.REPORT_RETURN, report=report)
    report.state = ReportState.RETURNED
    report.return_reason = reason
    report.decided_at = timezone.now()
    report.submitted_at = None
    report.submitted_on = None
    _save(report)
    emit_event(
        "periodic_report.returned",
        actor=actor,
        report=report,
        occurrence=report.history.latest().history_id,
        reason=reason,
    )
    return report


# --- Templates -------------------------------------------------------------------------------


@transaction.atomic
def template_upload(*, actor, upload) -> ReportTemplate:
    """Store the province's own template after checking it: a .docx whose placeholders are all
    known and include the required ones. A refused file is not stored."""
    policy.require(actor, policy.TEMPLATE_MANAGE)
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".docx"):
        raise ValidationError({"file": _("The file is not a Word document (.docx).")})
    if upload.size > TEMPLATE_MAX_BYTES:
        raise ValidationError({"file": _("The template is larger than 5 MB.")})
    data = upload.read()
    try:
        document.check_template(data)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    template = ReportTemplate(name=Path(name).name[:255], uploaded_by=actor)
    template.file.save(Path(name).name, ContentFile(data), save=False)
    _save(template)
    return template


@transaction.atomic
def template_reset(*, actor) -> int:
    """Back to the default template shipped with the portal (the uploads are kept on disk)."""
    policy.require(actor, policy.TEMPLATE_MANAGE)
    deleted, _rows = ReportTemplate.objects.all().delete()
    return deleted


# --- PDF -------------------------------------------------------------------------------------


def soffice_path() -> str | None:
    return shutil.which(settings.SOFFICE_BINARY)


@transaction.atomic
def pdf_request(*, version: ReportVersion, actor) -> ReportPdf:
    """Queue the PDF of a version (the worker converts its .docx with LibreOffice). The data
    check runs now, so an empty period is refused at once and no job is queued."""
    from periodic_reports.jobs import make_report_pdf_task

    policy.require(actor, policy.PDF_MAKE, version=version)
    if soffice_path() is None:
        raise ValidationError(_("PDF is not available on this machine (LibreOffice is missing)."))
    document.ensure_data(version)
    running = version.pdfs.filter(status__in=["queued", "running"]).first()
    if running is not None:
        return running
    row = ReportPdf(version=version, created_by=actor)
    _save(row)
    send_on_commit(make_report_pdf_task, row.pk)
    return row


def convert_to_pdf(docx: bytes, workdir: Path) -> bytes:
    """LibreOffice headless: the .docx in, the .pdf out, with its own profile directory so two
    conversions never share one (soffice refuses a second instance on a profile)."""
    source = workdir / "report.docx"
    source.write_bytes(docx)
    profile = workdir / "profile"
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [
            soffice_path() or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(source),
        ],
        capture_output=True,
        timeout=settings.SOFFICE_TIMEOUT_SECONDS,
        check=False,
    )
    target = workdir / "report.pdf"
    if result.returncode != 0 or not target.exists():
        raise RuntimeError(
            f"soffice exit {result.returncode}: {result.stderr.decode(errors='replace')[:500]}"
        )
    return target.read_bytes()


def pdf_run(*, pdf_id: int) -> ReportPdf | None:
    """The worker's part: claim the row, render the .docx, convert it, store the file only when
    all of it succeeded (a failure stores nothing and says why)."""
    row = background.claim(ReportPdf, pdf_id)
    if row is None:
        return None
    version = row.version
    try:
        # The scratch folder is the row's own: a worker killed mid-conversion leaves it to
        # the take-over or the reaper, never to /tmp for good.
        with background.leased(row), background.scratch_dir(row) as folder:
            docx = document.render_docx(version.report, version)
            pdf = convert_to_pdf(docx, folder)
    except ValidationError as exc:
        background.fail(row, error=" ".join(exc.messages))
        return row
    except Exception as exc:  # the converter crashed or timed out: say so on the page
        background.fail(row, error=_("The PDF could not be made: %(error)s") % {"error": exc})
        return row
    stored = ContentFile(pdf)
    name = f"bao-cao-{version.report.pk}-v{version.number}.pdf"
    row.file.save(name, stored, save=False)
    background.succeed(row, fields={"file": row.file})
    return row
