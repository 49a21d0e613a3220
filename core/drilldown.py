"""Drill-down links of the dashboards: every figure a person reads is a link to the list of
the rows it counts, carrying every filter the figure used (UX.md, "The drill-down contract").

A `Figure` is what a template renders through includes/figure.html: the number of rows the
link lists (`rows`, also written as data-figure on the link, so tests read the exact figure
shown), the text shown (the number itself, or a rate whose numerator the link lists) and the
rate's denominator named in the link's title."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

Params = Iterable[tuple[str, object]]


def list_url(route: str, params: Params) -> str:
    """The list's URL with the parameters in order; empty values are left out, a name may
    repeat (several values of one filter select their union)."""
    clean = [(name, value) for name, value in params if value not in (None, "")]
    path = _route_path(route, get_script_prefix(), get_language(), get_urlconf())
    return f"{path}?{urlencode(clean)}" if clean else path


@functools.lru_cache(maxsize=256)
def _route_path(route: str, prefix: str, language: str | None, urlconf) -> str:
    """reverse(route) of a route without arguments, once per prefix, language and URLconf: a
    dashboard builds hundreds of drill-down links to the same few lists."""
    return reverse(route)


@dataclass(frozen=True)
class Figure:
    rows: int
    url: str = ""
    # A rate: the text shown is the rate, the link lists its numerator (`rows`).
    rate: float | None = None
    denominator: int | None = None
    denominator_label: str = ""  # what the denominator counts: "finished dossiers"
    digits: int = -1  # the rate's decimals, as floatformat takes them
    # Counted from aggregate report lines (units that report totals only): part of the
    # figure, but with no row to list; shown beside the link.
    aggregate: int = 0
    denominator_aggregate: int = 0

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def title(self) -> str:
        """A rate's numerator and denominator, the denominator named (the link's title)."""
        if not self.is_rate:
            return ""
        numerator = number_format(self.rows + self.aggregate, force_grouping=True)
        whole = number_format(self.denominator + self.denominator_aggregate, force_grouping=True)
        text = f"{numerator} / {whole} {self.denominator_label}"
        if self.aggregate or self.denominator_aggregate:
            text += " " + _("(including aggregate report lines, which have no rows to list)")
        return text.strip()
