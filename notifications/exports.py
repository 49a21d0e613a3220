"""The notification list's columns for its Excel export (a person exports their own)."""

from django.utils.translation import gettext_lazy as _

from core.excel import Column
from core.exports import ExportSpec, register
from notifications import selectors
from notifications.forms import NotificationListForm

NOTIFICATION_COLUMNS = [
    Column("created_at", _("Time"), kind="datetime", width=17),
    Column("kind", _("Kind"), value=lambda item: item.get_kind_display(), width=28),
    Column("message", _("Message"), width=80),
    Column("read_at", _("Read at"), kind="datetime", width=17),
]


def notification_rows(user, params):
    """The same rows as the list page: the person's own, only unread ones when asked."""
    rows = selectors.notifications_for(user)
    form = NotificationListForm(params)
    if form.is_valid() and form.cleaned_data["unread"]:
        rows = rows.filter(read_at__isnull=True)
    return rows


register(
    ExportSpec(
        key="notifications",
        title=_("Notifications"),
        columns=NOTIFICATION_COLUMNS,
        rows=notification_rows,
        file_stem="thong-bao",
    )
)
