from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.db import reads_from_replica
from core.filters import list_as_of
from core.forms import errors_as_text
from core.http import xlsx_response
from core.roles import sees_whole_province
from core.views import background_import_page
from dossiers import policy, selectors, services
from dossiers.exports import DOSSIER_COLUMNS
from dossiers.filters import DossierFilter, ProcedureFilter
from dossiers.forms import (
    AggregateImportForm,
    AggregateRowForm,
    ApologyForm,
    DossierImportForm,
    PeriodForm,
    parse_cursor,
)
from dossiers.templates_xlsx import dossier_import_template
from dossiers.timeliness import dossier_timeliness

PAGE_SIZE = 50


@login_required
@require_safe
@reads_from_replica
def dashboard(request):
    """Province (Home Affairs, leaders) or unit dashboard of service-quality figures."""
    province_wide = sees_whole_province(request.user)
    form = PeriodForm(
        request.GET or None,
        units=selectors.units_for_dashboard(request.user) if province_wide else None,
    )
    data = selectors.dossier_dashboard(
        request.user,
        period=form.period(),
        level=form.selected_level(),
        unit=form.selected_unit() if province_wide else None,
    )
    return render(
        request,
        "dossiers/dashboard.html",
        {"form": form, **data},
    )


@login_required
@require_safe
def dossier_list(request):
    """Filtered list with keyset paging: "next" carries the last row's (received_at, id)."""
    dossier_filter = DossierFilter(
        request.GET,
        queryset=selectors.dossier_list(request.user, as_of=list_as_of(request.GET)),
        request=request,
    )
    queryset = dossier_filter.qs
    sort = (dossier_filter.form.cleaned_data.get("sort") or ["-received"])[0]
    rows, next_cursor = selectors.keyset_page(
        queryset, after=parse_cursor(request.GET.get("after")), size=PAGE_SIZE, sort=sort
    )
    # The filtered set's size, for the total above the table: one COUNT over the same filters
    # (the page itself never counts: it pages by keyset).
    total = queryset.count()
    base = request.GET.copy()
    base.pop("after", None)
    next_query = ""
    if next_cursor:
        following = base.copy()
        following["after"] = f"{next_cursor[0].isoformat()}_{next_cursor[1]}"
        next_query = following.urlencode()
    # "First page" goes back to the same filters without the cursor.
    first_query = (base.urlencode() or "page=1") if "after" in request.GET else ""
    template = (
        "dossiers/includes/dossier_table.html" if request.htmx else "dossiers/dossier_list.html"
    )
    return render(
        request,
        template,
        {
            "filter": dossier_filter,
            "rows": rows,
            "total": total,
            "next_query": next_query,
            "first_query": first_query,
            "columns": DOSSIER_COLUMNS,
        },
    )


@login_required
@require_safe
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
        entry = (
            dossier.history.filter(apology_registered_at__isnull=False)
            .select_related("history_user")
            .order_by("history_date")
            .first()
        )
        who = entry.history_user if entry and entry.history_user else None
        label = _("Apology sent by %(who)s") % {"who": who} if who else _("Apology sent")
        timeline.append((dossier.apology_registered_at, label))
    timeline.sort(key=lambda item: item[0])
    allowed = policy.allowed_actions(request.user, dossier=dossier)
    return render(
        request,
        "dossiers/dossier_detail.html",
        {
            "dossier": dossier,
            "timeline": timeline,
            "timeliness": dossier_timeliness(dossier, today),
            "apology_form": ApologyForm() if allowed[policy.DOSSIER_APOLOGY] else None,
            "allowed": allowed,
        },
    )


@policy.action_required(policy.DOSSIER_APOLOGY)
@require_POST
def dossier_apology(request, pk: int):
    dossier = get_object_or_404(selectors.dossier_detail(request.user), pk=pk)
    # a parent unit's people see the dossier but never act for it: 403 before the form
    policy.require_person(request.user, policy.DOSSIER_APOLOGY, dossier=dossier)
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
        messages.error(request, errors_as_text(form))
    return redirect("dossiers:dossier_detail", pk=dossier.pk)


@policy.action_required(policy.DOSSIER_IMPORT)
@require_http_methods(["GET", "POST"])
def import_list(request):
    return background_import_page(
        request,
        form=DossierImportForm(request.POST or None, request.FILES or None),
        start=lambda data: services.dossier_import_start(
            uploaded=data["file"], user=request.user, skip_bad_rows=data["skip_bad_rows"]
        ),
        detail="dossiers:import_detail",
        template="dossiers/import_list.html",
        recent=selectors.dossier_imports_recent(),
        columns=services.DOSSIER_COLUMNS,
    )


@policy.action_required(policy.DOSSIER_IMPORT)
@require_safe
def import_detail(request, pk: int):
    record = get_object_or_404(selectors.dossier_imports_recent(), pk=pk)
    template = (
        "dossiers/includes/import_status.html" if request.htmx else "dossiers/import_detail.html"
    )
    return render(
        request, template, {"record": record, "progress": services.import_progress(record)}
    )


def _aggregate_page(request, *, form=None, import_form=None, import_errors=()):
    visible = selectors.aggregate_rows_visible_to(request.user)
    rows = visible[:100]
    return render(
        request,
        "dossiers/aggregate_row_list.html",
        {
            "form": form or AggregateRowForm(),
            "import_form": import_form or AggregateImportForm(),
            "import_errors": import_errors,
            "columns": services.AGGREGATE_COLUMNS,
            "rows": rows,
            "total": visible.count(),  # the page shows the newest 100
        },
    )


@policy.action_required(policy.AGGREGATE_ENTER)
@require_http_methods(["GET", "POST"])
def aggregate_row_list(request):
    """Home Affairs enters a unit's report line; an unbalanced line is kept and flagged."""
    form = AggregateRowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.aggregate_row_save(**form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            # a field's refusal (a unit outside its dates) goes beside the field
            errors = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
            for name, messages_ in errors.items():
                form.add_error(name if name in form.fields else None, messages_)
        else:
            if row.is_balanced:
                messages.success(request, _("The report line was saved."))
            else:
                messages.warning(
                    request, _("The report line was saved but does not balance; see the flag.")
                )
            return redirect("dossiers:aggregate_row_list")
    return _aggregate_page(request, form=form)


@policy.action_required(policy.AGGREGATE_ENTER)
@require_POST
def aggregate_row_import(request):
    """Report lines from a small file, all or nothing, in the request."""
    import_form = AggregateImportForm(request.POST, request.FILES)
    if not import_form.is_valid():
        return _aggregate_page(request, import_form=import_form)
    saved, errors = services.aggregate_rows_import(
        fileobj=import_form.cleaned_data["file"], actor=request.user
    )
    if errors:
        return _aggregate_page(request, import_form=import_form, import_errors=errors)
    flagged = sum(1 for row in saved if not row.is_balanced)
    messages.success(
        request,
        _("%(n)s report lines saved, %(f)s of them flagged as unbalanced.")
        % {"n": len(saved), "f": flagged},
    )
    return redirect("dossiers:aggregate_row_list")


@policy.action_required(policy.DOSSIER_IMPORT)
@require_safe
def import_template_download(request):
    return xlsx_response(dossier_import_template(), filename="mau-nhap-ho-so.xlsx")


@login_required
@require_safe
def procedure_list(request):
    """The procedure catalogue with each procedure's current deadline rules."""
    procedure_filter = ProcedureFilter(request.GET, queryset=selectors.procedure_list())
    page = Paginator(procedure_filter.qs, 50).get_page(request.GET.get("page"))
    return render(
        request, "dossiers/procedure_list.html", {"filter": procedure_filter, "page": page}
    )
