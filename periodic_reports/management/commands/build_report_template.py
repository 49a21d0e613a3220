from django.core.management.base import BaseCommand

from periodic_reports.default_template import build_default_template
from periodic_reports.document import DEFAULT_TEMPLATE


class Command(BaseCommand):
    help = "Write the default .docx template of the periodic CCHC report (Decree 30/2020 layout)."

    def handle(self, *args, **options):
        path = build_default_template(DEFAULT_TEMPLATE)
        self.stdout.write(f"{path}")
