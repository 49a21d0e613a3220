"""Registry of portal figures a computed criterion can be scored from.

A source is a callable `(unit, year) -> (value_percent, figures)`: the percentage the band table
is applied to, and the raw figures shown on the score line ("28/40 tasks"). Apps that own the
data register their sources at start-up (in their AppConfig.ready), so indicators never imports
tasks or dossiers:

    from indicators.sources import register_source
    register_source("task_completion", _("Task completion rate"), task_completion_for_unit)

A source returns None as the value when it has no data for the unit and year; the line is then
left unscored and its figures say why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SourceResult = tuple[Decimal | None, dict[str, Any]]
SourceFunction = Callable[[Any, int], SourceResult]


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    compute: SourceFunction


# Keys the demo framework uses; the tasks and dossiers apps are expected to register them.
TASK_COMPLETION = "task_completion"
DOSSIER_ON_TIME = "dossier_on_time"

_SOURCES: dict[str, Source] = {}


def register_source(key: str, label: str, compute: SourceFunction) -> None:
    """Register (or replace) the source named `key`."""
    _SOURCES[key] = Source(key=key, label=str(label), compute=compute)


def unregister_source(key: str) -> None:
    _SOURCES.pop(key, None)


def get_source(key: str) -> Source | None:
    return _SOURCES.get(key)


def source_choices() -> list[tuple[str, str]]:
    return sorted(((source.key, source.label) for source in _SOURCES.values()), key=str)
