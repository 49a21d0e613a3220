"""Reads of the accounts pages (Home Affairs only: they see every account)."""

from __future__ import annotations

from django.db.models import QuerySet

from organizations.models import User


def user_list() -> QuerySet[User]:
    return User.objects.select_related("unit").order_by("username")


def users_pending() -> QuerySet[User]:
    """People whose first single sign-on made their account, waiting for a role and a unit."""
    return (
        User.objects.filter(is_active=True, role="", is_superuser=False)
        .select_related("unit")
        .order_by("date_joined", "pk")
    )


def drafts_of(user: User):
    """The person's progress-report drafts not yet submitted (what deactivation hands over)."""
    from tasks.models import ProgressReport, ReportState

    return ProgressReport.objects.filter(author=user, state=ReportState.DRAFT).select_related(
        "assignment__task"
    )
