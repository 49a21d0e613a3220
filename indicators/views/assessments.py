from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.dispatch import QUEUE_DOWN_MESSAGE, send
from core.forms import errors_as_text
from core.http import evidence_response
from indicators import excel, policy, selectors
from indicators.filters import AssessmentFilter
from indicators.forms import EvidenceForm, ExplanationForm, ScoreForm, UploadForm
from indicators.models import Assessment, AssessmentStage, CriterionMethod, Evidence
from indicators.services import assessments as services
from indicators.views.common import run_import, run_service, xlsx_response

S = AssessmentStage
# The URL's transition -> its service; each name is also the policy action (indicators.policy).
TRANSITIONS = {
    "submit": (services.assessment_submit, _("The self-assessment was submitted.")),
    "finish_round_1": (services.assessment_finish_round_1, _("Round 1 was sent to the unit.")),
    "submit_explanation": (
        services.assessment_submit_explanation,
        _("The explanation was sent to Home Affairs."),
    ),
    "finalize": (services.assessment_finalize, _("The result is final.")),
}


@login_required
@require_safe
def assessment_list(request):
    """Home Affairs' overview (every unit, its stage, appraisal progress) or a unit's own list."""
    assessment_filter = AssessmentFilter(
        request.GET,
        queryset=selectors.assessment_list(request.user).order_by(
            "-framework__year", "framework__name", "unit__code"
        ),
    )
    # Only the frameworks this user's list can hold are offered.
    frameworks = selectors.frameworks_visible_to(request.user).filter(locked=True)
    assessment_filter.form.fields["framework"].queryset = frameworks
    assessments = list(assessment_filter.qs)
    return render(
        request,
        "indicators/assessment_list.html",
        {"assessments": assessments, "filter": assessment_filter},
    )


def _assessment(request, pk: int) -> Assessment:
    return get_object_or_404(selectors.assessment_detail(request.user), pk=pk)


def _sheet_context(request, assessment: Assessment) -> dict:
    return {
        "assessment": assessment,
        "rows": excel.sheet_rows(assessment),
        "allowed": policy.allowed_actions(request.user, assessment),
        "methods": CriterionMethod,
        "upload_form": UploadForm(),
    }


@login_required
@require_safe
def assessment_detail(request, pk: int):
    """The scoring sheet (unit) and appraisal sheet (Home Affairs): one tree, self and
    appraised scores side by side, the editable column depending on who and which stage."""
    assessment = _assessment(request, pk)
    context = _sheet_context(request, assessment)
    context["history"] = selectors.assessment_history(assessment)
    return render(request, "indicators/assessment_detail.html", context)


def _sheet_partial(request, assessment_pk: int):
    assessment = _assessment(request, assessment_pk)
    return render(request, "indicators/includes/sheet.html", _sheet_context(request, assessment))


@policy.action_required(policy.SELF_SCORE, policy.EXPLAIN, policy.APPRAISE, policy.SURVEY)
@require_POST
def line_update(request, pk: int):
    """Save one cell of the sheet; htmx gets the sheet back with every total updated."""
    line = get_object_or_404(
        selectors.lines_visible_to(request.user).select_related("criterion", "assessment"), pk=pk
    )
    field = request.POST.get("field")
    if field == "explanation":
        form = ExplanationForm(request.POST)
    else:
        form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, errors_as_text(form))
    else:
        data = form.cleaned_data
        note = data.get("note") if "note" in request.POST else None
        run_service(
            request,
            lambda: services.scoreline_write(
                actor=request.user,
                line=line,
                field=field,
                score=data.get("score"),
                note=note,
                explanation=data.get("explanation", ""),
            ),
        )
    if request.htmx:
        return _sheet_partial(request, line.assessment_id)
    return redirect("indicators:assessment_detail", pk=line.assessment_id)


@policy.action_required(policy.EVIDENCE)
@require_POST
def evidence_upload(request, pk: int):
    line = get_object_or_404(
        selectors.lines_visible_to(request.user).select_related("assessment"), pk=pk
    )
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        run_service(
            request,
            lambda: services.evidence_add(
                actor=request.user, line=line, uploaded=form.cleaned_data["file"]
            ),
            _("The file was attached."),
        )
    else:
        messages.error(request, errors_as_text(form))
    return redirect("indicators:assessment_detail", pk=line.assessment_id)


@policy.action_required(policy.EVIDENCE)
@require_POST
def evidence_remove(request, pk: int):
    evidence = get_object_or_404(
        Evidence.objects.filter(line__in=selectors.lines_visible_to(request.user)).select_related(
            "line__assessment"
        ),
        pk=pk,
    )
    run_service(
        request,
        lambda: services.evidence_delete(actor=request.user, evidence=evidence),
        _("Deleted."),
    )
    return redirect("indicators:assessment_detail", pk=evidence.line.assessment_id)


@login_required
@require_safe
def evidence_download(request, pk: int):
    evidence = get_object_or_404(
        Evidence.objects.filter(line__in=selectors.lines_visible_to(request.user)), pk=pk
    )
    return evidence_response(evidence)


@policy.action_required(*TRANSITIONS)
@require_POST
def assessment_transition(request, pk: int, action: str):
    assessment = _assessment(request, pk)
    if action not in TRANSITIONS:
        return redirect("indicators:assessment_detail", pk=pk)
    if not policy.role_may(request.user, action):
        raise PermissionDenied
    service, success = TRANSITIONS[action]
    run_service(request, lambda: service(actor=request.user, assessment=assessment), success)
    return redirect("indicators:assessment_detail", pk=pk)


@policy.action_required(policy.RECOMPUTE)
@require_POST
def assessment_recompute(request, pk: int):
    assessment = _assessment(request, pk)
    from indicators.jobs import recompute_assessment_task

    if run_service(
        request, lambda: policy.require(request.user, policy.RECOMPUTE, assessment=assessment)
    ):
        if send(recompute_assessment_task, assessment.pk):
            messages.success(request, _("Computed criteria are being recalculated."))
        else:
            messages.warning(request, QUEUE_DOWN_MESSAGE)
    return redirect("indicators:assessment_detail", pk=pk)


@login_required
@require_safe
def assessment_export(request, pk: int):
    assessment = _assessment(request, pk)
    return xlsx_response(
        excel.assessment_sheet_xlsx(assessment),
        filename=f"bang-diem-{assessment.unit.code}-{assessment.framework.year}.xlsx",
    )


@policy.action_required(policy.SELF_SCORE)
@require_POST
def assessment_import(request, pk: int):
    assessment = _assessment(request, pk)
    run_import(
        request,
        UploadForm(request.POST, request.FILES),
        lambda data: excel.self_scores_import(
            actor=request.user, assessment=assessment, fileobj=data["file"]
        ),
        _("%(count)s self scores imported."),
    )
    return redirect("indicators:assessment_detail", pk=pk)
