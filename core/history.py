"""History (django-simple-history) that records changes, not saves."""

from __future__ import annotations

from simple_history.models import HistoricalRecords


class ChangeHistory(HistoricalRecords):
    """HistoricalRecords that writes no "changed" row for a save that changed nothing it tracks.

    simple-history writes a "changed" row on every save, even when the save touched only excluded
    fields. Django's login saves the user with update_fields=["last_login"] (excluded), so every
    sign-in became a "Người dùng · Sửa đổi" row with nothing changed, burying the real changes on
    the change history page; a password change (also excluded) did the same. Sign-ins are not
    changes (django-axes keeps the access log), so:
    - a save whose update_fields are all excluded records nothing (no query);
    - any other save of an existing row records nothing when every tracked field equals the
      latest recorded version (one query; fine for the few models that use this class).
    """

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False):
            update_fields = kwargs.get("update_fields")
            if update_fields and set(update_fields) <= set(self.excluded_fields):
                return
            if self._unchanged(instance, using):
                return
        super().post_save(instance, created, using=using, **kwargs)

    def _unchanged(self, instance, using) -> bool:
        manager = getattr(instance, self.manager_name)
        latest = manager.using(using).order_by("-history_date", "-history_id").first()
        if latest is None:
            return False
        return all(
            getattr(latest, field.attname) == getattr(instance, field.attname)
            for field in self.fields_included(instance)
        )
