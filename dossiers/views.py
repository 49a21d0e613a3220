from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.roles import Role, role_required, sees_whole_province
from dossiers import selectors, services
from dossiers.exports import DOSSIER_COLUMNS
from dossiers.filters import DossierFilter
from dossiers.forms import ApologyForm, DossierImportForm, PeriodForm, parse_cursor
from dossiers.metrics import dossier_figures
from dossiers.models import ProcedureField
from dossiers.timeliness import dossier_timeliness
from organizations.models import UnitLevel

PAGE_SIZE = 50


@login_required
def dashboard(request):
    """Province (Home Affairs, leaders) or unit dashboard of service-quality figures."""
    form = PeriodForm(request.GET or None)
    period = form.period()
    level = form.selected_level()
    unit_ids = selectors.visible_unit_ids(request.user)
    total = dossier_figures(period, unit_ids=unit_ids, level=level)[None]
    by_level = dossier_figures(period, unit_ids=unit_ids, level=level, group_by="level")
    group = "unit" if sees_whole_province(request.user) else "field"
    grouped = dossier_figures(period, unit_ids=unit_ids, level=level, group_by=group)
    if group == "unit":
        names = dict(selectors.units_for_dashboard(request.user).values_list("pk", "name"))
    else:
        names = dict(ProcedureField.objects.values_list("pk", "name"))
    rows = sorted(
        ((names.get(key, "—"), figures) for key, figures in grouped.items()),
        key=lambda item: item[0],
    )
    levels = [(label, by_level.get(value)) for value, label in UnitLevel.choices]
    late = selectors.dossiers_late_without_apology(request.user)[:20]
    chart = {
        "labels": [str(name) for name, _figures in rows],
        "on_time": [figures.on_time_rate for _name, figures in rows],
        "progress": [figures.progress_rate for _name, figures in rows],
        "online": [figures.online_rate for _name, figures in rows],
        "level_labels": [str(label) for label, _figures in levels],
        "level_online": [figures.online_rate if figures else None for _label, figures in levels],
    }
    return render(
        request,
        "dossiers/dashboard.html",
        {
            "form": form,
            "period": period,
            "total": total,
            "levels": levels,
            "rows": rows,
            "group": group,
            "late": late,
            "chart": chart,
        },
    )


@login_required
def dossier_list(request):
    """Filtered list with keyset paging: "next" carries the last row's (received_at, id)."""
    dossier_filter = DossierFilter(
        request.GET, queryset=selectors.dossier_list(request.user), request=request
    )
    rows, next_cursor = selectors.keyset_page(
        dossier_filter.qs, after=parse_cursor(request.GET.get("after")), size=PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("after", None)
    if next_cursor:
        query["after"] = f"{next_cursor[0].isoformat()}_{next_cursor[1]}"
    template = (
        "dossiers/includes/dossier_table.html" if request.htmx else "dossiers/dossier_list.html"
    )
    return render(
        request,
        template,
        {
            "filter": dossier_filter,
            "rows": rows,
            "columns": DOSSIER_COLUMNS,
            "next_query": query.urlencode() if next_cursor else "",
            "first_query": request.GET.copy().urlencode() if "after" in request.GET else "",
        },
    )


@login_required
def dossier_detail(request, pk: int):
    dossier = get_object_or_404(selectors.dossier_detail(request.user), pk=pk)
    today = timezone.localdate()
    timeline = [
        (dossier.received_at, _("Received")),
        (dossier.due_at, _("Appointment date")),
    ]
    if dossier.finished_at:
        timeline.append((dossier.finished_at, _("Finished")))
    if dossier.returned_at:
        timeline.append((dossier.returned_at, _("Result returned")))
    if dossier.apology_registered_at:
        timeline.append((dossier.apology_registered_at, _("Apology sent")))
    timeline.sort(key=lambda item: item[0])
    can_apologise = (
        services.can_register_apology(request.user, dossier)
        and dossier.apology_registered_at is None
        and (dossier.finished_date or today) > dossier.due_date
    )
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "dossier": dossier,
            "timeline": timeline,
            "timeliness": dossier_timeliness(dossier, today),
            "apology_form": ApologyForm() if can_apologise else None,
        },
    )


@role_required(Role.UNIT_HEAD, Role.UNIT_STAFF)
@require_POST
def dossier_apology(request, pk: int):
    dossier = get_object_or_404(selectors.dossier_detail(request.user), pk=pk)
    form = ApologyForm(request.POST)
    if form.is_valid():
        try:
            services.dossier_register_apology(
                dossier=dossier, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The apology was registered."))
    else:
        messages.error(request, _("Give a valid new appointment date."))
    return redirect("dossiers:dossier_detail", pk=dossier.pk)


@role_required(Role.HOME_AFFAIRS)
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = DossierImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.dossier_import_start(
                uploaded=form.cleaned_data["file"],
                user=request.user,
                skip_bad_rows=form.cleaned_data["skip_bad_rows"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, _("The file was received; the import runs in the background.")
            )
            return redirect("dossiers:import_detail", pk=record.pk)
    imports = selectors.dossier_imports_recent()[:50]
    return render(
        request,
        "dossiers/import_list.html",
        {"form": form, "imports": imports, "columns": services.DOSSIER_COLUMNS},
    )


@role_required(Role.HOME_AFFAIRS)
def import_detail(request, pk: int):
    record = get_object_or_404(selectors.dossier_imports_recent(), pk=pk)
    template = (
        "dossiers/includes/import_status.html" if request.htmx else "dossiers/import_detail.html"
    )
    return render(
        request, template, {"record": record, "progress": services.import_progress(record)}
    )
