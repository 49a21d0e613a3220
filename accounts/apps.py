from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.navigation import MenuEntry
from core.roles import Role


class AccountsConfig(AppConfig):
    """Signing in and the life of an account: single sign-on, the second factor, password reset,
    approving a new person and deactivating one who left. The User model is organizations'."""

    name = "accounts"
    nav_group = _("Administration")
    verbose_name = _("Accounts")
    nav_entries = (
        MenuEntry(_("Users"), "accounts:user_list", roles=(Role.HOME_AFFAIRS,), order=95),
        MenuEntry(
            _("Pending accounts"), "accounts:pending_list", roles=(Role.HOME_AFFAIRS,), order=96
        ),
    )

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.policy import remember_device

        def on_login(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                remember_device(request, user)

        # weak=False: the handler is a local function, nothing else holds it
        user_logged_in.connect(on_login, weak=False, dispatch_uid="accounts-remember-otp-device")
