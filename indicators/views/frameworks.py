from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import errors_as_text
from core.roles import Role, role_required
from indicators import policy, selectors
from indicators.forms import (
    BandsForm,
    ComputedBandsForm,
    CriterionForm,
    FrameworkCopyForm,
    FrameworkForm,
    UploadForm,
)
from indicators.models import ComputedBand, Criterion, CriterionMethod, Framework
from indicators.services import assessments as assessment_services
from indicators.services import frameworks as services
from indicators.sources import source_choices
from indicators.views.common import run_import, run_service, xlsx_response


@role_required(Role.HOME_AFFAIRS, Role.LEADER)
def framework_list(request):
    # Leaders read the list; only Home Affairs creates, refused before the form is read.
    if request.method == "POST" and not policy.role_may(request.user, policy.FRAMEWORK_EDIT):
        raise PermissionDenied
    form = FrameworkForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            framework = None

            def create():
                nonlocal framework
                framework = services.framework_create(
                    **form.cleaned_data,
                    bands=[("Tốt", 90), ("Khá", 80), ("Trung bình", 65), ("Yếu", 0)],
                )

            if run_service(request, create, _("The framework was created.")):
                return redirect("indicators:framework_detail", pk=framework.pk)
    frameworks = selectors.frameworks_visible_to(request.user).annotate(
        criteria_count=Count("criteria", distinct=True),
        assessment_count=Count("assessments", distinct=True),
    )
    return render(
        request,
        "indicators/framework_list.html",
        {
            "frameworks": frameworks,
            "form": form,
            "allowed": policy.board_allowed(request.user),
        },
    )


def _framework(request, pk: int) -> Framework:
    return get_object_or_404(selectors.frameworks_visible_to(request.user), pk=pk)


@role_required(Role.HOME_AFFAIRS, Role.LEADER)
@require_safe
def framework_detail(request, pk: int):
    framework = _framework(request, pk)
    criteria = framework.criteria.order_by("path").prefetch_related(
        Prefetch("computed_bands", queryset=ComputedBand.objects.order_by("-min_percent"))
    )
    bands = framework.bands.order_by("-min_percent")
    bands_text = "\n".join(f"{band.label}, {band.min_percent:g}" for band in bands)
    context = {
        "framework": framework,
        "criteria": criteria,
        "bands": bands,
        "breaches": services.framework_check(framework=framework),
        "allowed": policy.board_allowed(request.user),
        "framework_form": FrameworkForm(instance=framework),
        "bands_form": BandsForm(initial={"bands": bands_text}),
        "criterion_form": CriterionForm(),
        "copy_form": FrameworkCopyForm(initial={"year": framework.year + 1}),
        "upload_form": UploadForm(),
        "sources": source_choices(),
        "methods": CriterionMethod.choices,
    }
    return render(request, "indicators/framework_detail.html", context)


@policy.action_required(policy.FRAMEWORK_EDIT)
@require_POST
def framework_edit(request, pk: int):
    framework = _framework(request, pk)
    form = FrameworkForm(request.POST, instance=Framework.objects.get(pk=framework.pk))
    if form.is_valid():
        run_service(
            request,
            lambda: services.framework_update(framework=framework, **form.cleaned_data),
            _("Saved."),
        )
    else:
        messages.error(request, errors_as_text(form))
    return redirect("indicators:framework_detail", pk=pk)


@policy.action_required(policy.FRAMEWORK_EDIT)
@require_POST
def framework_bands(request, pk: int):
    framework = _framework(request, pk)
    form = BandsForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.framework_set_bands(
                framework=framework, bands=form.cleaned_data["bands"]
            ),
            _("Saved."),
        )
    else:
        messages.error(request, " ".join(form.errors["bands"]))
    return redirect("indicators:framework_detail", pk=pk)


@policy.action_required(policy.FRAMEWORK_EDIT)
@require_POST
def criterion_add(request, pk: int):
    framework = _framework(request, pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.criterion_create(framework=framework, **form.cleaned_data),
            _("The criterion was added."),
        )
    else:
        messages.error(request, errors_as_text(form))
    return redirect("indicators:framework_detail", pk=pk)


def _criterion(request, pk: int) -> Criterion:
    return get_object_or_404(
        Criterion.objects.filter(framework__in=selectors.frameworks_visible_to(request.user)),
        pk=pk,
    )


@policy.action_required(policy.FRAMEWORK_EDIT)
@require_POST
def criterion_edit(request, pk: int):
    criterion = _criterion(request, pk)
    form = CriterionForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.criterion_update(criterion=criterion, **form.cleaned_data),
            _("Saved."),
        )
    else:
        messages.error(request, errors_as_text(form))
    return redirect("indicators:framework_detail", pk=criterion.framework_id)


@policy.action_required(policy.FRAMEWORK_EDIT)
@require_POST
def criterion_delete(request, pk: int):
    criterion = _criterion(request, pk)
    run_service(request, lambda: services.criterion_delete(criterion=criterion), _("Deleted."))
    return redirect("indicators:framework_detail", pk=criterion.framework_id)


@policy.action_required(policy.FRAMEWORK_EDIT)
@require_POST
def criterion_bands(request, pk: int):
    criterion = _criterion(request, pk)
    form = ComputedBandsForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.computed_bands_set(
                criterion=criterion, rows=form.cleaned_data["rows"]
            ),
            _("Saved."),
        )
    else:
        messages.error(request, " ".join(form.errors["rows"]))
    return redirect("indicators:framework_detail", pk=criterion.framework_id)


@policy.action_required(policy.FRAMEWORK_EDIT)
@require_POST
def framework_import(request, pk: int):
    framework = _framework(request, pk)
    run_import(
        request,
        UploadForm(request.POST, request.FILES),
        lambda data: services.framework_import(framework=framework, fileobj=data["file"]),
        _("%(count)s criteria imported."),
    )
    return redirect("indicators:framework_detail", pk=pk)


@login_required
@require_safe
def framework_export(request, pk: int):
    framework = _framework(request, pk)
    return xlsx_response(
        services.framework_export(framework=framework), filename=f"bo-chi-so-{framework.year}.xlsx"
    )


@login_required
@require_safe
def framework_template(request):
    return xlsx_response(services.framework_export(framework=None), filename="mau-bo-chi-so.xlsx")


@policy.action_required(policy.FRAMEWORK_EDIT)
@require_POST
def framework_copy(request, pk: int):
    framework = _framework(request, pk)
    form = FrameworkCopyForm(request.POST)
    copy = None

    def do_copy():
        nonlocal copy
        copy = services.framework_copy(framework=framework, year=form.cleaned_data["year"])

    if form.is_valid() and run_service(request, do_copy, _("The framework was copied.")):
        return redirect("indicators:framework_detail", pk=copy.pk)
    return redirect("indicators:framework_detail", pk=pk)


@policy.action_required(policy.ASSESSMENTS_OPEN)
@require_POST
def framework_open(request, pk: int):
    framework = _framework(request, pk)
    opened = []

    def do_open():
        opened.extend(assessment_services.assessments_open(actor=request.user, framework=framework))

    if run_service(request, do_open):
        messages.success(request, _("%(count)s assessments opened.") % {"count": len(opened)})
    return redirect("indicators:framework_detail", pk=pk)
