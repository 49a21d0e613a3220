from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.roles import Role, role_required
from organizations import selectors, services
from organizations.exports import UNIT_COLUMNS
from organizations.filters import UnitFilter
from organizations.forms import UnitImportForm
from organizations.templates_xlsx import unit_import_template


@login_required
def unit_list(request):
    unit_filter = UnitFilter(request.GET, queryset=selectors.unit_list(request.user))
    page = Paginator(unit_filter.qs, 50).get_page(request.GET.get("page"))
    template = (
        "organizations/includes/unit_table.html"
        if request.htmx
        else ("organizations/unit_list.html")
    )
    return render(request, template, {"filter": unit_filter, "page": page, "columns": UNIT_COLUMNS})


@login_required
def unit_detail(request, pk: int):
    unit = get_object_or_404(selectors.unit_detail(request.user), pk=pk)
    return render(request, "organizations/unit_detail.html", {"unit": unit})


@role_required(Role.HOME_AFFAIRS)
@require_http_methods(["GET", "POST"])
def unit_import_list(request):
    form = UnitImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.unit_import_start(
                uploaded=form.cleaned_data["file"], user=request.user
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, _("The file was received; the import runs in the background.")
            )
            return redirect("organizations:unit_import_detail", pk=record.pk)
    recent = selectors.unit_imports_recent()
    context = {"form": form, "imports": recent[:50], "total": recent.count()}
    return render(request, "organizations/unit_import_list.html", context)


@role_required(Role.HOME_AFFAIRS)
def unit_import_detail(request, pk: int):
    record = get_object_or_404(selectors.unit_imports_recent(), pk=pk)
    template = (
        "organizations/includes/unit_import_status.html"
        if request.htmx
        else ("organizations/unit_import_detail.html")
    )
    return render(request, template, {"record": record})


@role_required(Role.HOME_AFFAIRS)
def unit_import_template_download(request):
    response = HttpResponse(
        unit_import_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-don-vi.xlsx"'
    return response
