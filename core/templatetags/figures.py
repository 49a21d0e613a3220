"""`{% figure fig css=... link_id=... %}`: one drill-down figure, the same markup as
includes/figure.html (which stays the reference), written in Python. A dashboard renders
hundreds of figures (a row per unit, five figures a row); an include costs a template render
each, this a few string operations."""

from __future__ import annotations

import functools
from decimal import Decimal
from html import escape

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


# A page writes hundreds of figures with few distinct values: their text is formatted once per
# value and language (Django's number formatting looks the language and its formats up at
# every call). The language and the grouping setting are part of the key.
@functools.lru_cache(maxsize=4096)
def _count_text(rows: int, language: str | None, grouping: bool) -> str:
    return str(conditional_escape(localize(rows)))


@functools.lru_cache(maxsize=4096)
def _rate_text(rate: Decimal | float | None, digits: int, language: str | None, grouping: bool):
    return str(conditional_escape(f"{floatformat(rate, digits) or '—'}%"))


@functools.lru_cache(maxsize=4096)
def _title(fig, language: str | None, grouping: bool) -> str:
    return escape(fig.title)


@register.simple_tag
def figure(fig, css: str = "", link_id: str = "") -> str:
    if fig is None or fig == "":
        return ""
    return write_figure(fig, css, link_id, get_language(), settings.USE_THOUSAND_SEPARATOR)


def write_figure(fig, css: str, link_id: str, language: str | None, grouping: bool) -> str:
    """The tag's markup, for a caller that writes many figures in one language."""
    if fig.is_rate:
        text = _rate_text(fig.rate, fig.digits, language, grouping)
    else:
        text = _count_text(fig.rows, language, grouping)
    if fig.url:
        # (html.escape: Django's escape without its lazy-string wrapper, the same text)
        attrs = [f'href="{escape(fig.url)}"', f'data-figure="{int(fig.rows)}"']
        if fig.is_rate:
            attrs += ['data-kind="rate"', f'title="{_title(fig, language, grouping)}"']
        else:
            attrs.append('data-kind="count"')
        if css:
            attrs.append(f'class="{escape(str(css))}"')
        if link_id:
            attrs.append(f'id="{escape(str(link_id))}"')
        html = f"<a {' '.join(attrs)}>{text}</a>"
    else:
        html = text
    if fig.aggregate and not fig.is_rate:
        html += format_html(
            ' <span class="small text-muted d-inline-block" title="{}">+ {} {}</span>',
            _("Counted from aggregate report lines, which have no rows to list"),
            localize(fig.aggregate),
            _("from aggregate reports"),
        )
    return mark_safe(html)  # nosec B308 B703 - every value above is escaped
