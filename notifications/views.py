from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from notifications import policy, selectors, services
from notifications.filters import NotificationFilter
from notifications.forms import NotificationPreferenceForm

PAGE_SIZE = 30


@login_required
@require_safe
def notification_bell(request):
    """The bell in the navigation bar; htmx loads it once after each page, so pages pay no
    query for it, and again when a notification is marked read on the page. It does not poll:
    a poll would keep an idle session alive for ever."""
    return render(
        request,
        "notifications/includes/bell.html",
        {"unread": selectors.unread_count(request.user)},
    )


@login_required
@require_safe
def notification_list(request):
    notification_filter = NotificationFilter(
        request.GET, queryset=selectors.notifications_for(request.user)
    )
    page = Paginator(notification_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "notifications/includes/notification_table.html"
        if request.htmx
        else "notifications/notification_list.html"
    )
    return render(request, template, {"page": page, "filter": notification_filter})


@policy.action_required(policy.NOTIFICATION_READ)
@require_POST
def notification_mark_read(request, pk: int):
    """Mark one notification read; with `open` set, go on to the page it is about."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.notification_mark_read(notification=notification, actor=request.user)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.link)
    if request.htmx:
        response = render(
            request, "notifications/includes/notification_row.html", {"item": notification}
        )
        # The bell listens for this event and reloads its count.
        response["HX-Trigger"] = "notifications-changed"
        return response
    return redirect("notifications:list")


@policy.action_required(policy.NOTIFICATIONS_READ_ALL)
@require_POST
def notification_mark_all_read(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:list")


@policy.action_required(policy.PREFERENCES_EDIT)
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    preference = selectors.preference_for(request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.notification_preference_update(
            user=request.user,
            daily_digest=form.cleaned_data["daily_digest"],
            immediate_overdue=form.cleaned_data["immediate_overdue"],
            immediate_workflow=form.cleaned_data["immediate_workflow"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/notification_preferences.html", {"form": form})
