"""Signals the tasks app sends; other apps listen (the read side's analytics tables), so that
nothing in tasks imports them."""

from django.dispatch import Signal

# Sent INSIDE a service's transaction with `assignment_ids`: these assignments' status may have
# changed (state, dates, deadline, extension, unit, periods, or they were created or deleted).
# Receivers defer their work to transaction.on_commit (a rolled-back action changes nothing).
assignment_status_changed = Signal()
