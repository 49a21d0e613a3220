"""Read-mostly boards: the ranking, the KPI board and the provincial-index trend."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.dispatch import QUEUE_DOWN_MESSAGE, send
from core.forms import errors_as_text
from core.roles import sees_whole_province
from indicators import excel, policy, selectors
from indicators.filters import KpiTargetFilter
from indicators.forms import KpiTargetForm, MeasurementForm, MeasurementImportForm, UploadForm
from indicators.jobs import compute_kpi_task
from indicators.models import IndexKind
from indicators.services import indices as index_services
from indicators.services import kpi as kpi_services
from indicators.sources import get_kpi_source, kpi_source_choices
from indicators.views.common import run_import, run_service, xlsx_response
from organizations.selectors import units_visible_to


def _ranking_framework(request):
    frameworks = selectors.frameworks_visible_to(request.user).filter(locked=True)
    chosen = request.GET.get("framework")
    if chosen and chosen.isdigit():
        return frameworks, get_object_or_404(frameworks, pk=chosen)
    return frameworks, frameworks.order_by("-year", "population", "pk").first()


def _ranking(user, framework) -> tuple[list[dict], list[dict]]:
    """The ranked rows (appraised or final) and, apart, the drafts and unappraised sheets."""
    if framework is None:
        return [], []
    ranked = selectors.assessment_ranking(user=user, framework=framework)
    unranked = selectors.assessments_unranked(user=user, framework=framework)
    return excel.ranking_rows(ranked), excel.ranking_rows(unranked)


@login_required
@require_safe
def ranking(request):
    """Units of one framework ranked with their bands. Queries do not grow with the number of
    units: the totals, band and rank are computed in one SQL statement."""
    frameworks, framework = _ranking_framework(request)
    rows, unranked = _ranking(request.user, framework)
    return render(
        request,
        "indicators/ranking.html",
        {
            "frameworks": frameworks,
            "framework": framework,
            "rows": rows,
            "unranked": unranked,
            "columns": excel.RANKING_COLUMNS,
            # a unit opens only its own sheet from the ranking; the others would be a 404
            "opens_every_sheet": sees_whole_province(request.user),
        },
    )


@login_required
@require_safe
def ranking_export(request):
    _frameworks, framework = _ranking_framework(request)
    if framework is None:
        return redirect("indicators:ranking")
    rows, unranked = _ranking(request.user, framework)
    # the file holds what the page shows: the ranked units, then the unranked ones
    return xlsx_response(
        excel.ranking_xlsx(rows + unranked, str(framework)),
        filename=f"xep-hang-{framework.year}.xlsx",
    )


KPI_FIELDS = ("name", "measure", "direction", "year", "source_directive", "source_key")


def _year(request) -> int | None:
    year = request.GET.get("year", "")
    return int(year) if year.isdigit() else None


@login_required
def kpi_board(request):
    year = _year(request)
    kpi_filter = KpiTargetFilter(request.GET, queryset=selectors.kpi_targets())
    kpis = list(kpi_filter.qs)
    # values are entered only for targets not computed from portal data
    manual_kpis = selectors.kpi_targets_entered(year=year)
    units = units_visible_to(request.user).order_by("code")
    # Leaders read the board; a value they post is refused before the form is read.
    if request.method == "POST" and not policy.role_may(request.user, policy.MEASUREMENT_RECORD):
        raise PermissionDenied
    form = MeasurementForm(request.POST or None, kpis=manual_kpis, units=units)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if run_service(
                request,
                lambda: kpi_services.measurement_record(actor=request.user, **data),
                _("Saved."),
            ):
                return redirect(request.get_full_path())
    measurements = selectors.kpi_board(request.user, year=year)
    allowed = policy.board_allowed(request.user)
    can_manage = allowed[policy.KPI_MANAGE]
    return render(
        request,
        "indicators/kpi_board.html",
        {
            "kpis": kpis,
            "filter": kpi_filter,
            "measurements": measurements,
            "form": form,
            "year": year,
            "allowed": allowed,
            "target_form": KpiTargetForm() if can_manage else None,
            "import_form": MeasurementImportForm(kpis=manual_kpis) if can_manage else None,
            "sources": dict(kpi_source_choices()),
        },
    )


@policy.action_required(policy.KPI_MANAGE)
@require_POST
def kpi_target_add(request):
    form = KpiTargetForm(request.POST)
    if form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key in KPI_FIELDS}
        run_service(
            request,
            lambda: kpi_services.kpi_target_create(
                actor=request.user, levels=form.levels(), **data
            ),
            _("Saved."),
        )
    else:
        messages.error(request, errors_as_text(form))
    return redirect("indicators:kpi_board")


@policy.action_required(policy.KPI_MANAGE)
@require_POST
def kpi_compute(request, pk: int):
    """Recompute a bound target's values from dossier data now, in a job (the nightly job does
    the same); pressing twice is harmless."""
    kpi = get_object_or_404(selectors.kpi_targets(), pk=pk)
    if get_kpi_source(kpi.source_key) is None:
        messages.error(request, _("This target is not computed from portal data."))
    elif send(compute_kpi_task, kpi.pk):
        messages.success(
            request,
            _("The values of “%(name)s” are being recomputed from dossier data.")
            % {"name": kpi.name},
        )
    else:
        messages.warning(request, QUEUE_DOWN_MESSAGE)
    return redirect(f"{reverse('indicators:kpi_board')}?year={kpi.year}")


@policy.action_required(policy.KPI_MANAGE)
@require_POST
def measurement_import(request):
    run_import(
        request,
        MeasurementImportForm(request.POST, request.FILES, kpis=selectors.kpi_targets()),
        lambda data: kpi_services.measurements_import(
            actor=request.user, kpi=data["kpi"], fileobj=data["file"]
        ),
        _("%(count)s values imported."),
    )
    return redirect("indicators:kpi_board")


@login_required
@require_safe
def index_trend(request):
    """Each index over the years, on a Chart.js chart fed by json_script."""
    indices = list(selectors.provincial_indices())
    own = [row for row in indices if not row.subject]
    series = {}
    for kind, label in IndexKind.choices:
        points = [
            {"year": row.year, "value": float(row.value), "rank": row.rank}
            for row in own
            if row.kind == kind
        ]
        if points:
            series[kind] = {"label": str(label), "points": points}
    years = sorted({row.year for row in own})
    return render(
        request,
        "indicators/index_trend.html",
        {
            "indices": indices,
            "chart": {"years": years, "series": list(series.values())},
            "upload_form": UploadForm(),
            "allowed": policy.board_allowed(request.user),
        },
    )


@policy.action_required(policy.INDEX_IMPORT)
@require_POST
def index_import(request):
    run_import(
        request,
        UploadForm(request.POST, request.FILES),
        lambda data: index_services.indices_import(actor=request.user, fileobj=data["file"]),
        _("%(count)s index values imported."),
    )
    return redirect("indicators:index_trend")
