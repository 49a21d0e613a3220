from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.http import attachment_response
from directives import policy, selectors, services
from directives.exports import DIRECTIVE_COLUMNS
from directives.filters import DirectiveFilter
from directives.forms import DirectiveForm
from tasks import policy as task_policy
from tasks.selectors import directive_task_progress


@login_required
@require_safe
def directive_list(request):
    directive_filter = DirectiveFilter(request.GET, queryset=selectors.directive_list(request.user))
    page = Paginator(directive_filter.qs, 50).get_page(request.GET.get("page"))
    template = (
        "directives/includes/directive_table.html"
        if request.htmx
        else "directives/directive_list.html"
    )
    return render(
        request,
        template,
        {
            "filter": directive_filter,
            "page": page,
            "columns": DIRECTIVE_COLUMNS,
            "allowed": policy.allowed_actions(request.user),
        },
    )


@login_required
@require_safe
def directive_detail(request, pk: int):
    directive = get_object_or_404(selectors.directive_detail(request.user), pk=pk)
    as_of = timezone.localdate()
    rows = directive_task_progress(directive, request.user, as_of)
    return render(
        request,
        "directives/directive_detail.html",
        {
            "directive": directive,
            "rows": rows,
            "as_of": as_of,
            "allowed": {
                **policy.allowed_actions(request.user, directive=directive),
                # the plan's tasks are entered in tasks, under its own rule
                task_policy.TASK_ENTER: task_policy.role_may(request.user, task_policy.TASK_ENTER),
            },
        },
    )


@login_required
@require_safe
def directive_file(request, pk: int):
    directive = get_object_or_404(selectors.directives_visible_to(request.user), pk=pk)
    if not directive.file:
        raise Http404
    return attachment_response(
        directive.file,
        filename=f"{directive.number.replace('/', '-')}.{directive.file.name.rsplit('.', 1)[-1]}",
    )


def _form_data(form: DirectiveForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("file", None)
    return data


@policy.action_required(policy.DIRECTIVE_CREATE)
@require_http_methods(["GET", "POST"])
def directive_create(request):
    form = DirectiveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            directive = services.directive_create(
                **_form_data(form), file=form.cleaned_data["file"], created_by=request.user
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("The directive was saved."))
            return redirect("directives:directive_detail", pk=directive.pk)
    return render(request, "directives/directive_form.html", {"form": form})


@policy.action_required(policy.DIRECTIVE_EDIT)
@require_http_methods(["GET", "POST"])
def directive_edit(request, pk: int):
    directive = get_object_or_404(selectors.directive_detail(request.user), pk=pk)
    initial = {
        "number": directive.number,
        "issue_date": directive.issue_date,
        "issuer": directive.issuer,
        "issuer_name": directive.issuer_name,
        "summary": directive.summary,
        "signer": directive.signer,
        "signer_position": directive.signer_position,
        "signing_mode": directive.signing_mode,
        "areas": list(directive.areas.all()),
        "implements": list(directive.implements.all()),
        "validity": directive.validity,
    }
    form = DirectiveForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.directive_update(
                directive=directive,
                **_form_data(form),
                file=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("The directive was saved."))
            return redirect("directives:directive_detail", pk=directive.pk)
    return render(request, "directives/directive_form.html", {"form": form, "directive": directive})


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("file" if exc.code in {"too_big", "bad_type", "empty"} else None, exc)
