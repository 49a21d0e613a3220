"""Formatting tags shared by every page. They format what they are given; they never query."""

import datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.timezone import localtime

from core.excel import Column

register = template.Library()


def format_value(value, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "percent" and isinstance(value, int | float | Decimal):
        return f"{floatformat(value * 100, 1)}%"
    if kind == "date" and isinstance(value, datetime.date):
        return date_filter(value, "d/m/Y")
    if kind == "datetime" and isinstance(value, datetime.datetime):
        return date_filter(localtime(value), "H:i d/m/Y")
    if kind in ("int", "decimal") and isinstance(value, int | float | Decimal):
        return floatformat(value, "g" if kind == "int" else "2g")
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


@register.simple_tag
def column_cell(row, column: Column):
    """One table cell's content, formatted the Vietnamese way, linked when the column says so."""
    if column.html is not None:
        text = column.html(row)
    else:
        text = format_value(column.get(row), column.kind)
    if column.link:
        return format_html('<a href="{}">{}</a>', column.link(row), text)
    return text


@register.filter
def percent(value, digits: int = 1) -> str:
    """0.705 -> '70,5%' (the value is a fraction)."""
    if value is None:
        return "—"
    return f"{floatformat(value * 100, digits)}%"


@register.simple_tag(takes_context=True)
def export_url(context, key: str, fmt: str = "") -> str:
    """The 'Xuất Excel' link of a list: the export view with the list's current filter
    (`fmt` "csv" asks for CSV where the list offers it)."""
    query = context["request"].GET.copy()
    for name in ("page", "cursor", "after", "format"):
        query.pop(name, None)
    if fmt:
        query["format"] = fmt
    url = reverse("reporting:export_start", kwargs={"key": key})
    return f"{url}?{query.urlencode()}" if query else url
