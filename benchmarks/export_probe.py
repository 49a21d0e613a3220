"""One Excel export of every assignment, in its own process so its peak memory is its own.

    python -m benchmarks.export_probe --mode portal   # the reporting export machinery
    python -m benchmarks.export_probe --mode floor    # xlsxwriter constant_memory, same rows

Prints one JSON line: seconds, rows, peak_mb (the process's peak resident size, Django included)
and base_mb (the resident size just before the export started). With --memory, also
traced_peak_mb: the export's OWN peak, Python's allocations traced (tracemalloc) from just
before its first row to its last, so Django, the imports and the runner are not in it. Tracing
slows the run: its seconds are not a timing.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.common import refuse_sqlite, setup_django


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def assignment_spec():
    """The portal's assignment export when one is registered, else the same kind of list built
    here from the tasks app's own selector (no assignment export is on main yet)."""
    from django.utils.translation import gettext_lazy as _

    from core.excel import Column
    from core.exports import ExportSpec, get_spec
    from tasks import selectors

    registered = get_spec("assignments")
    if registered is not None:
        return registered, "registered spec 'assignments'"
    columns = [
        Column("directive", _("Directive"), value=lambda a: a.task.directive.number, width=18),
        Column("item", _("Item"), value=lambda a: a.task.item_number, width=8),
        Column("task", _("Task"), value=lambda a: a.task.title, width=50),
        Column("unit", _("Unit"), value=lambda a: a.unit.name, width=30),
        Column("role", _("Role"), value=lambda a: a.get_role_display(), width=14),
        Column("deadline", _("Deadline"), kind="date", width=14),
        Column("eff_deadline", _("Effective deadline"), kind="date", width=14),
        Column("status", _("Status"), width=18),
        Column("progress_percent", _("Progress (%)"), kind="int", width=10),
        Column("completed_on", _("Completed on"), kind="date", width=14),
    ]

    def rows(user, params):
        return selectors.assignment_list(user)

    spec = ExportSpec(key="bench-assignments", title=_("Assignments"), columns=columns, rows=rows)
    return spec, "bench spec over tasks.selectors.assignment_list"


def run(mode: str, *, memory: bool = False) -> dict:
    from django.http import QueryDict

    from core.roles import Role
    from organizations.models import User
    from reporting import services

    spec, origin = assignment_spec()
    user = User.objects.filter(role=Role.HOME_AFFAIRS).order_by("pk").first()
    queryset = spec.rows(user, QueryDict())
    base = _rss_mb()
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        if mode == "portal":
            written = services._write_workbook(spec, queryset.iterator(chunk_size=2000), path)
        else:
            written = _xlsxwriter_floor(spec, queryset.iterator(chunk_size=2000), path)
        size = path.stat().st_size
    traced = {}
    if memory:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        traced = {"traced_peak_mb": peak / 1024 / 1024}
    return {
        **traced,
        "seconds": time.perf_counter() - started,
        "rows": written,
        "peak_mb": _rss_mb(),
        "base_mb": base,
        "file_kb": size // 1024,
        "spec": origin,
    }


def _xlsxwriter_floor(spec, rows, path: Path) -> int:
    import datetime

    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Sheet1")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for column, spec_column in enumerate(spec.columns):
        sheet.write_string(0, column, str(spec_column.label))
    written = 0
    for number, row in enumerate(rows, start=1):
        for column, spec_column in enumerate(spec.columns):
            value = spec_column.get(row)
            if isinstance(value, datetime.date):
                sheet.write_datetime(number, column, value, date_format)
            elif value is None:
                continue
            else:
                sheet.write(number, column, value if isinstance(value, int) else str(value))
        written += 1
    workbook.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["portal", "floor"], required=True)
    parser.add_argument("--memory", action="store_true", help="trace the export's own peak")
    args = parser.parse_args()
    setup_django()
    refuse_sqlite()
    sys.stdout.write(json.dumps(run(args.mode, memory=args.memory)) + "\n")


if __name__ == "__main__":  # pragma: no cover
    main()
