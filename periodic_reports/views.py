"""Pages of periodic reports. Writes check the role first, before any input is read (403), and
find the report through the scoping selector (another unit's report: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.roles import Role, role_required, sees_whole_province
from periodic_reports import document, policy, selectors, services
from periodic_reports.filters import PeriodicReportFilter
from periodic_reports.forms import (
    ReportEditForm,
    ReportKindForm,
    ReturnForm,
    RoundOpenForm,
    TemplateUploadForm,
)
from periodic_reports.links import rate_figures
from periodic_reports.models import ReportKind, ReportTemplate
from periodic_reports.narrative import SECTION_KEYS
from periodic_reports.text import day as vn_day

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@role_required(Role.HOME_AFFAIRS, Role.LEADER, Role.UNIT_HEAD, Role.UNIT_STAFF)
@require_safe
def index(request):
    """Home Affairs and leaders: the rounds with their reporting rates (and, for Home Affairs,
    the form to open one); a unit: its reports, the ones still due first."""
    user = request.user
    rounds = list(selectors.round_list(user)[:40])
    context = {
        "rounds": [{"round": r, "figures": rate_figures(r)} for r in rounds],
        "open_form": RoundOpenForm() if policy.role_may(user, policy.ROUND_OPEN) else None,
        "allowed": policy.index_allowed(user),
        "unit_reports": None,
        "pdf_available": services.soffice_path() is not None,
    }
    if not sees_whole_province(user):
        context["unit_reports"] = list(
            selectors.reports_visible_to(user).order_by("-round__end", "pk")[:40]
        )
    return render(request, "periodic_reports/index.html", context)


@policy.action_required(policy.ROUND_OPEN)
@require_POST
def round_open(request):
    form = RoundOpenForm(request.POST)
    if form.is_valid():
        try:
            round_ = services.round_open(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                unit_due_date=form.cleaned_data["unit_due_date"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The round %(round)s was opened: %(count)s units were told to report by %(day)s.")
                % {
                    "round": round_,
                    "count": round_.reports.filter(unit__isnull=False).count(),
                    "day": vn_day(round_.unit_due_date),
                },
            )
            return redirect("periodic_reports:round_detail", pk=round_.pk)
    rounds = list(selectors.round_list(request.user)[:40])
    context = {
        "rounds": [{"round": r, "figures": rate_figures(r)} for r in rounds],
        "open_form": form,
        "allowed": policy.index_allowed(request.user),
        "unit_reports": None,
        "pdf_available": services.soffice_path() is not None,
    }
    return render(request, "periodic_reports/index.html", context, status=400)


@role_required(Role.HOME_AFFAIRS, Role.LEADER)
@require_safe
def round_detail(request, pk: int):
    round_ = get_object_or_404(
        selectors.with_rate_counts(selectors.rounds_visible_to(request.user)), pk=pk
    )
    reports = list(selectors.round_reports(request.user, round_))
    province = next((r for r in reports if r.unit_id is None), None)
    context = {
        "round": round_,
        "figures": rate_figures(round_),
        "province": province,
        "reports": [r for r in reports if r.unit_id is not None],
    }
    return render(request, "periodic_reports/round_detail.html", context)


@login_required
@require_safe
def report_list(request):
    reports = selectors.reports_visible_to(request.user).filter(unit__isnull=False)
    report_filter = PeriodicReportFilter(
        request.GET, queryset=reports.order_by("-round__end", "unit__code", "pk")
    )
    page = Paginator(report_filter.qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "periodic_reports/report_list.html", {"filter": report_filter, "page": page}
    )


def _visible_report(request, pk: int):
    return get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)


def _require_person(request, action: str, report) -> None:
    """403 unless this person may do the action on this report (its state aside)."""
    policy.require_person(request.user, action, report=report)


def _edit_form(report, version, data=None) -> ReportEditForm:
    areas = []
    initial = {}
    if version is not None:
        areas = [
            {"code": row["code"], "name": row["name"]}
            for row in version.figures["tasks"]["by_area"]
            if row["code"] is not None
        ]
        for area in areas:
            section = version.sections.get(str(area["code"]), {})
            for key in SECTION_KEYS:
                initial[f"area_{area['code']}_{key}"] = section.get(key, "")
        general = version.sections.get("general", {})
        initial["intro"] = general.get("intro", "")
        initial["general_proposals"] = general.get("proposals", "")
        initial["expected_version"] = version.number
    initial.update(
        {
            "number": report.number,
            "issue_date": report.issue_date,
            "signer_title": report.signer_title,
            "signer_name": report.signer_name,
            "recipients": report.recipients,
        }
    )
    return ReportEditForm(data, initial=initial, areas=areas)


def _detail(request, report, *, form=None, return_form=None, version=None, status=200):
    latest = selectors.latest_version(report)
    shown = version or latest
    allowed = policy.allowed_actions(request.user, report)
    writable = allowed[policy.REPORT_WRITE]
    if form is None and writable and shown is not None:
        form = _edit_form(report, shown)
    context = {
        "report": report,
        "version": shown,
        "latest": latest,
        "versions": list(selectors.versions_of(report)[:50]),
        "figures": shown.figures if shown else None,
        "form": form if writable else None,
        "allowed": allowed,
        "return_form": return_form or ReturnForm(),
        "pdfs": list(selectors.pdfs_of(shown)[:5]) if shown else [],
        "pdf_available": services.soffice_path() is not None,
        "title": document.document_title(report),
    }
    return render(request, "periodic_reports/report_detail.html", context, status=status)


@login_required
@require_safe
def report_detail(request, pk: int):
    report = _visible_report(request, pk)
    version = None
    if request.GET.get("version"):
        try:
            version = report.versions.get(number=int(request.GET["version"]))
        except (ValueError, report.versions.model.DoesNotExist) as exc:
            raise Http404 from exc
    return _detail(request, report, version=version)


@policy.action_required(policy.REPORT_WRITE)
@require_POST
def report_save(request, pk: int):
    report = _visible_report(request, pk)
    # the person (own unit), before any input is read; the state is the service's to refuse
    _require_person(request, policy.REPORT_WRITE, report)
    latest = selectors.latest_version(report)
    if latest is None or "recompute" in request.POST:
        try:
            services.report_save(
                report=report,
                actor=request.user,
                recompute=True,
                expected_version=latest.number if latest else 0,
                sections=latest.sections if latest else None,
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, _("The figures were computed again and saved as a new version.")
            )
        return redirect("periodic_reports:report_detail", pk=report.pk)
    form = _edit_form(report, latest, data=request.POST)
    if form.is_valid():
        try:
            version = services.report_save(
                report=report,
                actor=request.user,
                sections=form.sections(),
                header=form.header(),
                expected_version=form.cleaned_data.get("expected_version"),
            )
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(
                request, _("The draft was saved (version %(n)s).") % {"n": version.number}
            )
            return redirect("periodic_reports:report_detail", pk=report.pk)
    return _detail(request, report, form=form, status=400)


@policy.action_required(policy.REPORT_WRITE)
@require_POST
def version_reopen(request, pk: int, number: int):
    report = _visible_report(request, pk)
    _require_person(request, policy.REPORT_WRITE, report)
    version = get_object_or_404(report.versions, number=number)
    try:
        copy = services.report_reopen_version(report=report, actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("Version %(old)s is the draft again (saved as version %(new)s).")
            % {"old": version.number, "new": copy.number},
        )
    return redirect("periodic_reports:report_detail", pk=report.pk)


@policy.action_required(policy.REPORT_SUBMIT)
@require_POST
def report_submit(request, pk: int):
    report = _visible_report(request, pk)
    _require_person(request, policy.REPORT_SUBMIT, report)
    try:
        services.report_submit(report=report, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The report was sent to Home Affairs."))
    return redirect("periodic_reports:report_detail", pk=report.pk)


@policy.action_required(policy.REPORT_CONFIRM, policy.REPORT_RETURN)
@require_POST
def report_decide(request, pk: int):
    report = _visible_report(request, pk)
    if request.POST.get("decision") == "confirm":
        try:
            services.report_confirm(report=report, actor=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The report was confirmed; the unit was told."))
        return redirect("periodic_reports:report_detail", pk=report.pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                report=report, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The report was returned to the unit with the reason."))
        return redirect("periodic_reports:report_detail", pk=report.pk)
    return _detail(request, report, return_form=form, status=400)


def _version_for_download(request, report):
    number = request.GET.get("version")
    if number:
        try:
            return report.versions.get(number=int(number))
        except (ValueError, report.versions.model.DoesNotExist) as exc:
            raise Http404 from exc
    version = selectors.latest_version(report)
    if version is None:
        raise Http404
    return version


def _file_name(report, version, ext: str) -> str:
    who = report.unit.code if report.unit_id else "tinh"
    return (
        f"bao-cao-cchc-{report.round.kind.code}-{report.round.year}-{who}-v{version.number}.{ext}"
    )


@login_required
@require_safe
def report_docx(request, pk: int):
    report = _visible_report(request, pk)
    version = _version_for_download(request, report)
    try:
        data = document.render_docx(report, version)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("periodic_reports:report_detail", pk=report.pk)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_name(report, version, "docx")}"'
    )
    return response


@login_required
@require_safe
def report_xlsx(request, pk: int):
    report = _visible_report(request, pk)
    version = _version_for_download(request, report)
    try:
        data = document.render_xlsx(report, version)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect("periodic_reports:report_detail", pk=report.pk)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_name(report, version, "xlsx")}"'
    )
    return response


@policy.action_required(policy.PDF_MAKE)
@require_POST
def report_pdf(request, pk: int):
    report = _visible_report(request, pk)
    version = _version_for_download(request, report)
    try:
        services.pdf_request(version=version, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The PDF is being made; this page shows it when it is ready."))
    detail = reverse("periodic_reports:report_detail", args=[report.pk])
    return redirect(f"{detail}?version={version.number}")


@login_required
@require_safe
def pdf_download(request, pk: int, pdf_pk: int):
    report = _visible_report(request, pk)
    row = get_object_or_404(
        services.ReportPdf.objects.filter(version__report=report, status="succeeded"), pk=pdf_pk
    )
    if not row.file:
        raise Http404
    return FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=_file_name(report, row.version, "pdf"),
        content_type="application/pdf",
    )


@policy.action_required(policy.TEMPLATE_MANAGE)
@require_http_methods(["GET", "HEAD", "POST"])
def template_page(request):
    form = TemplateUploadForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "reset":
            services.template_reset(actor=request.user)
            messages.success(request, _("The default template is used again."))
            return redirect("periodic_reports:template")
        form = TemplateUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.template_upload(actor=request.user, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                for message in exc.message_dict.get("file", exc.messages):
                    form.add_error("file", message)
            else:
                messages.success(
                    request, _("The template was checked and will be used from now on.")
                )
                return redirect("periodic_reports:template")
        status = 400
    context = {
        "form": form,
        "current": ReportTemplate.objects.select_related("uploaded_by").first(),
        "known": sorted(document.KNOWN_KEYS),
        "required": document.REQUIRED_KEYS,
    }
    return render(request, "periodic_reports/template.html", context, status=status)


@policy.action_required(policy.TEMPLATE_MANAGE)
@require_safe
def template_download(request):
    data = document.template_bytes()
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-bao-cao-cchc.docx"'
    return response


@policy.action_required(policy.KIND_EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def kind_list(request):
    """The report kinds' windows and due days, each editable by Home Affairs."""
    kinds = list(selectors.report_kinds())
    forms_by_kind = {kind.pk: ReportKindForm(instance=kind, prefix=f"k{kind.pk}") for kind in kinds}
    status = 200
    if request.method == "POST":
        kind = get_object_or_404(ReportKind, pk=request.POST.get("kind") or 0)
        form = ReportKindForm(request.POST, instance=kind, prefix=f"k{kind.pk}")
        forms_by_kind[kind.pk] = form
        if form.is_valid():
            try:
                services.report_kind_update(
                    actor=request.user, kind=ReportKind.objects.get(pk=kind.pk),
                    data=form.cleaned_data,
                )  # fmt: skip
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The report kind was saved; new rounds follow it."))
                return redirect("periodic_reports:kind_list")
        status = 400
    context = {"entries": [(kind, forms_by_kind[kind.pk]) for kind in kinds]}
    return render(request, "periodic_reports/kind_list.html", context, status=status)
