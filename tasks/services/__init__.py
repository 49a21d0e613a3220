"""Every write to tasks and assignments. Split by entity; import from here."""

from tasks.services.plans import (  # noqa: F401
    AddressMode,
    assignment_create,
    period_bounds,
    task_create,
    task_update,
    units_for_address,
)
from tasks.services.status_hook import status_changed  # noqa: F401
from tasks.services.workflow import (  # noqa: F401
    assignment_cancel,
    assignment_confirm,
    assignment_resume,
    assignment_return,
    assignment_suspend,
    assignment_transfer,
    evidence_add,
    extension_approve,
    extension_refuse,
    extension_request,
    report_draft,
    report_submit,
    unit_transfer_open_assignments,
)
