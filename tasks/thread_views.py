"""The conversation of an assignment: its page (the link a notification gives) and posting to
it. Scoped by tasks.selectors.threads_visible_to: another unit's thread is 404, GET and POST."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tasks import policy, selectors, services
from tasks.forms import PostForm
from tasks.models import Assignment


def new_post_form() -> PostForm:
    return PostForm(initial={"client_token": uuid.uuid4().hex})


def thread_context(request, thread: Assignment, *, form: PostForm | None = None) -> dict:
    """What templates/tasks/includes/thread.html needs for one thread."""
    return {
        "thread": thread,
        "posts": selectors.thread_posts(thread),
        "post_form": form or new_post_form(),
        "may_post": policy.may(request.user, policy.THREAD_POST, assignment=thread),
    }


def _own_assignment(request, thread: Assignment) -> Assignment | None:
    """The assignment of the viewer's unit on this task (the page to go back to), if any."""
    if not request.user.unit_id:
        return None
    return (
        selectors.assignments_visible_to(request.user)
        .filter(task_id=thread.task_id, unit_id=request.user.unit_id)
        .first()
    )


def _thread(request, pk: int) -> Assignment:
    return get_object_or_404(
        selectors.threads_visible_to(request.user).select_related("task__directive", "unit"),
        pk=pk,
    )


def _render(request, thread: Assignment, form: PostForm | None = None):
    context = thread_context(request, thread, form=form)
    if request.htmx:
        return render(request, "tasks/includes/thread.html", context)
    context["own_assignment"] = _own_assignment(request, thread)
    return render(request, "tasks/thread.html", context)


@login_required
@require_safe
def thread(request, pk: int):
    """The thread on its own page: what a notification of a new message links to, for the
    cooperating units too (the lead assignment's own page is not theirs to open)."""
    return _render(request, _thread(request, pk))


@policy.action_required(policy.THREAD_POST)
@require_POST
def thread_post(request, pk: int):
    thread = _thread(request, pk)
    form = PostForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_post_create(
                assignment=thread,
                actor=request.user,
                body=data["body"],
                files=data["files"],
                client_token=data["client_token"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            if request.htmx:
                return _render(request, thread)
            messages.success(request, _("The message was posted."))
            own = _own_assignment(request, thread)
            page = reverse("tasks:assignment_detail", args=[own.pk]) if own else None
            page = page or reverse("tasks:thread", args=[thread.pk])
            return redirect(f"{page}#thread-{thread.pk}")
    # The message as typed and each refusal beside its field; nothing was written.
    return _render(request, thread, form=form)
