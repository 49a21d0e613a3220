from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.db import reads_from_replica
from core.http import attachment_response
from core.roles import sees_whole_province
from organizations.selectors import units_visible_to
from reporting import audit, policy, selectors, services
from reporting.dashboards.forms import DashboardFilterForm
from reporting.dashboards.panels import (
    DashboardContext,
    LazyPanels,
    UnitPanel,
    data_token,
    unit_context,
)
from reporting.filters import ChangeHistoryFilter
from reporting.reports import get_report, reports_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@policy.action_required(policy.EXPORT_START)
@require_safe
def export_start(request, key: str):
    """'Xuất Excel' on a list: the list's own query string says which rows."""
    params = request.GET.copy()
    fmt = params.pop("format", [""])[-1]
    if fmt == "csv":
        lines, filename = services.export_csv(user=request.user, key=key, params=params)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if fmt not in ("", "xlsx"):
        raise Http404
    outcome = services.export_request(user=request.user, key=key, params=params)
    if outcome.content is not None:
        response = HttpResponse(outcome.content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{outcome.filename}"'
        return response
    messages.info(
        request,
        _("The list is large: the file is being prepared and will appear here when it is ready."),
    )
    return redirect("reporting:export_list")


@login_required
@require_safe
def export_list(request):
    mine = selectors.exports_of(request.user)
    exports = list(mine[:50])
    context = {
        "exports": exports,
        "total": mine.count(),  # the page shows the newest 50
        "any_active": any(export.is_active for export in exports),
    }
    template = (
        "reporting/includes/export_table.html" if request.htmx else ("reporting/export_list.html")
    )
    return render(request, template, context)


@login_required
@require_safe
def export_download(request, pk: int):
    export = get_object_or_404(selectors.exports_of(request.user), pk=pk, file__gt="")
    if export.expires_at and export.expires_at < timezone.now():
        messages.error(request, _("This file has expired; export the list again."))
        return redirect("reporting:export_list")
    return attachment_response(
        export.file, filename=export.file.name.split("/")[-1], content_type=XLSX
    )


AUDIT_PER_PAGE = 50


@policy.action_required(policy.CHANGE_HISTORY_VIEW)
@require_safe
def change_history(request):
    """ "Lịch sử thay đổi": every recorded change of the audited records, newest first."""
    filterset = ChangeHistoryFilter(request.GET or None)
    page = Paginator(filterset.qs, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    entries = audit.audit_entries(list(page.object_list))
    # "Lịch sử của bản ghi này" filters by kind and id; the heading names the record, as the id
    # alone means nothing to a person.
    record = entries[0] if entries and filterset.query()["object_id"] else None
    return render(
        request,
        "reporting/change_history.html",
        {
            "filter": filterset,
            "page": page,
            "entries": entries,
            "total": page.paginator.count,
            "record": record,
        },
    )


@login_required
@require_safe
def report_list(request):
    """'Báo cáo': the official reports the user may run, each with its parameter form."""
    entries = [(report, report.form(prefix=report.key)) for report in reports_for(request.user)]
    return render(request, "reporting/report_list.html", {"entries": entries})


@login_required
@require_safe
def report_download(request, key: str):
    """One official report as an .xlsx file, built with the parameters of its form."""
    report = get_report(request.user, key)
    if report is None:
        raise Http404
    form = report.form(request.GET or None, prefix=report.key)
    if request.GET and not form.is_valid():
        entries = [
            (entry, form if entry.key == key else entry.form(prefix=entry.key))
            for entry in reports_for(request.user)
        ]
        return render(request, "reporting/report_list.html", {"entries": entries}, status=400)
    content, filename = report.build(request.user, form.cleaned_data if request.GET else {})
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Dashboards ------------------------------------------------------------------------------


@policy.action_required(policy.LEADERSHIP_DASHBOARD)
@require_safe
@reads_from_replica
def leadership_dashboard(request):
    """The province's dashboard for leadership and Home Affairs; the filters re-render the
    panels through htmx. Unit roles get 403: their dashboard is the unit one."""
    form = DashboardFilterForm(request.GET)
    ctx = DashboardContext(
        user=request.user,
        values=form.values,
        period=form.report_period(),
        filter_token=form.cache_token(),
    )
    context = {
        "form": form,
        "ctx": ctx,
        "period": ctx.period,
        "panels": LazyPanels(ctx),
        "cache_seconds": settings.DASHBOARD_CACHE_SECONDS,
        "today": f"{timezone.localdate():%Y%m%d}",
        # the rendered panels are kept only while the tables behind them are unchanged
        "data_token": data_token(ctx) if settings.DASHBOARD_CACHE_SECONDS else "",
    }
    if request.htmx:
        return render(request, "reporting/includes/dashboard_panels.html", context)
    return render(request, "reporting/dashboard_leadership.html", context)


@login_required
@require_safe
@reads_from_replica
def unit_dashboard(request, pk: int | None = None):
    """A unit's own dashboard. Heads and staff see their unit's; Home Affairs and leadership
    open any unit's by its id; a unit outside the user's scope is a 404."""
    if pk is None:
        if request.user.unit_id is None or sees_whole_province(request.user):
            if sees_whole_province(request.user):
                return redirect("reporting:leadership_dashboard")
            raise Http404
        pk = request.user.unit_id
    unit = get_object_or_404(units_visible_to(request.user), pk=pk)
    panel = UnitPanel(unit_context(request.user), unit)
    return render(
        request,
        "reporting/dashboard_unit.html",
        {"unit": unit, "panel": panel, "data": panel.data(), "period": panel.ctx.period},
    )
