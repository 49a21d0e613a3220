from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    # No menu entry: the bell in the navigation bar leads to the list.

    def ready(self) -> None:
        from core import background
        from notifications.services import notify_background_job_finished

        # The person who started an import or export hears when it finished or failed.
        background.on_finished(notify_background_job_finished)
