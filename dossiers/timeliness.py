"""Timeliness classes of a dossier, defined once: in Python and as a queryset annotation.

Finished: early (finished before the due date), on time (on the due date), late (after it).
Open: pending within the deadline (due date on or after the as-of day) or pending overdue.
Dates are Vietnam-time dates (Dossier.finished_date / due_date), so "finished on the due date at
23:00" is on time. Withdrawn and stopped dossiers have no class (they leave the statistics).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from dossiers.models import EXCLUDED_STATES, OPEN_STATES, Dossier


class Timeliness(models.TextChoices):
    EARLY = "early", _("Finished early")
    ON_TIME = "on_time", _("Finished on time")
    LATE = "late", _("Finished late")
    PENDING_WITHIN = "pending_within", _("Pending, within the deadline")
    PENDING_OVERDUE = "pending_overdue", _("Pending, overdue")


FINISHED_CLASSES = (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE)


def classify(
    *,
    due_date: datetime.date,
    finished_date: datetime.date | None,
    state: str,
    as_of: datetime.date,
) -> str | None:
    """The class of one dossier as of the end of the day `as_of`."""
    if state in EXCLUDED_STATES:
        return None
    if finished_date is not None and finished_date <= as_of:
        if finished_date < due_date:
            return Timeliness.EARLY
        if finished_date == due_date:
            return Timeliness.ON_TIME
        return Timeliness.LATE
    if finished_date is None and state not in OPEN_STATES:
        return None
    return Timeliness.PENDING_WITHIN if due_date >= as_of else Timeliness.PENDING_OVERDUE


def dossier_timeliness(dossier: Dossier, as_of: datetime.date) -> str | None:
    return classify(
        due_date=dossier.due_date,
        finished_date=dossier.finished_date,
        state=dossier.state,
        as_of=as_of,
    )


def timeliness_expression(as_of: datetime.date) -> Case:
    """The same rules as `classify`, for `.annotate(timeliness=timeliness_expression(day))`."""
    finished = Q(finished_date__isnull=False, finished_date__lte=as_of)
    pending = Q(finished_date__isnull=True, state__in=OPEN_STATES) | Q(finished_date__gt=as_of)
    return Case(
        When(state__in=EXCLUDED_STATES, then=Value(None)),
        When(finished & Q(finished_date__lt=models.F("due_date")), then=Value(Timeliness.EARLY)),
        When(finished & Q(finished_date=models.F("due_date")), then=Value(Timeliness.ON_TIME)),
        When(finished, then=Value(Timeliness.LATE)),
        When(pending & Q(due_date__gte=as_of), then=Value(Timeliness.PENDING_WITHIN)),
        When(pending, then=Value(Timeliness.PENDING_OVERDUE)),
        default=Value(None),
        output_field=models.CharField(),
    )


def late_filter(as_of: datetime.date) -> Q:
    """Dossiers late as of `as_of`: finished late, or still open past their due date.

    overdue_date is set exactly for dossiers not finished by their due date (the day after
    it), so "late by the end of as_of" is one indexed comparison.
    """
    return Q(overdue_date__lte=as_of)
