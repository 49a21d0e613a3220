"""Pages of the tasks app: plan entry, the unit inbox, assignment detail with its workflow
actions, the review queue, evidence download and the Excel import of a plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.filters import list_as_of
from core.http import attachment_response, xlsx_response
from core.roles import Role, has_role, role_required
from core.tabular import ImportFailed
from directives.selectors import directive_detail as directive_queryset
from tasks import selectors, services
from tasks.exports import ASSIGNMENT_PAGE_COLUMNS
from tasks.filters import AssignmentFilter, ReviewQueueFilter
from tasks.forms import (
    ExtensionDecisionForm,
    ExtensionRequestForm,
    ReportForm,
    ReturnForm,
    TaskForm,
    TaskImportForm,
)
from tasks.models import AssignmentPeriod, ReportState
from tasks.services import AddressMode, imports
from tasks.status import BADGE

# The codes of core.uploads' refusals: they concern the file the form carried.
UPLOAD_ERROR_CODES = {"too_big", "empty", "bad_type", "zip_bomb"}


def _add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: beside the field it names when the form has it
    (a file check names no field, so it goes to the evidence field), else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif form.files and all(error.code in UPLOAD_ERROR_CODES for error in exc.error_list):
        form.add_error("evidence", exc)
    else:
        form.add_error(None, exc)


def _errors_to_messages(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Plan entry ------------------------------------------------------------------------------


def _plan_context(request, directive, form=None):
    tasks = list(
        directive.tasks.select_related("lead_unit", "area")
        .prefetch_related("cooperating_units")
        .order_by("item_order", "id")
    )
    if form is None:
        form = TaskForm(initial={"item_number": str(len(tasks) + 1)}, on_date=directive.issue_date)
    gaps = sum(1 for task in tasks if task.gaps)
    return {"directive": directive, "tasks": tasks, "form": form, "gap_count": gaps}


@role_required(Role.HOME_AFFAIRS)
@require_safe
def plan_entry(request, pk: int):
    directive = get_object_or_404(directive_queryset(request.user), pk=pk)
    return render(request, "tasks/plan_entry.html", _plan_context(request, directive))


@role_required(Role.HOME_AFFAIRS)
@require_POST
def plan_add_task(request, pk: int):
    directive = get_object_or_404(directive_queryset(request.user), pk=pk)
    form = TaskForm(request.POST, on_date=directive.issue_date)
    if form.is_valid():
        data = form.cleaned_data
        try:
            addressees = []
            if data["address_mode"]:
                addressees = services.units_for_address(
                    mode=data["address_mode"],
                    kind=data["address_kind"],
                    units=data["addressees"],
                    on_date=directive.issue_date,
                )
            elif data["addressees"]:
                addressees = services.units_for_address(
                    mode=AddressMode.PICKED, units=data["addressees"], on_date=directive.issue_date
                )
            services.task_create(
                directive=directive,
                item_number=data["item_number"],
                title=data["title"],
                content=data["content"],
                lead_unit=data["lead_unit"],
                cooperating_units=data["cooperating_units"],
                addressees=addressees,
                deadline=data["deadline"],
                recurrence=data["recurrence"] or "",
                period_offset_days=data["period_offset_days"] or 0,
                output_kind=data["output_kind"],
                expected_output=data["expected_output"],
                area=data["area"],
                is_key=data["is_key"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            if not request.htmx:
                return redirect("directives:plan_entry", pk=directive.pk)
            return render(
                request, "tasks/includes/plan_grid.html", _plan_context(request, directive)
            )
    context = _plan_context(request, directive, form)
    template = "tasks/includes/plan_grid.html" if request.htmx else "tasks/plan_entry.html"
    return render(request, template, context)


# --- Lists -----------------------------------------------------------------------------------


def _list(request, template: str, title: str):
    as_of = list_as_of(request.GET)
    assignment_filter = AssignmentFilter(
        request.GET, queryset=selectors.assignment_list(request.user, as_of)
    )
    page = Paginator(assignment_filter.qs, 50).get_page(request.GET.get("page"))
    context = {
        "filter": assignment_filter,
        "page": page,
        "as_of": as_of,
        "title": title,
        "badges": BADGE,
        "columns": ASSIGNMENT_PAGE_COLUMNS,
    }
    if request.htmx:
        return render(request, "tasks/includes/assignment_table.html", context)
    return render(request, template, context)


@role_required(Role.UNIT_HEAD, Role.UNIT_STAFF)
@require_safe
def inbox(request):
    """ "Nhiệm vụ của đơn vị": the unit's assignments, overdue first, then due soon."""
    return _list(request, "tasks/assignment_list.html", _("Unit tasks"))


@role_required(Role.HOME_AFFAIRS, Role.LEADER)
@require_safe
def assignment_list(request):
    return _list(request, "tasks/assignment_list.html", _("Assignments"))


@role_required(Role.HOME_AFFAIRS)
@require_safe
def review_queue(request):
    as_of = timezone.localdate()
    queue_filter = ReviewQueueFilter(request.GET, queryset=selectors.review_queue(as_of))
    page = Paginator(queue_filter.qs, 50).get_page(request.GET.get("page"))
    extensions = selectors.pending_extensions()[:100]
    context = {
        "filter": queue_filter,
        "page": page,
        "extensions": extensions,
        "as_of": as_of,
        "badges": BADGE,
    }
    return render(request, "tasks/review_queue.html", context)


# --- Assignment detail and its actions ---------------------------------------------------------


def _visible_assignment(request, pk: int):
    return get_object_or_404(selectors.assignment_detail(request.user), pk=pk)


@login_required
@require_safe
def assignment_detail(request, pk: int):
    return _detail_page(request, _visible_assignment(request, pk))


def _detail_page(request, assignment, *, report_form=None, extension_form=None):
    """The assignment page; after a rejected report, with the form as the user filled it."""
    user = request.user
    is_member = (
        has_role(user, Role.UNIT_HEAD, Role.UNIT_STAFF) and user.unit_id == assignment.unit_id
    )
    periods = list(assignment.periods.with_status()) if assignment.task.recurrence else []
    drafts = []
    if is_member:
        drafts = list(
            assignment.reports.filter(state=ReportState.DRAFT)
            .select_related("author")
            .prefetch_related("evidence")
        )
    context = {
        "assignment": assignment,
        "timeline": selectors.assignment_timeline(assignment, user),
        "periods": periods,
        "drafts": drafts,
        "is_member": is_member,
        "is_head": is_member and has_role(user, Role.UNIT_HEAD),
        "is_home_affairs": has_role(user, Role.HOME_AFFAIRS),
        "report_form": report_form or ReportForm(),
        "return_form": ReturnForm(),
        "extension_form": extension_form or ExtensionRequestForm(),
        "badges": BADGE,
        "pending_extensions": assignment.extensions.filter(state="pending"),
        "successors": list(assignment.unit.successors.order_by("code"))
        if assignment.unit.valid_to and has_role(user, Role.HOME_AFFAIRS)
        else [],
    }
    return render(request, "tasks/assignment_detail.html", context)


def _period(assignment, raw) -> AssignmentPeriod | None:
    if not raw:
        return None
    return get_object_or_404(AssignmentPeriod, pk=raw, assignment=assignment)


@role_required(Role.UNIT_HEAD, Role.UNIT_STAFF)
@require_POST
def report_create(request, pk: int):
    """Staff save a draft; a head may save and submit at once ("submit" button)."""
    assignment = _visible_assignment(request, pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        # The page again with every typed value kept and each message beside its field.
        return _detail_page(request, assignment, report_form=form)
    data = form.cleaned_data
    try:
        period = _period(assignment, data["period"])
        report = services.report_draft(
            assignment=assignment,
            author=request.user,
            percent=data["percent"],
            text=data["text"],
            reports_done=data["reports_done"],
            period=period,
            files=[data["evidence"]] if data["evidence"] else [],
        )
        if "submit" in request.POST:
            services.report_submit(report=report, actor=request.user)
            messages.success(request, _("The report was submitted."))
        else:
            messages.success(request, _("The draft was saved."))
    except PermissionDenied:
        raise
    except ValidationError as exc:
        # A refused file or period: nothing was saved (the service is atomic); show the form
        # again as typed, the message beside the field it concerns.
        _add_service_errors(form, exc)
        return _detail_page(request, assignment, report_form=form)
    return redirect("tasks:assignment_detail", pk=assignment.pk)


@role_required(Role.UNIT_HEAD)
@require_POST
def report_submit(request, pk: int, report_pk: int):
    assignment = _visible_assignment(request, pk)
    report = get_object_or_404(
        selectors.reports_visible_to(request.user), pk=report_pk, assignment=assignment
    )
    try:
        services.report_submit(report=report, actor=request.user)
        messages.success(request, _("The report was submitted."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    return redirect("tasks:assignment_detail", pk=assignment.pk)


@role_required(Role.HOME_AFFAIRS)
@require_POST
def assignment_review(request, pk: int):
    assignment = _visible_assignment(request, pk)
    period = _period(assignment, request.POST.get("period"))
    try:
        if request.POST.get("decision") == "return":
            form = ReturnForm(request.POST)
            reason = form.data.get("reason", "")
            services.assignment_return(
                assignment=assignment, actor=request.user, reason=reason, period=period
            )
            messages.success(request, _("The assignment was returned to the unit."))
        else:
            services.assignment_confirm(assignment=assignment, actor=request.user, period=period)
            messages.success(request, _("Completion was confirmed."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    if request.POST.get("next") == "queue":
        return redirect("tasks:review_queue")
    return redirect("tasks:assignment_detail", pk=assignment.pk)


@role_required(Role.HOME_AFFAIRS)
@require_POST
def assignment_manage(request, pk: int):
    """Home Affairs suspends, resumes, cancels, or transfers to a successor unit."""
    assignment = _visible_assignment(request, pk)
    action = request.POST.get("action")
    try:
        if action == "suspend":
            services.assignment_suspend(assignment=assignment, actor=request.user)
        elif action == "resume":
            services.assignment_resume(assignment=assignment, actor=request.user)
        elif action == "cancel":
            services.assignment_cancel(
                assignment=assignment, actor=request.user, reason=request.POST.get("reason", "")
            )
        elif action == "transfer":
            to_unit = get_object_or_404(assignment.unit.successors, pk=request.POST.get("to_unit"))
            services.assignment_transfer(assignment=assignment, to_unit=to_unit, actor=request.user)
        else:
            raise Http404
        messages.success(request, _("The assignment was updated."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    return redirect("tasks:assignment_detail", pk=assignment.pk)


@role_required(Role.UNIT_HEAD, Role.UNIT_STAFF)
@require_POST
def extension_request(request, pk: int):
    assignment = _visible_assignment(request, pk)
    form = ExtensionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.extension_request(
                assignment=assignment,
                actor=request.user,
                period=_period(assignment, request.POST.get("period")),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The extension request was sent."))
            return redirect("tasks:assignment_detail", pk=assignment.pk)
    # The page again with the date and the reason as typed, each message beside its field.
    return _detail_page(request, assignment, extension_form=form)


@role_required(Role.HOME_AFFAIRS)
@require_POST
def extension_decide(request, pk: int, extension_pk: int):
    assignment = _visible_assignment(request, pk)
    extension = get_object_or_404(assignment.extensions, pk=extension_pk)
    form = ExtensionDecisionForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.extension_approve(
                    extension=extension, actor=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The extension was approved."))
            else:
                services.extension_refuse(
                    extension=extension, actor=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The extension was refused."))
        except ValidationError as exc:
            _errors_to_messages(request, exc)
    return redirect("tasks:assignment_detail", pk=assignment.pk)


@login_required
@require_safe
def evidence_download(request, pk: int):
    """Evidence is served only here, after the scope check, as a download that browsers must
    not sniff or render inline."""
    evidence = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    return attachment_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


# --- Excel import ----------------------------------------------------------------------------


@role_required(Role.HOME_AFFAIRS)
@require_safe
def task_import_template(request):
    return xlsx_response(imports.template_workbook(), filename="mau-nhiem-vu.xlsx")


@role_required(Role.HOME_AFFAIRS)
@require_http_methods(["GET", "POST"])
def task_import(request, pk: int):
    """Upload -> every row checked -> preview; confirm re-reads the kept file and creates all
    the tasks in one transaction, or none."""
    directive = get_object_or_404(directive_queryset(request.user), pk=pk)
    form = TaskImportForm(request.POST or None, request.FILES or None)
    context = {"directive": directive, "form": form}
    if request.method == "POST" and "token" in request.POST:
        try:
            created = imports.task_import_confirm(
                directive=directive, token=request.POST["token"], actor=request.user
            )
        except ImportFailed as exc:
            context["errors"] = exc.errors
        else:
            messages.success(request, _("%(count)s tasks were created.") % {"count": created})
            return redirect("directives:plan_entry", pk=directive.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            preview = imports.task_import_preview(
                directive=directive, upload=form.cleaned_data["file"], actor=request.user
            )
        except ImportFailed as exc:
            context["errors"] = exc.errors
        else:
            context["preview"] = preview
    return render(request, "tasks/task_import.html", context)
