"""The list component's logic: one place that turns a bound FilterSet into what every list shows.

A list page renders `includes/filter_bar.html` (every field of the FilterSet's form, labelled,
pre-filled from the URL) and `includes/list_header.html` (the active filters as removable tags,
"Xóa tất cả", the total and the export link). Both read what `filter_bar()` and `active_filters()`
compute here, so no page builds its own tags or relabels its own selects.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import F
from django.http import QueryDict
from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import DateTextInput

# Query parameters that are not filters: paging (a changed filter starts at page one).
PAGING_PARAMS = ("page", "cursor", "after", "before")
# The sort parameter: kept by the form (hidden) and by every tag link, never shown as a tag.
SORT_PARAM = "sort"


class YesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter: "Tất cả" (no filter, the default), "Có", "Không". Django's own widget
    offers "Unknown" first, which reads as a third state instead of "any"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]

    def format_value(self, value):
        # A list, as Select.optgroups expects: a bare "true" would match the "" option too
        # ("" is in every string), so "Tất cả" showed selected when the URL said true.
        return [{True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")]


class SortFilter(django_filters.OrderingFilter):
    """`?sort=<key>` / `?sort=-<key>` over a whitelist of keys. Anything else fails the form's
    validation, so the list keeps its default order (no 500). Empty dates sort last either way,
    and the primary key breaks ties so pages never repeat or skip a row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            name = self.get_ordering_value(param)
            if name.startswith("-"):
                ordering.append(F(name[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(name).asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")


def style_filter_form(form: forms.Form) -> forms.Form:
    """Give every field of a filter form the house look, once (idempotent): Bootstrap classes,
    "Tất cả" instead of "---------", yes/no selects, dd/mm/yyyy date inputs, searchable
    multi-selects."""
    if getattr(form, "_filter_bar_styled", False):
        return form
    for field in form.fields.values():
        widget = field.widget
        if isinstance(field, forms.NullBooleanField):
            field.widget = widget = YesNoSelect(attrs=widget.attrs)
        elif isinstance(field, forms.DateField) and not isinstance(widget, DateTextInput):
            field.widget = widget = DateTextInput(attrs=widget.attrs)
        single = isinstance(widget, forms.Select) and not isinstance(
            widget, forms.SelectMultiple | YesNoSelect
        )
        if single and isinstance(field, forms.ModelChoiceField):
            field.empty_label = gettext("All")  # read lazily when the options render
        elif single:
            # Other choice fields hold their options as a list already: relabel the empty one.
            choices = list(widget.choices)
            if any(value in ("", None) for value, _label in choices):
                rest = [(value, label) for value, label in choices if value not in ("", None)]
                widget.choices = [("", gettext("All")), *rest]
        if isinstance(widget, forms.SelectMultiple):
            css = "form-select"
            widget.attrs["data-multiselect"] = ""
            widget.attrs.setdefault("data-placeholder", gettext("All"))
            widget.attrs.setdefault("data-no-results", gettext("No match"))
        elif isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])
    form._filter_bar_styled = True
    return form


@dataclass(frozen=True)
class FilterTag:
    param: str
    label: str
    value: str
    url: str  # the same list without this filter


def _query_without(query: QueryDict, names: list[str]) -> str:
    query = query.copy()
    for name in [*names, *PAGING_PARAMS]:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _param_names(bound_field) -> list[str]:
    """The URL parameters one form field reads (a range field reads several)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget):
        return [f"{bound_field.html_name}{suffix}" for suffix in widget.widgets_names]
    return [bound_field.html_name]


def _choice_label(field: forms.Field, value: Any) -> str:
    for key, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            for sub_key, sub_label in label:
                if str(sub_key) == str(value):
                    return str(sub_label)
        elif str(key) == str(value):
            return str(label)
    return str(value)


def display_value(field: forms.Field, value: Any) -> str:
    """A cleaned filter value as people read it: unit names, dd/mm/yyyy, status labels, Có/Không."""
    if value is None or value == "" or value == [] or value == ():
        return ""
    if isinstance(field, forms.NullBooleanField) or isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(field, forms.ModelMultipleChoiceField):
        return ", ".join(str(obj) for obj in value)
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.MultipleChoiceField):
        return ", ".join(_choice_label(field, item) for item in value)
    if isinstance(field, forms.ChoiceField):
        return _choice_label(field, value)
    if isinstance(value, datetime.datetime):
        return date_filter(value, "H:i d/m/Y")
    if isinstance(value, datetime.date):
        return date_filter(value, "d/m/Y")
    if isinstance(value, slice):  # a range filter
        low = display_value(forms.Field(), value.start)
        high = display_value(forms.Field(), value.stop)
        return f"{low} – {high}"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(int(value))
    return str(value)


def _form_of(filterset) -> forms.Form:
    """A FilterSet's form, or a plain filter form given as is (e.g. the change history's)."""
    return filterset if isinstance(filterset, forms.BaseForm) else filterset.form


def active_filters(filterset, query: QueryDict) -> list[FilterTag]:
    """One tag per filter the URL sets and the form accepts, in the form's order."""
    form = _form_of(filterset)
    if not form.is_bound:
        return []
    form.is_valid()  # the FilterSet validates once; this reads its cached result
    tags = []
    for bound_field in form:
        name = bound_field.name
        if name == SORT_PARAM or name not in form.cleaned_data:
            continue
        names = _param_names(bound_field)
        if not any(query.get(param, "") not in ("",) for param in names):
            continue
        text = display_value(bound_field.field, form.cleaned_data[name])
        if not text:
            continue
        tags.append(
            FilterTag(
                param=name,
                label=str(bound_field.label or name),
                value=text,
                url=_query_without(query, names),
            )
        )
    return tags


def clear_all_url(filterset, query: QueryDict) -> str:
    """The list with no filter (the sort order stays: it is not a filter)."""
    names = []
    for bound_field in _form_of(filterset):
        if bound_field.name != SORT_PARAM:
            names.extend(_param_names(bound_field))
    return _query_without(query, names)


@dataclass
class FilterBar:
    fields: list  # BoundFields shown in the grid
    more: list  # BoundFields in the collapsible "Bộ lọc khác"
    more_open: bool  # "Bộ lọc khác" starts open when one of its filters is set
    hidden: list[tuple[str, str]]  # other URL parameters the form must carry along
    sort: Any  # the sort BoundField, carried as a hidden input


def filter_bar(filterset, query: QueryDict) -> FilterBar:
    """The fields of a filter form split for the bar. A FilterSet lists its rarely used fields in
    `more_filters`; they are still rendered (collapsed) and pre-filled, so submitting keeps them."""
    form = style_filter_form(_form_of(filterset))
    more_names = set(getattr(filterset, "more_filters", ()))
    fields, more, sort = [], [], None
    form_params: set[str] = set()
    for bound_field in form:
        form_params.update(_param_names(bound_field))
        if bound_field.errors:
            attrs = bound_field.field.widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
        if bound_field.name == SORT_PARAM:
            sort = bound_field
        elif bound_field.name in more_names:
            more.append(bound_field)
        else:
            fields.append(bound_field)
    more_open = any(
        query.get(param, "") != "" for bound_field in more for param in _param_names(bound_field)
    ) or any(bound_field.errors for bound_field in more)
    # A parameter the list reads outside its FilterSet (e.g. a dashboard's as_of) survives "Lọc".
    hidden = [
        (name, value)
        for name, values in query.lists()
        if name not in form_params and name not in PAGING_PARAMS
        for value in values
    ]
    return FilterBar(fields=fields, more=more, more_open=more_open, hidden=hidden, sort=sort)


def sort_state(filterset, key: str) -> str:
    """'asc', 'desc' or '' for one sort key of a bound FilterSet."""
    form = _form_of(filterset)
    if not form.is_bound or SORT_PARAM not in form.fields:
        return ""
    form.is_valid()
    value = form.cleaned_data.get(SORT_PARAM) or []
    if key in value:
        return "asc"
    if f"-{key}" in value:
        return "desc"
    return ""


def sort_url(filterset, query: QueryDict, key: str) -> str:
    """The header link: ascending first, then descending, keeping every filter."""
    state = sort_state(filterset, key)
    query = query.copy()
    for name in PAGING_PARAMS:
        query.pop(name, None)
    query[SORT_PARAM] = f"-{key}" if state == "asc" else key
    return f"?{query.urlencode()}"
