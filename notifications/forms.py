from django import forms

from core.forms import BootstrapFormMixin
from notifications.models import NotificationPreference


class NotificationPreferenceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["daily_digest", "immediate_overdue", "immediate_workflow"]
