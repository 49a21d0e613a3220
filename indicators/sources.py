"""Registry of portal figures a computed criterion can be scored from.

A source is a callable `(unit, year) -> (value_percent, figures)`: the percentage the band table
is applied to, and the raw figures (numbers and ISO dates, keyed) stored on the score line. The
source labels those figures (`Figure`), so the sheet shows "Đã hoàn thành: 28; tổng số: 40",
never the keys. Apps that own the data register their sources at start-up (in their
AppConfig.ready), so indicators never imports tasks or dossiers:

    from indicators.sources import Figure, register_source
    register_source(
        "task_completion", _("Task completion rate"), task_completion_for_unit,
        figures=[Figure("done", _("completed")), Figure("total", _("due"))],
    )

A source returns None as the value when it has no data for the unit and year; the line is then
left unscored and its figures say why.

A second registry holds the figures a KPI target can be computed from (KpiSource). Those are
read for many units at once, over any date range (a quarter, 6 or 9 months, a year), so their
callable is `(unit_ids, start, end) -> {unit id: (part, whole)}`: the share's two counts per
unit, from one grouped query. A unit absent from the answer, or with a whole of 0, had nothing
to measure in the range. `figures` words the counts for the measurement's note:

    register_kpi_source(
        "dossiers_online", _("Dossiers received online"),
        _("%(part)s/%(whole)s dossiers received online"), online_shares,
    )
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SourceResult = tuple[Decimal | None, dict[str, Any]]
SourceFunction = Callable[[Any, int], SourceResult]


@dataclass(frozen=True)
class Figure:
    """One of a source's figures as a person reads it on the score line: its key in the stored
    figures, its label ("Hồ sơ đã giải quyết") and how to format it ("count": 2.452, "date":
    14/12/2025, "period": 15/12/2024 – 14/12/2025)."""

    key: str
    label: Any
    kind: str = "count"
    # a "period" figure reads its start at `key` and its end at `end_key`
    end_key: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    # Lazy translations: rendered in the language active where the sheet is shown, never
    # frozen into the stored figures.
    label: Any
    compute: SourceFunction
    figures: tuple[Figure, ...] = ()
    # what the line says when the source has no data for the unit and year
    empty: Any = ""


# Keys the demo framework uses; the tasks and dossiers apps are expected to register them.
TASK_COMPLETION = "task_completion"
DOSSIER_ON_TIME = "dossier_on_time"

_SOURCES: dict[str, Source] = {}


def register_source(
    key: str,
    label: Any,
    compute: SourceFunction,
    *,
    figures: Iterable[Figure] = (),
    empty: Any = "",
) -> None:
    """Register (or replace) the source named `key`; `figures` label the raw figures its
    compute returns, in the order the score line shows them."""
    _SOURCES[key] = Source(
        key=key, label=label, compute=compute, figures=tuple(figures), empty=empty
    )


def unregister_source(key: str) -> None:
    _SOURCES.pop(key, None)


def get_source(key: str) -> Source | None:
    return _SOURCES.get(key)


def source_choices() -> list[tuple[str, str]]:
    return sorted(((source.key, str(source.label)) for source in _SOURCES.values()), key=str)


# --- KPI sources ---------------------------------------------------------------------------

# unit id -> (part, whole): 1234 of 1500 dossiers received online -> (1234, 1500)
KpiShares = dict[int, tuple[int, int]]
KpiSourceFunction = Callable[[Iterable[int], datetime.date, datetime.date], KpiShares]

# Keys of the KPI sources the dossiers figures answer (registered from portal_sources).
DOSSIERS_ONLINE = "dossiers_online"
DOSSIERS_ON_TIME = "dossiers_on_time"
DOSSIERS_PAID_ONLINE = "dossiers_paid_online"


@dataclass(frozen=True)
class KpiSource:
    key: str
    # Lazy translations, rendered in the language active where they are shown or stored.
    label: Any
    figures: Any
    compute: KpiSourceFunction


_KPI_SOURCES: dict[str, KpiSource] = {}


def register_kpi_source(key: str, label: Any, figures: Any, compute: KpiSourceFunction) -> None:
    """Register (or replace) the KPI source named `key`; `figures` is a format with %(part)s
    and %(whole)s naming what is counted."""
    _KPI_SOURCES[key] = KpiSource(key=key, label=label, figures=figures, compute=compute)


def unregister_kpi_source(key: str) -> None:
    _KPI_SOURCES.pop(key, None)


def get_kpi_source(key: str) -> KpiSource | None:
    return _KPI_SOURCES.get(key) if key else None


def kpi_source_choices() -> list[tuple[str, str]]:
    choices = [(source.key, str(source.label)) for source in _KPI_SOURCES.values()]
    return sorted(choices, key=lambda choice: choice[1])
