"""Official reports in the layout of Vietnamese administrative reports (Decree 30/2020): each
module builds one workbook from the same selectors and metrics the dashboards use.

A report is a `Report`: its parameter form, who may run it, and `build(user, data)` returning
the file's bytes and name. The "Báo cáo" page lists the reports a user may run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    description: str
    form: type[forms.Form]
    build: Callable[[Any, dict], tuple[bytes, str]]
    allowed: Callable[[Any], bool]


def all_reports() -> list[Report]:
    from reporting.reports import dossier_statistics, task_implementation, unit_ranking

    return [task_implementation.REPORT, unit_ranking.REPORT, dossier_statistics.REPORT]


def reports_for(user) -> list[Report]:
    return [report for report in all_reports() if report.allowed(user)]


def get_report(user, key: str) -> Report | None:
    return next((report for report in reports_for(user) if report.key == key), None)
