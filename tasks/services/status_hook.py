"""The one call a service makes when it changed what an assignment's status is derived from."""

from __future__ import annotations

from collections.abc import Iterable

from tasks.signals import assignment_status_changed


def status_changed(assignment_ids: Iterable[int]) -> None:
    """Say, inside the service's transaction, that these assignments' status may have changed:
    a state, a date, a deadline or extension, the unit, the periods, a new or deleted
    assignment. The read side refreshes its analytics tables on commit (reporting.analytics);
    a rolled-back transaction refreshes nothing. Call it once per service with every id."""
    ids = sorted({int(pk) for pk in assignment_ids if pk})
    if ids:
        assignment_status_changed.send(sender=status_changed, assignment_ids=ids)
