"""Drop the user history rows that record nothing but a sign-in.

Before core.history.ChangeHistory, every login saved last_login (excluded from the history) and
simple-history wrote a "changed" row identical to the version before it. Those rows hold no
change, only hide real ones on the change history page, and the sign-in itself is in
django-axes' access log, so they are deleted rather than filtered on every page view.
"""

from django.db import migrations


def drop_sign_in_rows(apps, schema_editor):
    historical = apps.get_model("organizations", "HistoricalUser")
    tracked = [
        field.attname
        for field in historical._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    empty = []
    previous = None
    rows = historical.objects.order_by("id", "history_date", "history_id").values(
        "history_id", "history_type", *tracked
    )
    for row in rows.iterator(chunk_size=2000):
        values = tuple(row[name] for name in tracked)
        if (
            row["history_type"] == "~"
            and previous is not None
            and previous[0] == row["id"]
            and previous[1] == values
        ):
            empty.append(row["history_id"])
        else:
            previous = (row["id"], values)
    for start in range(0, len(empty), 1000):
        historical.objects.filter(history_id__in=empty[start : start + 1000]).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [migrations.RunPython(drop_sign_in_rows, migrations.RunPython.noop)]
