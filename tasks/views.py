"""Pages of the tasks app: plan entry, the unit inbox, assignment detail with its workflow
actions, the review queue, evidence download and the Excel import of a plan."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.filters import list_as_of
from core.http import evidence_response, xlsx_response
from core.roles import Role, role_required
from core.tabular import ImportFailed
from directives.selectors import directive_detail as directive_queryset
from tasks import policy, selectors, services
from tasks.exports import ASSIGNMENT_PAGE_COLUMNS
from tasks.filters import AssignmentFilter
from tasks.forms import (
    ExtensionDecisionForm,
    ExtensionRequestForm,
    PlanBulkForm,
    ReportForm,
    ReturnForm,
    TaskEditForm,
    TaskForm,
    TaskImportForm,
    TaskStateForm,
)
from tasks.models import AssignmentPeriod, ReportState, ReviewDecision
from tasks.services import imports
from tasks.services.workflow import all_periods_done_message
from tasks.status import BADGE
from tasks.thread_views import thread_context

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


def _plan_context(request, directive, form=None, bulk_form=None):
    tasks = list(
        directive.tasks.select_related("lead_unit", "area")
        .prefetch_related("cooperating_units")
        .order_by("item_order", "id")
    )
    if form is None:
        form = TaskForm(initial={"item_number": str(len(tasks) + 1)}, on_date=directive.issue_date)
    if bulk_form is None:
        bulk_form = PlanBulkForm(directive=directive)
    selected = (
        {str(pk) for pk in bulk_form.data.getlist("bulk-tasks")} if bulk_form.is_bound else set()
    )
    gaps = sum(1 for task in tasks if task.gaps)
    return {
        "directive": directive,
        "tasks": tasks,
        "form": form,
        "bulk_form": bulk_form,
        "selected": selected,
        "gap_count": gaps,
        "allowed": {policy.TASKS_BULK: policy.role_may(request.user, policy.TASKS_BULK)},
    }


@policy.action_required(policy.TASK_ENTER)
@require_safe
def plan_entry(request, pk: int):
    directive = get_object_or_404(directive_queryset(request.user), pk=pk)
    return render(request, "tasks/plan_entry.html", _plan_context(request, directive))


@policy.action_required(policy.TASK_ENTER)
@require_POST
def plan_add_task(request, pk: int):
    directive = get_object_or_404(directive_queryset(request.user), pk=pk)
    form = TaskForm(request.POST, on_date=directive.issue_date)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.task_create(
                directive=directive,
                item_number=data["item_number"],
                title=data["title"],
                content=data["content"],
                lead_unit=data["lead_unit"],
                cooperating_units=data["cooperating_units"],
                addressees=data["addressees"] or [],
                address_mode=data["address_mode"] or "",
                address_kind=data["address_kind"] or "",
                deadline=data["deadline"],
                recurrence=data["recurrence"] or "",
                period_offset_days=data["period_offset_days"] or 0,
                output_kind=data["output_kind"],
                expected_output=data["expected_output"],
                area=data["area"],
                is_key=data["is_key"],
                actor=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            if not request.htmx:
                return redirect("tasks:plan_entry", pk=directive.pk)
            return render(
                request, "tasks/includes/plan_grid.html", _plan_context(request, directive)
            )
    context = _plan_context(request, directive, form)
    template = "tasks/includes/plan_grid.html" if request.htmx else "tasks/plan_entry.html"
    return render(request, template, context)


# --- Changing a task after entry -----------------------------------------------------------------


def _task_for_change(request, pk: int):
    queryset = selectors.tasks_visible_to(request.user).select_related(
        "directive", "lead_unit", "area"
    )
    return get_object_or_404(queryset, pk=pk)


def _task_page(request, task, *, edit_form=None, state_form=None):
    """The task as Home Affairs changes it: the edit form, suspend / resume / cancel, each
    unit's share with its status, and the task's history (who changed what, when, why)."""
    context = {
        "task": task,
        "directive": task.directive,
        "form": edit_form or TaskEditForm(task=task),
        "state_form": state_form or TaskStateForm(initial={"version": task.version}),
        "allowed": policy.allowed_actions(request.user, task=task),
        "assignments": list(
            task.assignments.with_status().select_related("unit").order_by("role", "unit__code")
        ),
        "changes": selectors.task_changes(task),
        "badges": BADGE,
    }
    return render(request, "tasks/task_edit.html", context)


@policy.action_required(policy.TASK_EDIT)
@require_http_methods(["GET", "POST"])
def task_edit(request, pk: int):
    task = _task_for_change(request, pk)
    if request.method != "POST":
        return _task_page(request, task)
    form = TaskEditForm(request.POST, task=task)
    if form.is_valid():
        try:
            services.task_edit(
                task=task,
                actor=request.user,
                data=form.changes(),
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("The task was changed; the units on it are told."))
            return redirect("tasks:task_edit", pk=task.pk)
    # The page again with every value as typed, each message beside its field.
    return _task_page(request, task, edit_form=form)


TASK_STATE_DONE = {
    "suspend": _("The task was suspended; the units on it are told."),
    "resume": _("The task was resumed; the units on it are told."),
    "cancel": _("The task was cancelled; the units on it are told."),
}


@policy.action_required(policy.TASK_SUSPEND, policy.TASK_RESUME, policy.TASK_CANCEL)
@require_POST
def task_state(request, pk: int):
    """Suspend, resume or cancel the whole task, with the reason."""
    task = _task_for_change(request, pk)
    form = TaskStateForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        service = {
            "suspend": services.task_suspend,
            "resume": services.task_resume,
            "cancel": services.task_cancel,
        }[action]
        try:
            service(
                task=task,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, str(TASK_STATE_DONE[action]))
            return redirect("tasks:task_edit", pk=task.pk)
    return _task_page(request, task, state_form=form)


@policy.action_required(policy.TASKS_BULK)
@require_POST
def plan_bulk(request, pk: int):
    """The plan grid's bulk action: checked -> a confirmation page saying what will change
    and who is told -> confirmed, all the changes in one transaction, or none."""
    directive = get_object_or_404(directive_queryset(request.user), pk=pk)
    form = PlanBulkForm(request.POST, directive=directive)
    if form.is_valid():
        data = form.cleaned_data
        tasks = sorted(data["tasks"], key=lambda task: (task.item_order, task.pk))
        versions = {task.pk: request.POST.get(f"version_{task.pk}") for task in tasks}
        if not data["confirm"]:
            context = {
                "directive": directive,
                "form": form,
                "task_versions": [(task, versions[task.pk]) for task in tasks],
                "preview": _bulk_preview(data, tasks),
            }
            return render(request, "tasks/plan_bulk_confirm.html", context)
        try:
            changed = _bulk_apply(request.user, data, tasks, versions)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s task was changed; the units on it are told.",
                    "%(count)s tasks were changed; the units on them are told.",
                    len(changed),
                )
                % {"count": len(changed)},
            )
            return redirect("tasks:plan_entry", pk=directive.pk)
    context = _plan_context(request, directive, bulk_form=form)
    return render(request, "tasks/plan_entry.html", context)


def _bulk_preview(data, tasks) -> list[tuple]:
    """(task, what it has now, what it will have) for the confirmation page."""
    rows = []
    for task in tasks:
        if data["action"] == "shift":
            if task.recurrence:
                now = task.get_recurrence_display()
                new = _("each period %(days)+d days") % {"days": data["days"] or 0}
            else:
                now = task.deadline
                if data["to_date"]:
                    new = data["to_date"]
                elif task.deadline:
                    new = task.deadline + datetime.timedelta(days=data["days"])
                else:
                    new = None
            rows.append((task, now, new))
        elif data["action"] == "lead":
            rows.append((task, task.lead_unit, data["lead_unit"]))
        else:
            rows.append((task, task.get_state_display(), _("Cancelled")))
    return rows


def _bulk_apply(actor, data, tasks, versions):
    common = {"tasks": tasks, "actor": actor, "reason": data["reason"]}
    if data["action"] == "shift":
        return services.tasks_bulk_shift_deadline(
            **common, days=data["days"], to_date=data["to_date"], expected_versions=versions
        )
    if data["action"] == "lead":
        return services.tasks_bulk_change_lead(
            **common, lead_unit=data["lead_unit"], expected_versions=versions
        )
    return services.tasks_bulk_cancel(**common, expected_versions=versions)


# --- Lists -----------------------------------------------------------------------------------


def _list(request, template: str, title: str, due_reports=None):
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
        "due_reports": due_reports() if due_reports else [],
    }
    if request.htmx:
        return render(request, "tasks/includes/assignment_table.html", context)
    return render(request, template, context)


@role_required(Role.UNIT_HEAD, Role.UNIT_STAFF)
@require_safe
def inbox(request):
    """ "Nhiệm vụ của đơn vị": the unit's assignments, overdue first, then due soon; above them
    the unit's periodic CCHC reports still to send (a round Home Affairs opened)."""
    return _list(
        request,
        "tasks/assignment_list.html",
        _("Unit tasks"),
        due_reports=lambda: _due_reports(request),
    )


def _due_reports(request) -> list:
    if request.htmx:
        return []
    from periodic_reports.selectors import due_reports_for

    return list(due_reports_for(request.user)[:5])


@role_required(Role.HOME_AFFAIRS, Role.LEADER)
@require_safe
def assignment_list(request):
    return _list(request, "tasks/assignment_list.html", _("Assignments"))


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
    allowed = policy.allowed_actions(user, assignment=assignment)
    is_member = allowed["is_member"]
    periods = list(assignment.periods.with_status()) if assignment.task.recurrence else []
    for period in periods:
        period.can_review = policy.may(user, policy.REVIEW, assignment=assignment, target=period)
    # Every period reported done: the page says so instead of a form with no period to choose
    periods_done = bool(periods) and not any(p.state in policy.WORKING for p in periods)
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
        "periods_done": all_periods_done_message() if periods_done else "",
        "drafts": drafts,
        "allowed": allowed,
        "is_member": is_member,
        # a new report starts from the progress already reported, not from 0%
        "report_form": report_form or ReportForm(initial={"percent": assignment.progress_percent}),
        "return_form": ReturnForm(),
        "extension_form": extension_form or ExtensionRequestForm(),
        "badges": BADGE,
        "pending_extensions": assignment.extensions.filter(state="pending"),
        "successors": list(assignment.unit.successors.order_by("code"))
        if assignment.unit.valid_to and allowed[policy.ASSIGNMENT_TRANSFER]
        else [],
    }
    # The conversation: on the lead unit's assignment; a cooperating unit's page shows the
    # lead assignment's thread (or links to each, on a task addressed to several units).
    context["threads"] = selectors.threads_of(assignment, user)
    if len(context["threads"]) == 1:
        context.update(thread_context(request, context["threads"][0]))
    return render(request, "tasks/assignment_detail.html", context)


def _period(assignment, raw) -> AssignmentPeriod | None:
    if not raw:
        return None
    return get_object_or_404(AssignmentPeriod, pk=raw, assignment=assignment)


@policy.action_required(policy.REPORT_DRAFT)
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
        submit = "submit" in request.POST
        services.report_file(
            assignment=assignment,
            author=request.user,
            percent=data["percent"],
            text=data["text"],
            reports_done=data["reports_done"],
            period=_period(assignment, data["period"]),
            files=[data["evidence"]] if data["evidence"] else [],
            submit=submit,
        )
        if submit:
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


@policy.action_required(policy.REPORT_SUBMIT)
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


@policy.action_required(policy.REVIEW)
@require_POST
def assignment_review(request, pk: int):
    assignment = _visible_assignment(request, pk)
    period = _period(assignment, request.POST.get("period"))
    # The page's buttons say "return" or "confirm"; the API sends the decision's own value.
    returning = request.POST.get("decision") == "return"
    try:
        services.review_decide(
            assignment=assignment,
            actor=request.user,
            decision=ReviewDecision.RETURNED if returning else ReviewDecision.CONFIRMED,
            reason=request.POST.get("reason", ""),
            period=period,
        )
        if returning:
            messages.success(request, _("The assignment was returned to the unit."))
        else:
            messages.success(request, _("Completion was confirmed."))
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    if request.POST.get("next") == "queue":
        return redirect("tasks:review_queue")
    return redirect("tasks:assignment_detail", pk=assignment.pk)


@policy.action_required(
    policy.ASSIGNMENT_SUSPEND,
    policy.ASSIGNMENT_RESUME,
    policy.ASSIGNMENT_CANCEL,
    policy.ASSIGNMENT_TRANSFER,
)
@require_POST
def assignment_manage(request, pk: int):
    """Home Affairs suspends, resumes, cancels, or transfers to a successor unit."""
    assignment = _visible_assignment(request, pk)
    action = request.POST.get("action")
    try:
        if action == "suspend":
            services.assignment_suspend(
                assignment=assignment, actor=request.user, reason=request.POST.get("reason", "")
            )
        elif action == "resume":
            services.assignment_resume(
                assignment=assignment, actor=request.user, reason=request.POST.get("reason", "")
            )
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


@policy.action_required(policy.EXTENSION_REQUEST)
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


@policy.action_required(policy.EXTENSION_DECIDE)
@require_POST
def extension_decide(request, pk: int, extension_pk: int):
    assignment = _visible_assignment(request, pk)
    extension = get_object_or_404(assignment.extensions, pk=extension_pk)
    form = ExtensionDecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.extension_decide(
                extension=extension,
                actor=request.user,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            if approve:
                messages.success(request, _("The extension was approved."))
            else:
                messages.success(request, _("The extension was refused."))
    return redirect("tasks:assignment_detail", pk=assignment.pk)


@login_required
@require_safe
def evidence_download(request, pk: int):
    """Evidence (of a report or of a message) is served only here, after the scope check, as
    a download that browsers must not sniff or render inline."""
    evidence = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    return evidence_response(evidence)


# --- Excel import ----------------------------------------------------------------------------


@policy.action_required(policy.TASK_ENTER)
@require_safe
def task_import_template(request):
    return xlsx_response(imports.template_workbook(), filename="mau-nhiem-vu.xlsx")


@policy.action_required(policy.TASK_ENTER)
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
            return redirect("tasks:plan_entry", pk=directive.pk)
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
