"""Drill-down figures of the dossier statistics: each figure of a report line (DossierFigures)
with the link to the dossier list selecting exactly the dossiers it counts.

The rollup counts a dossier on the day of each event (metrics.py), so the list selects by the
same dates: received in the period (received_from/to), finished in it (finished_from/to),
pending on its last day (timeliness read on that day: as_of, received by then), carried over
(pending the day before it starts), went overdue in it (overdue_from/to). The scope (level,
unit kind, unit, field) goes along, so the list applies, shows and keeps every filter."""

from __future__ import annotations

import datetime
import functools
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.drilldown import Figure, Params, list_url
from dossiers.metrics import DossierFigures, Period
from dossiers.models import Channel
from dossiers.timeliness import Timeliness

ROUTE = "dossiers:dossier_list"
FINISHED = (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE)
PENDING = (Timeliness.PENDING_WITHIN, Timeliness.PENDING_OVERDUE)
# The counts of a report line that link the list, in figure_links' order.
COUNTS = (
    "received_new",
    "received_online",
    "received_offline",
    "carried_over",
    "finished",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "pending_within",
    "pending_overdue",
    "paid_online",
)


Parts = tuple[tuple[str, object], ...]


@functools.lru_cache(maxsize=1024)
def _encoded(params: Parts) -> str:
    """urlencode of a link's fixed part (the period's window, a timeliness class), once per
    page: a dashboard of 150 lines asks for the same dozen parts ~2,000 times."""
    return urlencode([(name, value) for name, value in params if value not in (None, "")])


def _classes(*classes: str) -> Parts:
    return tuple(("timeliness", c) for c in classes)


class _Windows:
    """The parameters before and after the scope of each kind of link of one period seen on
    one day: (window, extra) pairs; DossierLinks puts the scope between them."""

    def __init__(self, start: datetime.date, end: datetime.date, today: datetime.date):
        self.start, self.end, self.today = start, end, today
        self.stock_day = min(end, today)

    def _as_of(self, day: datetime.date) -> Parts:
        # Today is the list's default: a link names only an earlier day.
        return (("as_of", day),) if day < self.today else ()

    def received(self, *extra: tuple[str, object]) -> tuple[Parts, Parts]:
        # withdrawn and stopped dossiers leave the statistics (the other links' timeliness
        # classes leave them out already)
        window = (("received_from", self.start), ("received_to", self.end))
        return window, (*extra, ("counted", "true"))

    def finished(self, *classes: str) -> tuple[Parts, Parts]:
        return (("finished_from", self.start), ("finished_to", self.end)), _classes(*classes)

    def pending(self, *classes: str) -> tuple[Parts, Parts]:
        day = self.stock_day
        return (("received_to", day), *self._as_of(day)), _classes(*classes)

    def carried_over(self) -> tuple[Parts, Parts]:
        day = self.start - datetime.timedelta(days=1)
        return (("received_to", day), *self._as_of(day)), _classes(*PENDING)

    def late_without_apology(self) -> tuple[Parts, Parts]:
        window = (("overdue_from", self.start), ("overdue_to", self.stock_day))
        return window, (("late_without_apology", "true"),)


ONLINE = (("channel", Channel.ONLINE),)
OFFLINE = (("channel", Channel.IN_PERSON), ("channel", Channel.POSTAL))


@functools.lru_cache(maxsize=64)
def _line_parts(
    start: datetime.date, end: datetime.date, today: datetime.date
) -> dict[str, tuple[str, str]]:
    """name -> (encoded window, encoded extra) of every figure figure_links links, for one
    period on one day: worked out once, whatever the number of lines."""
    w = _Windows(start, end, today)
    parts = {
        "received_new": w.received(),
        "received_online": w.received(*ONLINE),
        "received_offline": w.received(*OFFLINE),
        "carried_over": w.carried_over(),
        "finished": w.finished(*FINISHED),
        "finished_early": w.finished(Timeliness.EARLY),
        "finished_on_time": w.finished(Timeliness.ON_TIME),
        "finished_late": w.finished(Timeliness.LATE),
        "pending_within": w.pending(Timeliness.PENDING_WITHIN),
        "pending_overdue": w.pending(Timeliness.PENDING_OVERDUE),
        "paid_online": w.received(("paid_online", "true")),
        "on_time_rate": w.finished(Timeliness.EARLY, Timeliness.ON_TIME),
    }
    return {name: (_encoded(head), _encoded(tail)) for name, (head, tail) in parts.items()}


class DossierLinks:
    """The links of one period and scope; `scope` holds the list's filter parameters (level,
    unit_kind, unit, unit_tree, field) in the order they should appear.

    A link is core.drilldown.list_url(ROUTE, [*window, *scope, *extra]) to the character; it
    is built from three encoded parts instead: the window and the extra parameters encoded
    once per page (`_encoded`, `_line_parts`), the scope once per line (here)."""

    def __init__(self, period: Period, scope: Params = ()):
        self.period = period
        self.scope = [(name, value) for name, value in scope if value not in (None, "")]
        today = timezone.localdate()
        self._windows = _Windows(period.start, period.end, today)
        self.stock_day = self._windows.stock_day
        self.today = today
        self._path = list_url(ROUTE, ())  # the list's path (reversed once per process)
        self._scope = urlencode(self.scope)

    def _join(self, head: str, tail: str) -> str:
        query = "&".join(part for part in (head, self._scope, tail) if part)
        return f"{self._path}?{query}" if query else self._path

    def _url(self, parts: tuple[Parts, Parts]) -> str:
        return self._join(_encoded(parts[0]), _encoded(parts[1]))

    def line_urls(self) -> dict[str, str]:
        """name -> link of every figure of a report line (figure_links' names)."""
        parts = _line_parts(self.period.start, self.period.end, self.today)
        return {name: self._join(head, tail) for name, (head, tail) in parts.items()}

    def received(self, *extra: tuple[str, object]) -> str:
        return self._url(self._windows.received(*extra))

    def finished(self, *classes: str) -> str:
        return self._url(self._windows.finished(*classes))

    def pending(self, *classes: str) -> str:
        return self._url(self._windows.pending(*classes))

    def carried_over(self) -> str:
        return self._url(self._windows.carried_over())

    def late_without_apology(self) -> str:
        return self._url(self._windows.late_without_apology())


@functools.lru_cache(maxsize=16)
def _denominator_labels(language: str | None) -> tuple[str, str, str, str]:
    # the rates' denominators, translated once per language (a line has four rates)
    return (
        _("finished dossiers"),
        _("dossiers received"),
        _("dossiers with a fee"),
        _("dossiers received (incl. carried over)"),
    )


def figure_links(
    single: DossierFigures, aggregate: DossierFigures | None, links: DossierLinks
) -> dict[str, Figure]:
    """name -> Figure for every count and rate of a report line. `single` are the dossiers
    the list can show; `aggregate` the part from aggregate report lines (no rows)."""
    agg = aggregate or DossierFigures()
    urls = links.line_urls()
    figures = {
        name: Figure(rows=getattr(single, name), url=urls[name], aggregate=getattr(agg, name))
        for name in COUNTS
    }
    finished_label, received_label, fee_label, progress_label = _denominator_labels(get_language())
    whole = single + agg
    figures["on_time_rate"] = Figure(
        rows=single.finished_early + single.finished_on_time,
        url=urls["on_time_rate"],
        rate=whole.on_time_rate,
        denominator=single.finished,
        digits=2,
        denominator_label=finished_label,
        aggregate=agg.finished_early + agg.finished_on_time,
        denominator_aggregate=agg.finished,
    )
    figures["online_rate"] = Figure(
        rows=single.received_online,
        url=urls["received_online"],
        rate=whole.online_rate,
        denominator=single.received_new,
        digits=2,
        denominator_label=received_label,
        aggregate=agg.received_online,
        denominator_aggregate=agg.received_new,
    )
    figures["online_payment_rate"] = Figure(
        rows=single.paid_online,
        url=urls["paid_online"],
        rate=whole.online_payment_rate,
        denominator=single.fee_required,
        digits=2,
        denominator_label=fee_label,
        aggregate=agg.paid_online,
        denominator_aggregate=agg.fee_required,
    )
    figures["progress_rate"] = Figure(
        rows=single.finished_early + single.finished_on_time + single.pending_within,
        url="",  # a sum over three event dates: no single list selects it
        rate=whole.progress_rate,
        denominator=single.received,
        digits=2,
        denominator_label=progress_label,
        aggregate=agg.finished_early + agg.finished_on_time + agg.pending_within,
        denominator_aggregate=agg.received,
    )
    return figures
