"""Django's password validators with messages our catalogue translates.

Django's own Vietnamese catalogue lacks these strings, so users would read English; the
checks themselves are Django's, only the wording is ours.
"""

from django.contrib.auth import password_validation as django_validators
from django.utils.translation import gettext as _


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self):
        return _("This password is too short. It must contain at least %(min_length)d characters.")

    def get_help_text(self):
        return _("Your password must contain at least %(min_length)d characters.") % {
            "min_length": self.min_length
        }


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("The password is too similar to the %(verbose_name)s.")

    def get_help_text(self):
        return _("Your password can't be too similar to your other personal information.")


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is too common.")

    def get_help_text(self):
        return _("Your password can't be a commonly used password.")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is entirely numeric.")

    def get_help_text(self):
        return _("Your password can't be entirely numeric.")
