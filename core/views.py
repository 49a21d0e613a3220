from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import services
from core.filters import JobRunFilter
from core.forms import WorkdayOverrideForm
from core.models import JobRun, WorkdayOverride
from core.navigation import start_page_for
from core.roles import Role, role_required

JOB_RUNS_PER_PAGE = 50


@login_required
@require_safe
def home(request):
    """The home page sends each role to its own start page."""
    return redirect(start_page_for(request.user))


@role_required(Role.HOME_AFFAIRS)
@require_http_methods(["GET", "POST"])
def workday_override_list(request):
    """Home Affairs lists, adds and removes the yearly swap days."""
    form = WorkdayOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.workday_override_create(**form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The working-day override was saved."))
            return redirect("core:workday_override_list")
    today = timezone.localdate()
    overrides = list(WorkdayOverride.objects.filter(date__year__gte=today.year - 1))
    return render(
        request, "core/workday_override_list.html", {"form": form, "overrides": overrides}
    )


@role_required(Role.HOME_AFFAIRS)
@require_POST
def workday_override_delete(request, pk: int):
    override = get_object_or_404(WorkdayOverride, pk=pk)
    services.workday_override_delete(override=override)
    messages.success(request, _("The working-day override was removed."))
    return redirect("core:workday_override_list")


@role_required(Role.HOME_AFFAIRS)
@require_safe
def jobrun_list(request):
    """The operations page: every run of every background job, newest first."""
    job_filter = JobRunFilter(request.GET, queryset=JobRun.objects.order_by("-started_at", "-pk"))
    page = Paginator(job_filter.qs, JOB_RUNS_PER_PAGE).get_page(request.GET.get("page"))
    template = "core/includes/jobrun_table.html" if request.htmx else "core/jobrun_list.html"
    return render(request, template, {"filter": job_filter, "page": page})


def background_import_page(request, *, form, start, detail: str, template: str, recent, **extra):
    """The page of an import that runs as a background job (units, dossiers): on a valid POST
    the upload is stored and queued by `start(cleaned_data)` and the browser goes to the job's
    page (`detail`, a URL name taking pk); otherwise the form and the newest 50 imports."""
    if request.method == "POST" and form.is_valid():
        try:
            record = start(form.cleaned_data)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(
                request, _("The file was received; the import runs in the background.")
            )
            return redirect(detail, pk=record.pk)
    context = {
        "form": form,
        "imports": recent[:50],
        "total": recent.count(),  # the page shows the newest 50
        "detail": detail,
        **extra,
    }
    return render(request, template, context)
