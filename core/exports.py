"""The registry of exportable lists. Each app declares its lists in `<app>/exports.py`:

    register(ExportSpec(key="units", title=..., columns=UNIT_COLUMNS, rows=unit_rows_for_export))

`rows(user, params)` returns the scoped, filtered queryset: the same scoping selector and the same
FilterSet as the HTML list, so an export holds exactly the rows the screen shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.module_loading import autodiscover_modules

from core.excel import Column


@dataclass(frozen=True)
class ExportSpec:
    key: str
    title: str
    columns: list[Column]
    rows: Callable[[Any, QueryDict], Any]
    file_stem: str = "xuat-du-lieu"


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
