from __future__ import annotations

from django.db.models import QuerySet

from directives.models import Directive
from organizations.models import User


def directives_visible_to(user: User) -> QuerySet[Directive]:
    """Directives are the province's published documents: every signed-in user reads them.
    Which of their tasks and progress a user sees is scoped by tasks.selectors."""
    if not user.is_authenticated:
        return Directive.objects.none()
    return Directive.objects.all()


def directive_list(user: User) -> QuerySet[Directive]:
    return (
        directives_visible_to(user)
        .select_related("issuer")
        .prefetch_related("areas")
        .order_by("-issue_date", "-serial", "-id")
    )


def directive_detail(user: User) -> QuerySet[Directive]:
    return (
        directives_visible_to(user)
        .select_related("issuer", "created_by")
        .prefetch_related("areas", "implements", "implemented_by")
    )
