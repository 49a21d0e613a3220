from django.db.models import QuerySet

from reporting.models import Export


def exports_of(user) -> QuerySet[Export]:
    """A user sees only their own exports (another user's id is a 404)."""
    if not user.is_authenticated:
        return Export.objects.none()
    return Export.objects.filter(user=user).order_by("-created_at")
