from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.roles import sees_whole_province
from organizations.models import OrgUnit, UnitImport, User


def units_visible_to(user: User) -> QuerySet[OrgUnit]:
    """The one answer to "which units may this user see": every unit for Home Affairs and
    leadership, otherwise the user's own unit and the units below it."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    if sees_whole_province(user):
        return OrgUnit.objects.all()
    if user.unit_id is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.descendants(user.unit_id, include_self=True)


def unit_list(user: User) -> QuerySet[OrgUnit]:
    return units_visible_to(user).select_related("parent").order_by("kind", "code")


def unit_detail(user: User) -> QuerySet[OrgUnit]:
    return (
        units_visible_to(user)
        .select_related("parent")
        .prefetch_related(
            Prefetch("successors", queryset=OrgUnit.objects.order_by("code")),
            Prefetch("predecessors", queryset=OrgUnit.objects.order_by("code")),
            Prefetch("children", queryset=OrgUnit.objects.order_by("code")),
            Prefetch(
                "users", queryset=User.objects.filter(is_active=True).order_by("role", "username")
            ),
        )
    )


def unit_imports_recent() -> QuerySet[UnitImport]:
    return UnitImport.objects.select_related("created_by").order_by("-created_at")
