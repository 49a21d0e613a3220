"""Vietnamese number and date forms for the report's document and narrative: 1.234, 70,5%,
05/09/2026, 'ngày 05 tháng 9 năm 2026'. The document's wording is fixed by the administrative
layout, so it is written in Vietnamese here (docs/style.md: official reports)."""

from __future__ import annotations

import datetime

from django.conf import settings


def num(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


def pct(value) -> str:
    """70.0 -> '70%', 70.5 -> '70,5%', None -> '-'."""
    if value is None:
        return "-"
    text = f"{float(value):.1f}".replace(".", ",")
    if text.endswith(",0"):
        text = text[:-2]
    return f"{text}%"


def day(value: str | datetime.date | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return f"{value:%d/%m/%Y}"


def place_date(value: datetime.date | None) -> str:
    """'An Hòa, ngày 20 tháng 9 năm 2026' (Decree 30/2020: days below 10 and months 1, 2 with a
    leading zero); an undated draft leaves the blanks to fill by hand."""
    if value is None:
        return f"{settings.REPORT_PLACE}, ngày     tháng     năm {timezone_year()}"
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{settings.REPORT_PLACE}, ngày {value:%d} tháng {month} năm {value.year}"


def timezone_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
