import datetime
from decimal import Decimal

from django import template
from django.utils.formats import number_format

from indicators.bands import band_tone_of
from indicators.sources import Figure, get_source

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def points(value, digits: int = 2):
    """A score with a decimal comma ('12,50'); blank for None."""
    if value is None or value == "":
        return ""
    return number_format(value, digits, use_l10n=True, force_grouping=True)


@register.filter
def source_label(key: str) -> str:
    """A computed criterion's data source as people name it (the key stays in forms and files)."""
    from indicators.sources import get_source

    source = get_source(key) if key else None
    return source.label if source else key


@register.filter
def indent(depth: int) -> str:
    return f"ps-{min(int(depth) * 2 - 2, 5)}"


def percent_text(value) -> str:
    """A percentage as people read it: 70.50 -> '70,5%', 80 -> '80%', 99.314 -> '99,31%'."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    decimals = max(0, -number.as_tuple().exponent)
    return f"{number_format(number, decimals, use_l10n=True, force_grouping=True)}%"


register.filter("percent_text", percent_text)


def _figure_text(figure: Figure, figures: dict) -> str:
    if figure.kind == "date":
        return _day_text(figures.get(figure.key))
    if figure.kind == "period":
        start, end = _day_text(figures.get(figure.key)), _day_text(figures.get(figure.end_key))
        return f"{start} – {end}" if start and end else ""
    if figure.kind == "percent":
        return percent_text(figures.get(figure.key))
    value = figures.get(figure.key)
    if value is None or value == "":
        return ""
    return number_format(value, 0, use_l10n=True, force_grouping=True)


def _day_text(value) -> str:
    try:
        return f"{datetime.date.fromisoformat(str(value)):%d/%m/%Y}" if value else ""
    except ValueError:
        return ""


@register.simple_tag
def computed_detail(figures) -> dict:
    """A computed line's stored figures as the sheet words them: the source's label, the
    percentage and band reached, each figure with its label, or why there is no score. Keys
    the source does not label are not shown: a person never reads an internal key."""
    figures = figures or {}
    source = get_source(figures.get("source", ""))
    if figures.get("error") or source is None:
        return {"unavailable": True}
    parts = []
    for figure in source.figures:
        text = _figure_text(figure, figures)
        if text:
            parts.append({"label": figure.label, "value": text})
    percent = figures.get("percent")
    return {
        "label": source.label,
        "percent": percent_text(percent) if percent is not None else "",
        "band_from": percent_text(figures.get("band_from")),
        "below_bands": percent is not None and figures.get("band_from") is None,
        "empty": source.empty if percent is None else "",
        "parts": parts,
    }


@register.filter
def band_tone(row) -> str:
    """The Bootstrap colour of an assessment's band (indicators.bands), for text-bg-*."""
    return band_tone_of(row)
