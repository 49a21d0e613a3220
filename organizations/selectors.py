from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

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


# --- Units over time -------------------------------------------------------------------------
# OrgUnit rows are time-versioned (valid_from / valid_to, both inclusive, blank = open). Every
# picker and every service that ties a unit to a date asks these, so a unit abolished on
# 30/06/2025 is neither offered for nor accepted on a 2026 plan, and all of them agree.


def valid_during_q(start: datetime.date, end: datetime.date, prefix: str = "") -> Q:
    """Units that existed on at least one day of [start, end]."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start})
    )


def units_valid_on(day: datetime.date, units: QuerySet[OrgUnit] | None = None) -> QuerySet[OrgUnit]:
    """The units (of `units`, else all) that existed on `day`."""
    return units_valid_during(day, day, units)


def units_valid_during(
    start: datetime.date, end: datetime.date, units: QuerySet[OrgUnit] | None = None
) -> QuerySet[OrgUnit]:
    """The units (of `units`, else all) that existed on at least one day of [start, end]."""
    units = OrgUnit.objects.all() if units is None else units
    return units.filter(valid_during_q(start, end))


def unit_existed_during(unit: OrgUnit, start: datetime.date, end: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or start <= unit.valid_to
    )


def _day(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def unit_lifespan(unit: OrgUnit) -> str:
    """'from 01/07/2025', 'until 30/06/2025' or 'from 01/01/2010 to 30/06/2025', translated."""
    if unit.valid_from and unit.valid_to:
        return _("from %(start)s to %(end)s") % {
            "start": _day(unit.valid_from),
            "end": _day(unit.valid_to),
        }
    if unit.valid_from:
        return _("from %(start)s") % {"start": _day(unit.valid_from)}
    if unit.valid_to:
        return _("until %(end)s") % {"end": _day(unit.valid_to)}
    return ""


def unit_not_existing_message(unit: OrgUnit, consequence: str) -> str:
    """The refusal every service gives for a unit outside its dates: the unit, the dates it
    existed and what cannot be done ("... ; cannot be assigned a task of a plan issued on ...")."""
    return _("%(unit)s only existed %(span)s; %(consequence)s.") % {
        "unit": unit.name,
        "span": unit_lifespan(unit),
        "consequence": consequence,
    }


def unit_choice_label(unit: OrgUnit, today: datetime.date | None = None) -> str:
    """A unit as a picker shows it: an abolished unit (shown for history) is marked."""
    today = today or timezone.localdate()
    if unit.valid_to is not None and unit.valid_to < today:
        return _("%(unit)s (abolished %(day)s)") % {"unit": unit.name, "day": _day(unit.valid_to)}
    return unit.name
