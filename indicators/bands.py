"""The colour of a PAR-Index band, in one place.

A framework's bands are data (Tốt ≥ 90%, Khá ≥ 80%, Trung bình ≥ 65%, Yếu below), so the colour
follows the band's position among its framework's bands, highest first: the top band is green,
the lowest red, those between blue then amber. Every PAR page and the dashboards' PAR panels
colour a band through `band_tone`, so a label and its colour always agree; the task completion
scale (reporting.dashboards.panels.BANDS) is another measure and keeps its own colours.
"""

from __future__ import annotations

from typing import Any

NO_BAND = "secondary"


def band_tone(position: int | None, count: int | None) -> str:
    """The Bootstrap colour of the band at `position` (0 = highest) of `count` bands."""
    if position is None or not count:
        return NO_BAND
    if position == 0:
        return "success"
    if position >= count - 1:
        return "danger"
    return "primary" if position == 1 else "warning"


def band_tone_of(row: Any) -> str:
    """The colour of an assessment's band (a with_totals row, or a dict with the same keys)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name, None)
    if not get("band"):
        return NO_BAND
    return band_tone(get("band_position"), get("band_count"))
