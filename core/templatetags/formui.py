"""Tags of the shared form include (templates/includes/form_fields.html)."""

from django import forms, template

register = template.Library()


@register.simple_tag
def form_error_count(form) -> int:
    """How many messages the error summary lists: the form's own and each field's."""
    if form is None or not getattr(form, "is_bound", False):
        return 0
    return sum(len(errors) for errors in form.errors.values())


@register.filter
def is_checkbox(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def is_file(bound_field) -> bool:
    return isinstance(bound_field.field.widget, forms.ClearableFileInput | forms.FileInput)


@register.filter
def field_col(bound_field, default: str) -> str:
    """The grid column of a field: the form's `field_columns` entry for it, else `default`."""
    columns = getattr(bound_field.form, "field_columns", {}) or {}
    return columns.get(bound_field.name, default)
