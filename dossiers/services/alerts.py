"""Alerts: the dossiers to notify about, each claimed once by a conditional update."""

from __future__ import annotations

import datetime

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from core import workdays
from dossiers.models import OPEN_STATES, Dossier


def dossiers_claim_overdue_alerts(*, as_of: datetime.date | None = None) -> list[Dossier]:
    """Open dossiers past their due date not yet alerted; each is claimed exactly once.

    The claim is a conditional update (only rows whose overdue_alerted_at is still empty), so
    two concurrent runs never both alert the same dossier.
    """
    today = as_of or timezone.localdate()
    return _claim(
        Q(finished_date__isnull=True, state__in=OPEN_STATES, due_date__lt=today),
        "overdue_alerted_at",
    )


def dossiers_claim_apology_alerts(*, as_of: datetime.date | None = None) -> list[Dossier]:
    """Late dossiers still without an apology one working day after they became late."""
    today = as_of or timezone.localdate()
    # Late from the day after the due date; the apology is owed one working day later.
    limit = _previous_working_day(today)
    late = Q(finished_date__isnull=True, state__in=OPEN_STATES) | Q(
        finished_date__gt=models.F("due_date")
    )
    return _claim(
        late & Q(due_date__lt=limit, apology_registered_at__isnull=True),
        "apology_alerted_at",
    )


def _previous_working_day(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while not workdays.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


ALERT_BATCH = 5000


def _claim(condition: Q, column: str) -> list[Dossier]:
    claimed: list[Dossier] = []
    now = timezone.now()
    candidates = list(
        Dossier.objects.filter(condition, **{f"{column}__isnull": True})
        .order_by("id")
        .values_list("id", flat=True)[:ALERT_BATCH]
    )
    for start in range(0, len(candidates), 500):
        ids = candidates[start : start + 500]
        with transaction.atomic():
            # Only rows still unclaimed are taken; a concurrent run gets the others.
            won = list(
                Dossier.objects.select_for_update(skip_locked=True)
                .filter(id__in=ids, **{f"{column}__isnull": True})
                .values_list("id", flat=True)
            )
            Dossier.objects.filter(id__in=won, **{f"{column}__isnull": True}).update(
                **{column: now}
            )
        claimed.extend(Dossier.objects.filter(id__in=won).select_related("unit", "procedure"))
    return claimed
