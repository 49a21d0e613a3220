from django.db import migrations


def seed(apps, schema_editor):
    """The four kinds of report with their cut-off windows (periodic_reports.services)."""
    from periodic_reports.services import DEFAULT_KINDS

    ReportKind = apps.get_model("periodic_reports", "ReportKind")
    for code, name, start, end, due, unit_due, kpi_period, order in DEFAULT_KINDS:
        ReportKind.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "start_month": start[0],
                "start_day": start[1],
                "start_in_previous_year": start[2],
                "end_month": end[0],
                "end_day": end[1],
                "due_day": due,
                "unit_due_day": unit_due,
                "kpi_period": kpi_period,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("periodic_reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
