"""Every write to tasks and assignments. Split by entity; import from here."""

from tasks.services.changes import (  # noqa: F401
    task_cancel,
    task_edit,
    task_resume,
    task_suspend,
    tasks_bulk_cancel,
    tasks_bulk_change_lead,
    tasks_bulk_shift_deadline,
)
from tasks.services.plans import (  # noqa: F401
    AddressMode,
    assignment_create,
    period_bounds,
    task_create,
    task_update,
    units_for_address,
)
from tasks.services.reviews import (  # noqa: F401
    ReviewTarget,
    assignments_bulk_confirm,
    assignments_bulk_return,
)
from tasks.services.status_hook import status_changed  # noqa: F401
from tasks.services.threads import assignment_post_create  # noqa: F401
from tasks.services.workflow import (  # noqa: F401
    assignment_cancel,
    assignment_confirm,
    assignment_resume,
    assignment_return,
    assignment_suspend,
    assignment_transfer,
    evidence_add,
    extension_approve,
    extension_decide,
    extension_refuse,
    extension_request,
    report_draft,
    report_file,
    report_submit,
    review_decide,
    unit_transfer_open_assignments,
)
