"""Task.item_order: the task number as a natural sort key, so lists and the official report sort
"1, 2, 3, ..., 10" rather than "1, 10, 2" (filled here for existing tasks)."""

from django.db import migrations, models

from core.text import natural_key


def fill(apps, schema_editor):
    task_model = apps.get_model("tasks", "Task")
    changed = []
    for task in task_model.objects.only("pk", "item_number").iterator(chunk_size=2000):
        task.item_order = natural_key(task.item_number)
        changed.append(task)
    task_model.objects.bulk_update(changed, ["item_order"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0002_history_of_reports_and_reviews")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="item_order",
            field=models.CharField(db_default="", default="", editable=False, max_length=128),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
