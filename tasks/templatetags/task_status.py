from django import template
from django.utils.html import format_html

from tasks.status import BADGE, Status

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value or ""


@register.filter
def status_badge(value: str) -> str:
    """A Bootstrap badge for a status value (colour by status)."""
    try:
        status = Status(value)
    except ValueError:
        return ""
    return format_html(
        '<span class="badge text-bg-{} status-{}">{}</span>',
        BADGE[status],
        status.value,
        status.label,
    )
