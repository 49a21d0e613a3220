"""The read side's analytics tables (issue 17): assignment status kept as data.

- `status.py` writes them: the refresh of a few assignments (run on commit after a workflow
  service said `tasks.services.status_changed(ids)`), the catch-up (every minute: the new day,
  frozen period ends, any refresh that failed), the full rebuild and the check against the live
  derivation (tasks.status.with_status).
- `read.py` reads them for the dashboards, with the same figures and shapes as the live
  selectors (reporting.selectors), and says how fresh they are.
"""
