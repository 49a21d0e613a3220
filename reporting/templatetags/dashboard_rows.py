"""`{% unit_rows data.rows %}`: the rows of the leadership dashboard's "completion by unit"
table (panel_by_unit.html), written in Python. The table has a row per unit (150 in a province)
with five drill-down figures each: as template markup it was the page's largest rendering cost
(a variable lookup and a filter per cell); here a row is a few string joins, the same markup."""

from __future__ import annotations

from html import escape

from django import template
from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.templatetags.figures import _count_text, write_figure

register = template.Library()


def _rate(value):
    """The bar's value: a row's "rate" is the rate's drill-down Figure (task_figures); the
    templates once wrote that Figure's repr into the bar and nothing into its label."""
    return getattr(value, "rate", value)


@register.simple_tag
def unit_rows(rows) -> str:
    language, grouping = get_language(), settings.USE_THOUSAND_SEPARATOR

    def figure(fig, css: str = "") -> str:
        return write_figure(fig, css, "", language, grouping)

    html = []
    for row in rows:
        band, label, rate = escape(row["band"]), escape(str(row["label"])), _rate(row["rate"])
        overdue_css = "link-danger" if row["overdue"].rows else "link-secondary"
        html.append(
            f'<tr class="{band}">\n'
            f"      <td>{_count_text(row['position'], language, grouping)}</td>\n"
            f'      <th scope="row" class="fw-normal"><a href="{escape(row["total"].url)}"'
            f' class="unit-link">{label}</a></th>\n'
            f'      <td class="text-end">{figure(row["done"])}/{figure(row["total"])}</td>\n'
            f'      <td class="text-end">{figure(row["overdue"], css=overdue_css)}</td>\n'
            f'      <td class="w-50"><div class="d-flex align-items-center gap-2">'
            f'<progress class="dash-bar {band}" max="100" value="{escape(str(rate or 0))}"'
            f' aria-label="{label}: {escape(floatformat(rate, "-1"))}%"></progress>'
            f'<span class="badge text-bg-{escape(row["colour"])}">'
            f"{figure(row['rate'], css='text-reset')}</span></div></td>\n"
            f"    </tr>"
        )
    return mark_safe("".join(html))  # nosec B308 B703 - every value above is escaped


@register.simple_tag
def group_rows(rows) -> str:
    """The items of the "completion by directive" and "by CCHC area" lists
    (panel_by_directive.html, panel_by_area.html): up to 40 directives, three figures each."""
    language, grouping = get_language(), settings.USE_THOUSAND_SEPARATOR

    def figure(fig) -> str:
        return write_figure(fig, "", "", language, grouping)

    html = []
    for row in rows:
        label = escape(str(row["label"]))
        html.append(
            '<li class="mb-2">\n'
            f'    <div class="d-flex justify-content-between small"><a href="'
            f'{escape(row["total"].url)}">{label}</a><span class="text-nowrap ms-2">'
            f"{figure(row['done'])}/{figure(row['total'])} · {figure(row['rate'])}</span></div>\n"
            f'    <progress class="dash-bar w-100 {escape(row["band"])}" max="100"'
            f' value="{escape(str(_rate(row["rate"]) or 0))}" aria-label="{label}"></progress>\n'
            "  </li>"
        )
    return mark_safe("".join(html))  # nosec B308 B703 - every value above is escaped
