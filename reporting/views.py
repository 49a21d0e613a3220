from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.roles import Role, role_required, sees_whole_province
from organizations.selectors import units_visible_to
from reporting import selectors, services
from reporting.dashboards.forms import DashboardFilterForm
from reporting.dashboards.panels import (
    LEADERSHIP_PANELS,
    DashboardContext,
    UnitPanel,
    unit_context,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def export_start(request, key: str):
    """'Xuất Excel' on a list: the list's own query string says which rows."""
    outcome = services.export_request(user=request.user, key=key, params=request.GET)
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
def export_list(request):
    exports = selectors.exports_of(request.user)[:50]
    context = {"exports": exports, "any_active": any(export.is_active for export in exports)}
    template = (
        "reporting/includes/export_table.html" if request.htmx else ("reporting/export_list.html")
    )
    return render(request, template, context)


@login_required
def export_download(request, pk: int):
    export = get_object_or_404(selectors.exports_of(request.user), pk=pk, file__gt="")
    if export.expires_at and export.expires_at < timezone.now():
        messages.error(request, _("This file has expired; export the list again."))
        return redirect("reporting:export_list")
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.file.name.split("/")[-1]
    )


# --- Dashboards ------------------------------------------------------------------------------


@role_required(Role.LEADER, Role.HOME_AFFAIRS)
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
    panels = {panel.name: panel.data() for panel in (p(ctx) for p in LEADERSHIP_PANELS)}
    context = {"form": form, "ctx": ctx, "period": ctx.period, "panels": panels}
    if request.htmx:
        return render(request, "reporting/includes/dashboard_panels.html", context)
    return render(request, "reporting/dashboard_leadership.html", context)


@login_required
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
