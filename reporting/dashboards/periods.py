"""Reporting periods of the dashboards: a quarter, the first 6 or 9 months, or the year, in the
calendar convention or the administrative cut-off one (dossiers.metrics builds the months)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.metrics import Period, calendar_period, cutoff_period

PERIOD_CHOICES = [
    ("year", _("Year")),
    ("q1", _("Quarter I")),
    ("q2", _("Quarter II")),
    ("q3", _("Quarter III")),
    ("q4", _("Quarter IV")),
    ("h1", _("6 months")),
    ("m9", _("9 months")),
]
CONVENTION_CHOICES = [("calendar", _("Calendar")), ("cutoff", _("Cut-off (15th to 14th)"))]
# period -> (first month, last month)
MONTHS = {
    "year": (1, 12),
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
    "h1": (1, 6),
    "m9": (1, 9),
}


@dataclass(frozen=True)
class ReportPeriod:
    """One period of a plan year. Tasks count when their deadline falls within it (the whole
    year counts every task of the year's plan, with a deadline or not); statuses are read on
    `as_of`, the period's last day or today if the period is still running."""

    year: int
    kind: str
    convention: str
    start: datetime.date
    end: datetime.date

    @property
    def as_of(self) -> datetime.date:
        return min(self.end, timezone.localdate())

    @property
    def whole_year(self) -> bool:
        return self.kind == "year"

    @property
    def dossier_period(self) -> Period:
        return Period(self.start, self.end, str(self.label))

    @property
    def label(self) -> str:
        return f"{dict(PERIOD_CHOICES)[self.kind]} {self.year}"

    def previous(self) -> ReportPeriod:
        """The quarter before a quarter; the same period of the year before otherwise."""
        if self.kind in ("q2", "q3", "q4"):
            return report_period(self.year, f"q{int(self.kind[1]) - 1}", self.convention)
        if self.kind == "q1":
            return report_period(self.year - 1, "q4", self.convention)
        return report_period(self.year - 1, self.kind, self.convention)


def report_period(year: int, kind: str = "year", convention: str = "calendar") -> ReportPeriod:
    first, last = MONTHS[kind]
    if convention == "cutoff":
        start = cutoff_period(year, month=first).start
        end = cutoff_period(year, month=last).end
    else:
        start = calendar_period(year, month=first).start
        end = calendar_period(year, month=last).end
    return ReportPeriod(year, kind, convention, start, end)
