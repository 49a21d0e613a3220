from django import template
from django.utils.formats import number_format

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
def indent(depth: int) -> str:
    return f"ps-{min(int(depth) * 2 - 2, 5)}"
