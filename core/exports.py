"""The registry of exportable lists. Each app declares its lists in `<app>/exports.py`:

    register(ExportSpec(key="units", title=..., columns=UNIT_COLUMNS, rows=unit_rows_for_export))

`rows(user, params)` returns the scoped, filtered queryset: the same scoping selector and the same
FilterSet as the HTML list, so an export holds exactly the rows the screen shows.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.module_loading import autodiscover_modules

from core.excel import Column, csv_cell


@dataclass(frozen=True)
class ExportSpec:
    key: str
    title: str
    columns: list[Column]
    rows: Callable[[Any, QueryDict], Any]
    file_stem: str = "xuat-du-lieu"
    csv: bool = False  # also offered as CSV (streamed, for lists past what a sheet holds)


_REGISTRY: dict[str, ExportSpec] = {}
_discovered = False


def register(spec: ExportSpec) -> ExportSpec:
    _REGISTRY[spec.key] = spec
    return spec


def get_spec(key: str) -> ExportSpec | None:
    global _discovered
    if not _discovered:
        autodiscover_modules("exports")
        _discovered = True
    return _REGISTRY.get(key)


def csv_safe(value: Any) -> str:
    """One CSV cell: dates the Vietnamese way, and text that a spreadsheet would read as a
    formula (= + - @ first) prefixed with ' so it stays text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int | float):
        return str(value)
    return csv_cell(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    """The CSV file line by line (a BOM first so Excel reads UTF-8), for a streaming response.
    The lines are produced after the view returned, so the request's language is kept here."""
    from django.utils import translation

    language = translation.get_language()

    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        with translation.override(language):
            yield "\ufeff" + writer.writerow([csv_safe(str(column.label)) for column in columns])
            for row in rows:
                yield writer.writerow([csv_safe(column.get(row)) for column in columns])

    return lines()


# --- The operations page (core's own list) --------------------------------------------------


def _job_run_rows(user, params):
    from core.filters import JobRunFilter
    from core.models import JobRun
    from core.roles import Role, has_role

    if not has_role(user, Role.HOME_AFFAIRS):
        return JobRun.objects.none()
    return JobRunFilter(params, queryset=JobRun.objects.order_by("-started_at", "-pk")).qs


def _job_run_columns() -> list[Column]:
    from django.utils.translation import gettext_lazy as _

    return [
        Column("job", _("Job"), width=40),
        Column("run_key", _("Run key"), width=30),
        Column("started_at", _("Started"), kind="datetime", width=17),
        Column("finished_at", _("Finished"), kind="datetime", width=17),
        Column("rows", _("Rows"), kind="int", width=10),
        Column("outcome", _("Outcome"), value=lambda run: run.get_outcome_display(), width=14),
        Column("error", _("Error"), width=60),
    ]


def _register_core_lists() -> None:
    from django.utils.translation import gettext_lazy as _

    register(
        ExportSpec(
            key="job-runs",
            title=_("Background jobs"),
            columns=_job_run_columns(),
            rows=_job_run_rows,
            file_stem="tac-vu-nen",
        )
    )


_register_core_lists()
