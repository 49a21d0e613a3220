"""Tags of the list component (filter bar, active filters, sortable headers). They only read the
bound FilterSet and the request; the logic lives in core.filterbar."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from core import filterbar

register = template.Library()


@register.simple_tag(takes_context=True)
def filter_bar_for(context, filterset):
    return filterbar.filter_bar(filterset, context["request"].GET)


@register.simple_tag(takes_context=True)
def active_filter_tags(context, filterset):
    return filterbar.active_filters(filterset, context["request"].GET)


@register.simple_tag(takes_context=True)
def clear_filters_url(context, filterset):
    return filterbar.clear_all_url(filterset, context["request"].GET)


@register.simple_tag(takes_context=True)
def sort_header(context, filterset, key: str, label: str):
    """A column header that sorts the list by `key` (ascending, then descending), keeping every
    filter. Renders the plain label where the FilterSet has no such sort key."""
    filters = getattr(filterset, "filters", None) or {}
    sort = filters.get(filterbar.SORT_PARAM)
    if sort is None or key not in dict(sort.param_map):
        return label
    state = filterbar.sort_state(filterset, key)
    url = filterbar.sort_url(filterset, context["request"].GET, key)
    arrow = {"asc": " ▲", "desc": " ▼"}.get(state, "")
    idle = "" if state else " ↕"  # says the header sorts before anyone clicks it
    hint = gettext("Sort by %(column)s") % {"column": label}
    return format_html(
        '<a class="sort-link" href="{}" data-sort="{}" title="{}">{}'
        '<span aria-hidden="true">{}</span>'
        '<span class="sort-idle" aria-hidden="true">{}</span></a>',
        url,
        key,
        hint,
        label,
        arrow,
        idle,
    )


@register.simple_tag
def aria_sort(filterset, key: str) -> str:
    """The th's aria-sort value for `key` ("ascending", "descending" or "none")."""
    if filterset is None:
        return "none"
    return {"asc": "ascending", "desc": "descending"}.get(
        filterbar.sort_state(filterset, key), "none"
    )
