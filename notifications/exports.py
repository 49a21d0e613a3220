"""The notification list's columns for its Excel export (a person exports their own)."""

from django.utils.translation import gettext_lazy as _

from core.excel import Column
from core.exports import ExportSpec, register
from notifications import selectors
from notifications.filters import NotificationFilter

NOTIFICATION_COLUMNS = [
    Column("created_at", _("Time"), kind="datetime", width=17),
    Column("kind", _("Kind"), value=lambda item: item.get_kind_display(), width=28),
    Column("message", _("Message"), width=80),
    Column("read_at", _("Read at"), kind="datetime", width=17),
]


def notification_rows(user, params):
    """The same rows as the list page: the person's own, through the page's FilterSet."""
    return NotificationFilter(params, queryset=selectors.notifications_for(user)).qs


register(
    ExportSpec(
        key="notifications",
        title=_("Notifications"),
        columns=NOTIFICATION_COLUMNS,
        rows=notification_rows,
        file_stem="thong-bao",
    )
)
