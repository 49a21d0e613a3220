"""Demo completion snapshots: one a week over the past half year, each computed as of its own
day, so the trend chart has a line from the first day the demo plan is loaded. Idempotent: a
day that already has its province snapshot is left alone."""

from __future__ import annotations

import datetime

from django.utils import timezone

from reporting.analytics import status
from reporting.models import CompletionSnapshot, SnapshotScope
from reporting.snapshots import snapshots_compute

WEEKS = 26


def load() -> str:
    today = timezone.localdate()
    written = 0
    for back in range(WEEKS, -1, -1):
        day = today - datetime.timedelta(weeks=back)
        if CompletionSnapshot.objects.filter(scope=SnapshotScope.PROVINCE, day=day).exists():
            continue
        written += snapshots_compute(day=day)
    # The analytics tables (assignment status as data) from the demo plan just loaded.
    status.rebuild()
    return f"{written} completion snapshots written"
