"""The drill-down links of the reporting rate: each number opens the list of exactly the reports
it counts (the list's total equals the number)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.drilldown import Figure, list_url

LIST_ROUTE = "periodic_reports:report_list"


def rate_figures(round_) -> dict:
    """expected / submitted / on time of a round, each a link to the list of exactly those."""
    base = [("round", round_.pk)]
    return {
        "expected": Figure(rows=round_.expected, url=list_url(LIST_ROUTE, base)),
        "submitted": Figure(
            rows=round_.submitted, url=list_url(LIST_ROUTE, [*base, ("submitted", "true")])
        ),
        "on_time": Figure(
            rows=round_.on_time, url=list_url(LIST_ROUTE, [*base, ("on_time", "true")])
        ),
        "rate": Figure(
            rows=round_.submitted,
            url=list_url(LIST_ROUTE, [*base, ("submitted", "true")]),
            rate=round(round_.submitted * 100 / round_.expected, 1) if round_.expected else None,
            denominator=round_.expected,
            denominator_label=_("units that must report"),
        ),
    }
