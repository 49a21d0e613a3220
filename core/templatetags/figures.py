"""`{% figure fig css=... link_id=... %}`: one drill-down figure, the same markup as
includes/figure.html (which stays the reference), written in Python. A dashboard renders
hundreds of figures (a row per unit, five figures a row); an include costs a template render
each, this a few string operations."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _rate_text(fig) -> str:
    return f"{floatformat(fig.rate, fig.digits) or '—'}%"


@register.simple_tag
def figure(fig, css: str = "", link_id: str = "") -> str:
    if fig is None or fig == "":
        return ""
    text = _rate_text(fig) if fig.is_rate else localize(fig.rows)
    if fig.url:
        attrs = [f'href="{conditional_escape(fig.url)}"', f'data-figure="{int(fig.rows)}"']
        if fig.is_rate:
            attrs += ['data-kind="rate"', f'title="{conditional_escape(fig.title)}"']
        else:
            attrs.append('data-kind="count"')
        if css:
            attrs.append(f'class="{conditional_escape(css)}"')
        if link_id:
            attrs.append(f'id="{conditional_escape(link_id)}"')
        html = f"<a {' '.join(attrs)}>{conditional_escape(text)}</a>"
    else:
        html = str(conditional_escape(text))
    if fig.aggregate and not fig.is_rate:
        html += format_html(
            ' <span class="small text-muted d-inline-block" title="{}">+ {} {}</span>',
            _("Counted from aggregate report lines, which have no rows to list"),
            localize(fig.aggregate),
            _("from aggregate reports"),
        )
    return mark_safe(html)  # nosec B308 B703 - every value above is escaped
