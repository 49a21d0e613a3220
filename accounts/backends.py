"""The local password backend, which LOCAL_PASSWORD_LOGIN=false switches off."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LocalPasswordBackend(ModelBackend):
    """Django's username and password check, unless the province signs in through its
    identity service only. Sessions already open stay valid (get_user is unchanged)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_PASSWORD_LOGIN:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
