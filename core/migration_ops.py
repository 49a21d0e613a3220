"""Migration operations that several apps' migrations share, so a concept's schema change is
written once (duplicates paired the three job rows' migrations). Frozen like any migration: a
migration's meaning must not change after it ran, so a later change is a new function here,
never an edit of one a migration already calls."""

from django.db import migrations, models


def background_job_lease(model_name: str, *, error: bool = True) -> list[migrations.AddField]:
    """What core.models.BackgroundJob added to a job row made before it (issue 18): the count
    of takes and the lease, and the error text where the row had none."""
    operations = [
        migrations.AddField(
            model_name=model_name,
            name="attempts",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="attempts"
            ),
        )
    ]
    if error:
        operations.append(
            migrations.AddField(
                model_name=model_name,
                name="error",
                field=models.TextField(blank=True, verbose_name="error"),
            )
        )
    operations.append(
        migrations.AddField(
            model_name=model_name,
            name="lease_expires_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="lease expires at"
            ),
        )
    )
    return operations
