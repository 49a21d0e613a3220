from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from core.filters import JobRunFilter
from core.models import JobRun
from core.navigation import start_page_for
from core.roles import Role, role_required

JOB_RUNS_PER_PAGE = 50


@login_required
def home(request):
    """The home page sends each role to its own start page."""
    return redirect(start_page_for(request.user))


@role_required(Role.HOME_AFFAIRS)
def jobrun_list(request):
    """The operations page: every run of every background job, newest first."""
    job_filter = JobRunFilter(request.GET, queryset=JobRun.objects.order_by("-started_at", "-pk"))
    page = Paginator(job_filter.qs, JOB_RUNS_PER_PAGE).get_page(request.GET.get("page"))
    template = "core/includes/jobrun_table.html" if request.htmx else "core/jobrun_list.html"
    return render(request, template, {"filter": job_filter, "page": page})
