from django.contrib import admin

from notifications.models import Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "message", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["message", "dedupe_key", "recipient__username"]
    list_select_related = ["recipient"]
    readonly_fields = [field.name for field in Notification._meta.fields]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "daily_digest",
        "immediate_overdue",
        "immediate_workflow",
        "last_digest_on",
    ]
    list_select_related = ["user"]
