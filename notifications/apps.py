from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    # No menu entry: the bell in the navigation bar leads to the list.

    def ready(self) -> None:
        from core import background
        from notifications.events import on_background_job_finished

        # The person who started an import or export hears when it finished or failed: the
        # "job.finished" workflow event (notifications/events.py).
        background.on_finished(on_background_job_finished)
