"""Reads of periodic reports. `reports_visible_to` is the one scoping selector: Home Affairs
and leadership see every report (the province's too), a unit's head and staff their own unit's
and the submitted ones of the units below it; another unit's report is a 404."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from core.roles import Role, has_role, sees_whole_province
from organizations.models import OrgUnit
from periodic_reports.models import (
    PeriodicReport,
    ReportKind,
    ReportPdf,
    ReportRound,
    ReportState,
    ReportVersion,
)

SUBMITTED_STATES = (ReportState.SUBMITTED, ReportState.CONFIRMED)
OPEN_STATES = (ReportState.NOT_STARTED, ReportState.DRAFT, ReportState.RETURNED)


def reports_visible_to(user) -> QuerySet[PeriodicReport]:
    reports = PeriodicReport.objects.select_related("round__kind", "unit__parent")
    if not user.is_authenticated:
        return reports.none()
    if sees_whole_province(user):
        return reports
    if has_role(user, Role.UNIT_HEAD, Role.UNIT_STAFF) and user.unit_id:
        # the parent-unit scope of docs/domain.md: the own unit's reports, and the submitted
        # (or confirmed) reports of the units below it, read only; never a sub-unit's draft
        below = OrgUnit.objects.descendants(user.unit_id).values("pk")
        return reports.filter(
            Q(unit_id=user.unit_id) | Q(unit_id__in=below, state__in=SUBMITTED_STATES)
        )
    return reports.none()


def rounds_visible_to(user) -> QuerySet[ReportRound]:
    rounds = ReportRound.objects.select_related("kind")
    if not user.is_authenticated:
        return rounds.none()
    return rounds


def report_kinds() -> QuerySet[ReportKind]:
    return ReportKind.objects.order_by("order", "code")


def due_reports_for(user) -> QuerySet[PeriodicReport]:
    """The unit's reports still to send, soonest due first (the unit's start pages)."""
    if not has_role(user, Role.UNIT_HEAD, Role.UNIT_STAFF) or not user.unit_id:
        return PeriodicReport.objects.none()
    return (
        reports_visible_to(user)
        .filter(state__in=OPEN_STATES)
        .order_by("round__unit_due_date", "pk")
    )


def with_rate_counts(rounds: QuerySet[ReportRound]) -> QuerySet[ReportRound]:
    """expected (units' reports), submitted (sent, confirmed or not) and on_time (sent by the
    units' due date), counted in SQL per round."""
    units = Q(reports__unit__isnull=False)
    submitted = units & Q(reports__submitted_at__isnull=False)
    return rounds.annotate(
        expected=Count("reports", filter=units),
        submitted=Count("reports", filter=submitted),
        on_time=Count(
            "reports", filter=submitted & Q(reports__submitted_on__lte=F("unit_due_date"))
        ),
    )


def round_list(user) -> QuerySet[ReportRound]:
    return with_rate_counts(rounds_visible_to(user)).order_by("-year", "-end", "-pk")


def latest_round(year: int | None = None) -> ReportRound | None:
    """The latest round (of a year), with its reporting-rate counts."""
    rounds = ReportRound.objects.select_related("kind")
    if year is not None:
        rounds = rounds.filter(year=year)
    return with_rate_counts(rounds).order_by("-end", "-pk").first()


def round_reports(user, round_: ReportRound) -> QuerySet[PeriodicReport]:
    return (
        reports_visible_to(user)
        .filter(round=round_)
        .order_by(F("unit__code").asc(nulls_first=True))
    )


def versions_of(report: PeriodicReport) -> QuerySet[ReportVersion]:
    return report.versions.select_related("created_by").order_by("-number")


def latest_version(report: PeriodicReport) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def pdfs_of(version: ReportVersion) -> QuerySet[ReportPdf]:
    return version.pdfs.order_by("-created_at")


def today():
    return timezone.localdate()
