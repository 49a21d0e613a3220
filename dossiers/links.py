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
from django.utils.translation import gettext as _

from core.drilldown import Figure, Params, list_url
from dossiers.metrics import DossierFigures, Period
from dossiers.models import Channel
from dossiers.timeliness import Timeliness

ROUTE = "dossiers:dossier_list"
FINISHED = (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE)
PENDING = (Timeliness.PENDING_WITHIN, Timeliness.PENDING_OVERDUE)


@functools.lru_cache(maxsize=1024)
def _encoded(params: tuple[tuple[str, object], ...]) -> str:
    """urlencode of a link's fixed part (the period's window, a timeliness class), once per
    page: a dashboard of 150 lines asks for the same dozen parts ~2,000 times."""
    return urlencode([(name, value) for name, value in params if value not in (None, "")])


class DossierLinks:
    """The links of one period and scope; `scope` holds the list's filter parameters (level,
    unit_kind, unit, unit_tree, field) in the order they should appear.

    A link is core.drilldown.list_url(ROUTE, [*window, *scope, *extra]) to the character; it
    is built from three encoded parts instead: the window and the extra parameters encoded
    once per page (`_encoded`), the scope once per line (here)."""

    def __init__(self, period: Period, scope: Params = ()):
        self.period = period
        self.scope = [(name, value) for name, value in scope if value not in (None, "")]
        today = timezone.localdate()
        self.stock_day = min(period.end, today)
        self.today = today
        self._path = list_url(ROUTE, ())  # the list's path (reversed once per process)
        self._scope = urlencode(self.scope)

    def _as_of(self, day: datetime.date) -> tuple[tuple[str, object], ...]:
        # Today is the list's default: a link names only an earlier day.
        return (("as_of", day),) if day < self.today else ()

    def _url(self, head: tuple, tail: tuple = ()) -> str:
        query = "&".join(part for part in (_encoded(head), self._scope, _encoded(tail)) if part)
        return f"{self._path}?{query}" if query else self._path

    def received(self, *extra: tuple[str, object]) -> str:
        # withdrawn and stopped dossiers leave the statistics (the other links' timeliness
        # classes leave them out already)
        window = (("received_from", self.period.start), ("received_to", self.period.end))
        return self._url(window, (*extra, ("counted", "true")))

    def finished(self, *classes: str) -> str:
        window = (("finished_from", self.period.start), ("finished_to", self.period.end))
        return self._url(window, tuple(("timeliness", c) for c in classes))

    def pending(self, *classes: str) -> str:
        day = self.stock_day
        return self._url(
            (("received_to", day), *self._as_of(day)), tuple(("timeliness", c) for c in classes)
        )

    def carried_over(self) -> str:
        day = self.period.start - datetime.timedelta(days=1)
        return self._url(
            (("received_to", day), *self._as_of(day)), tuple(("timeliness", c) for c in PENDING)
        )

    def late_without_apology(self) -> str:
        window = (("overdue_from", self.period.start), ("overdue_to", self.stock_day))
        return self._url(window, (("late_without_apology", "true"),))


def figure_links(
    single: DossierFigures, aggregate: DossierFigures | None, links: DossierLinks
) -> dict[str, Figure]:
    """name -> Figure for every count and rate of a report line. `single` are the dossiers
    the list can show; `aggregate` the part from aggregate report lines (no rows)."""
    agg = aggregate or DossierFigures()
    online = [("channel", Channel.ONLINE)]
    offline = [("channel", Channel.IN_PERSON), ("channel", Channel.POSTAL)]

    def count(name: str, url: str) -> Figure:
        return Figure(rows=getattr(single, name), url=url, aggregate=getattr(agg, name))

    figures = {
        "received_new": count("received_new", links.received()),
        "received_online": count("received_online", links.received(*online)),
        "received_offline": count("received_offline", links.received(*offline)),
        "carried_over": count("carried_over", links.carried_over()),
        "finished": count("finished", links.finished(*FINISHED)),
        "finished_early": count("finished_early", links.finished(Timeliness.EARLY)),
        "finished_on_time": count("finished_on_time", links.finished(Timeliness.ON_TIME)),
        "finished_late": count("finished_late", links.finished(Timeliness.LATE)),
        "pending_within": count("pending_within", links.pending(Timeliness.PENDING_WITHIN)),
        "pending_overdue": count("pending_overdue", links.pending(Timeliness.PENDING_OVERDUE)),
        "paid_online": count("paid_online", links.received(("paid_online", "true"))),
    }
    whole = single + agg
    figures["on_time_rate"] = Figure(
        rows=single.finished_early + single.finished_on_time,
        url=links.finished(Timeliness.EARLY, Timeliness.ON_TIME),
        rate=whole.on_time_rate,
        denominator=single.finished,
        digits=2,
        denominator_label=_("finished dossiers"),
        aggregate=agg.finished_early + agg.finished_on_time,
        denominator_aggregate=agg.finished,
    )
    figures["online_rate"] = Figure(
        rows=single.received_online,
        url=links.received(*online),
        rate=whole.online_rate,
        denominator=single.received_new,
        digits=2,
        denominator_label=_("dossiers received"),
        aggregate=agg.received_online,
        denominator_aggregate=agg.received_new,
    )
    figures["online_payment_rate"] = Figure(
        rows=single.paid_online,
        url=links.received(("paid_online", "true")),
        rate=whole.online_payment_rate,
        denominator=single.fee_required,
        digits=2,
        denominator_label=_("dossiers with a fee"),
        aggregate=agg.paid_online,
        denominator_aggregate=agg.fee_required,
    )
    figures["progress_rate"] = Figure(
        rows=single.finished_early + single.finished_on_time + single.pending_within,
        url="",  # a sum over three event dates: no single list selects it
        rate=whole.progress_rate,
        denominator=single.received,
        digits=2,
        denominator_label=_("dossiers received (incl. carried over)"),
        aggregate=agg.finished_early + agg.finished_on_time + agg.pending_within,
        denominator_aggregate=agg.received,
    )
    return figures
