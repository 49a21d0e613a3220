"""The PAR self-assessment's evidence becomes core.models.EvidenceFile, like the tasks' evidence:
the same fields (file name, SHA-256, size, sniffed type, uploader, upload time) and the same
storage path (evidence/<hash[:2]>/<hash>.<ext>). Every existing file is kept: it is hashed and
sniffed, copied to its new path, and the old copy is removed only once the migration committed.
A row whose file is missing keeps its old name (there is nothing to move)."""

import hashlib

from django.db import migrations, models, transaction


def _fill_and_move(apps, schema_editor):
    from django.core.files import File
    from django.core.files.storage import default_storage

    from core.models import evidence_path
    from core.uploads import sniff

    Evidence = apps.get_model("indicators", "Evidence")
    moved: list[str] = []
    for evidence in Evidence.objects.order_by("pk").iterator(chunk_size=500):
        old_name = evidence.file.name
        try:
            handle = default_storage.open(old_name, "rb")
        except (FileNotFoundError, OSError):
            continue
        with handle:
            digest = hashlib.sha256()
            size = 0
            for chunk in iter(lambda: handle.read(65536), b""):
                digest.update(chunk)
                size += len(chunk)
            evidence.sha256 = digest.hexdigest()
            evidence.size = size
            evidence.content_type = sniff(handle) or "application/octet-stream"
            new_name = evidence_path(evidence, old_name)
            if new_name != old_name:
                handle.seek(0)
                evidence.file.name = default_storage.save(new_name, File(handle))
                moved.append(old_name)
        evidence.save(update_fields=["file", "sha256", "size", "content_type"])

    def remove_old_copies():
        for name in moved:
            default_storage.delete(name)

    # Only after the new paths are committed: a failed migration leaves every file in place.
    transaction.on_commit(remove_old_copies, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0002_kpitarget_source_key"),
    ]

    operations = [
        migrations.RenameField(model_name="evidence", old_name="name", new_name="original_name"),
        migrations.RenameField(model_name="evidence", old_name="uploaded_at", new_name="created_at"),
        migrations.AddField(
            model_name="evidence",
            name="sha256",
            field=models.CharField(default="", max_length=64, verbose_name="SHA-256"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="evidence",
            name="size",
            field=models.PositiveBigIntegerField(default=0, verbose_name="size (bytes)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="evidence",
            name="content_type",
            field=models.CharField(default="", max_length=100, verbose_name="content type"),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="evidence",
            options={
                "ordering": ["line", "created_at", "id"],
                "verbose_name": "evidence file",
                "verbose_name_plural": "evidence files",
            },
        ),
        migrations.RunPython(_fill_and_move, migrations.RunPython.noop),
    ]
