from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.tabular import ImportFailed
from organizations.services import units_import


class Command(BaseCommand):
    help = "Import units from an XLSX or CSV file, all or nothing, reporting every bad row."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        with path.open("rb") as fileobj:
            try:
                result = units_import(fileobj=fileobj)
            except ImportFailed as exc:
                for error in exc.errors:
                    self.stderr.write(f"row {error.row}, {error.column or '-'}: {error.message}")
                raise CommandError(f"{len(exc.errors)} errors; nothing was imported.") from exc
        self.stdout.write(f"{result.created} units created, {result.updated} updated.")
