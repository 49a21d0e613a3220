from django.db import migrations


# code, name, start (month, day, previous year), end (month, day), due, units due, KPI period,
# order: the same rows as periodic_reports.services.DEFAULT_KINDS, frozen here.
DEFAULT_KINDS = [
    ("q1", "Báo cáo quý I", (12, 15, True), (3, 14), 20, 17, "q1", 1),
    ("h1", "Báo cáo 6 tháng", (12, 15, True), (6, 14), 20, 17, "h1", 2),
    ("q3", "Báo cáo quý III", (6, 15, False), (9, 14), 20, 17, "m9", 3),
    ("year", "Báo cáo năm", (12, 15, True), (12, 14), 20, 17, "year", 4),
]


def seed(apps, schema_editor):
    """The four kinds of report with their cut-off windows."""
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
