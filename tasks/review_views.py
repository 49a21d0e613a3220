"""Home Affairs' review queue ("Chờ xác nhận"): longest waiting and most overdue first, each row
with the report awaiting the decision and its evidence, the evidence shown inline beside the
list, and several rows confirmed or returned at once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.http import evidence_response
from tasks import policy, selectors, services
from tasks.filters import ReviewQueueFilter
from tasks.forms import ReturnForm
from tasks.status import BADGE


def _viewed_evidence(request):
    """The file opened beside the list (?xem=<evidence id>), within the user's scope."""
    raw = request.GET.get("xem", "")
    if not raw.isdigit():
        return None
    return (
        selectors.evidence_visible_to(request.user)
        .filter(pk=int(raw), report__isnull=False)
        .select_related(
            "report__assignment__task", "report__assignment__unit", "report__submitted_by"
        )
        .first()
    )


@policy.action_required(policy.REVIEW)
@require_safe
def review_queue(request):
    as_of = timezone.localdate()
    queue_filter = ReviewQueueFilter(request.GET, queryset=selectors.review_queue(as_of))
    page = Paginator(queue_filter.qs, 50).get_page(request.GET.get("page"))
    rows = list(page)
    reports = selectors.review_reports(rows)
    for row in rows:
        row.report = reports.get(row.report_id)
        row.days_waiting = (as_of - row.waiting_since).days if row.waiting_since else None
        row.target = f"{row.pk}:{row.waiting_period_id}" if row.waiting_period_id else str(row.pk)
    context = {
        "filter": queue_filter,
        "page": page,
        "rows": rows,
        "viewed": _viewed_evidence(request),
        "extensions": selectors.pending_extensions()[:100],
        "as_of": as_of,
        "badges": BADGE,
        # a return refused for a row's state keeps the reason the officer typed
        "return_form": ReturnForm(initial={"reason": request.session.pop("review_reason", "")}),
    }
    return render(request, "tasks/review_queue.html", context)


@policy.action_required(policy.REVIEW)
@require_POST
def review_decide(request):
    """Confirm or return the selected rows (checkboxes `row`), all or none; a return needs
    its reason. Back to the queue as it was filtered."""
    decision = request.POST.get("decision")
    try:
        targets = [services.ReviewTarget.parse(raw) for raw in request.POST.getlist("row")]
        if decision == "return":
            reviews = services.assignments_bulk_return(
                targets=targets, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s assignment was returned to its unit.",
                    "%(count)s assignments were returned to their units.",
                    len(reviews),
                )
                % {"count": len(reviews)},
            )
        elif decision == "confirm":
            reviews = services.assignments_bulk_confirm(targets=targets, actor=request.user)
            messages.success(
                request,
                ngettext(
                    "Completion of %(count)s assignment was confirmed.",
                    "Completion of %(count)s assignments was confirmed.",
                    len(reviews),
                )
                % {"count": len(reviews)},
            )
        else:
            raise ValidationError(_("Choose to confirm or to return."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if decision == "return" and request.POST.get("reason"):
            request.session["review_reason"] = request.POST["reason"][:2000]
    # Back to the queue with its filters (only a query string is taken from the form).
    back = request.POST.get("next", "")
    if not back.startswith("?") or any(ch in back for ch in "\r\n\\"):
        back = ""
    return redirect(reverse("tasks:review_queue") + back)


@login_required
@require_safe
def evidence_view(request, pk: int):
    """A report's or a message's file shown by the browser itself (a PDF in its viewer, a
    picture), framed by the portal's own pages only; other types download. Same scope as the
    download."""
    evidence = get_object_or_404(selectors.evidence_visible_to(request.user), pk=pk)
    return evidence_response(evidence, inline=True)
