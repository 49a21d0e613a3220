"""The leadership and unit dashboards: a filter form, reporting periods, and panels (small
classes with a template and a cache key) whose figures come from SQL aggregates."""
