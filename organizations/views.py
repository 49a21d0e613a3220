from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods, require_safe

from core.http import xlsx_response
from core.views import background_import_page
from organizations import policy, selectors, services
from organizations.exports import UNIT_COLUMNS
from organizations.filters import UnitFilter
from organizations.forms import UnitImportForm
from organizations.templates_xlsx import unit_import_template


@login_required
@require_safe
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
@require_safe
def unit_detail(request, pk: int):
    unit = get_object_or_404(selectors.unit_detail(request.user), pk=pk)
    return render(request, "organizations/unit_detail.html", {"unit": unit})


@policy.action_required(policy.UNIT_IMPORT)
@require_http_methods(["GET", "POST"])
def unit_import_list(request):
    return background_import_page(
        request,
        form=UnitImportForm(request.POST or None, request.FILES or None),
        start=lambda data: services.unit_import_start(uploaded=data["file"], user=request.user),
        detail="organizations:unit_import_detail",
        template="organizations/unit_import_list.html",
        recent=selectors.unit_imports_recent(),
    )


@policy.action_required(policy.UNIT_IMPORT)
@require_safe
def unit_import_detail(request, pk: int):
    record = get_object_or_404(selectors.unit_imports_recent(), pk=pk)
    template = (
        "organizations/includes/unit_import_status.html"
        if request.htmx
        else ("organizations/unit_import_detail.html")
    )
    return render(request, template, {"record": record})


@policy.action_required(policy.UNIT_IMPORT)
@require_safe
def unit_import_template_download(request):
    return xlsx_response(unit_import_template(), filename="mau-danh-sach-don-vi.xlsx")
